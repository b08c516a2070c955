import {
  contactDefaults,
  deviceHeader,
  type PullResponse,
  type PushResponse,
  type StreamEvent,
  type WireDocument,
} from '@shared/schemas';
import { EventSource } from 'eventsource';

/** A complete, valid contact as a client pushes it. */
export function contactDoc(id: string, overrides: Record<string, unknown> = {}): WireDocument {
  const now = Date.now();
  return {
    id,
    ...contactDefaults,
    firstName: 'Ada',
    lastName: 'Lovelace',
    status: 'Prospect',
    createdAt: now,
    updatedAt: now,
    updatedBy: 'tester',
    serverRev: 0,
    _deleted: false,
    ...overrides,
  };
}

export type PushRowInput = { newDocumentState: WireDocument; assumedMasterState?: WireDocument | null };

/** A small typed client of the wire protocol for tests; `device` names it as a device (wire.ts deviceHeader). */
export function apiClient(baseUrl: string, token: string | undefined, device?: string) {
  const headers = (extra: Record<string, string> = {}) => ({
    ...(token ? { authorization: `Bearer ${token}` } : {}),
    ...(device ? { [deviceHeader]: device } : {}),
    ...extra,
  });
  return {
    fetch: (path: string, init: RequestInit = {}) =>
      fetch(new URL(path, baseUrl), {
        ...init,
        headers: { ...headers(), ...(init.headers as Record<string, string> | undefined) },
      }),
    async pull(collection: string, seq = 0, limit = 1000): Promise<PullResponse> {
      const response = await fetch(
        new URL(`/api/sync/${collection}/pull?seq=${seq}&limit=${limit}`, baseUrl),
        {
          headers: headers(),
        },
      );
      if (response.status !== 200) throw new Error(`pull: HTTP ${response.status} ${await response.text()}`);
      return (await response.json()) as PullResponse;
    },
    async push(collection: string, rows: PushRowInput[]): Promise<PushResponse> {
      const response = await fetch(new URL(`/api/sync/${collection}/push`, baseUrl), {
        method: 'POST',
        headers: headers({ 'content-type': 'application/json' }),
        body: JSON.stringify({ rows }),
      });
      if (response.status !== 200) throw new Error(`push: HTTP ${response.status} ${await response.text()}`);
      return (await response.json()) as PushResponse;
    },
    /** Pulls pages until the server has nothing newer; returns every document and the final checkpoint. */
    async pullAll(collection: string, seq = 0, limit = 1000) {
      const documents: WireDocument[] = [];
      let checkpoint = seq;
      for (;;) {
        const page = await this.pull(collection, checkpoint, limit);
        documents.push(...(page.documents as WireDocument[]));
        if (page.documents.length === 0) return { documents, checkpoint };
        checkpoint = page.checkpoint.seq;
      }
    },
  };
}

/** An SSE subscription through the `eventsource` package (bearer token via its custom fetch). */
export function openStream(baseUrl: string, token: string, device?: string) {
  const events: StreamEvent[] = [];
  const waiters = new Set<() => void>();
  const source = new EventSource(new URL('/api/sync/stream', baseUrl).toString(), {
    fetch: (input, init) =>
      fetch(input, {
        ...init,
        headers: {
          ...init.headers,
          authorization: `Bearer ${token}`,
          ...(device ? { [deviceHeader]: device } : {}),
        },
      }),
  });
  const opened = new Promise<void>((resolve, reject) => {
    source.onopen = () => resolve();
    source.onerror = (event) => reject(new Error(`stream failed: ${event.message ?? event.type}`));
  });
  source.addEventListener('change', (event) => {
    events.push(JSON.parse(event.data) as StreamEvent);
    for (const wake of waiters) wake();
  });
  return {
    events,
    opened,
    source,
    waitFor(predicate: (event: StreamEvent) => boolean, timeoutMs = 10_000): Promise<StreamEvent> {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = events.find(predicate);
          if (!found) return false;
          clearTimeout(timer);
          waiters.delete(wake);
          resolve(found);
          return true;
        };
        const wake = () => void check();
        const timer = setTimeout(() => {
          waiters.delete(wake);
          reject(new Error(`no matching stream event within ${timeoutMs} ms; got ${JSON.stringify(events)}`));
        }, timeoutMs);
        if (!check()) waiters.add(wake);
      });
    },
    close: () => source.close(),
  };
}
