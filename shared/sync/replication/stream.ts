import { type CollectionName, collectionNames, type StreamEvent, streamEventSchema } from '@shared/schemas';
import { EventSource, type FetchLike } from 'eventsource';

import { type FetchFunction, SyncHttpError, SyncNetworkError } from './http';

export type ChangeStreamOptions = {
  url: string;
  /** Request headers (authorization, device), read at each (re)connect. */
  headers: () => Record<string, string>;
  fetch: FetchFunction;
  /** The stream (re)opened: anything may have been missed while it was down, so every collection must resync. */
  onOpen: () => void;
  /** The server committed a change to `collection` (with the changed documents, see StreamEvent). */
  onChange: (collection: CollectionName, event: StreamEvent) => void;
  /** SyncHttpError when the server answered with an error status, SyncNetworkError when it could not be reached. */
  onError: (error: SyncHttpError | SyncNetworkError) => void;
  retryBaseMs: number;
  retryMaxMs: number;
};

/**
 * ONE Server-Sent Events connection per sync handle, shared by all collections. `eventsource` v4 works in
 * Node and in browsers and takes a custom fetch, which is how the bearer token gets in (the browser's
 * EventSource cannot send headers). It reconnects by itself after network errors; after an HTTP error
 * (401, 5xx) it gives up, so this class reconnects with exponential backoff.
 */
export class ChangeStream {
  private source: EventSource | null = null;
  private reconnectTimer: ReturnType<typeof setTimeout> | null = null;
  private failures = 0;
  private closed = false;
  private readonly options: ChangeStreamOptions;

  constructor(options: ChangeStreamOptions) {
    this.options = options;
  }

  open(): void {
    if (this.closed || this.source) return;
    const { headers, fetch } = this.options;
    const authorizedFetch: FetchLike = (input, init) =>
      fetch(input, { ...init, headers: { ...init.headers, ...headers() } });
    const source = new EventSource(`${this.options.url.replace(/\/+$/, '')}/api/sync/stream`, {
      fetch: authorizedFetch,
    });
    this.source = source;
    source.addEventListener('open', () => {
      this.failures = 0;
      this.options.onOpen();
    });
    source.addEventListener('change', (event) => {
      const parsed = streamEventSchema.safeParse(safeJson(event.data));
      if (parsed.success && (collectionNames as readonly string[]).includes(parsed.data.collection)) {
        this.options.onChange(parsed.data.collection as CollectionName, parsed.data);
      } else {
        this.options.onError(new Error(`Malformed sync stream event: ${String(event.data).slice(0, 200)}`));
      }
    });
    source.addEventListener('error', (event) => {
      this.options.onError(
        event.code
          ? new SyncHttpError(event.code, null, 'the change stream was refused')
          : new SyncNetworkError(new Error(`change stream: ${event.message ?? 'connection lost'}`)),
      );
      if (source.readyState === EventSource.CLOSED) this.scheduleReconnect();
    });
  }

  /** Drops the current connection and opens a new one now (back online, resumed). */
  reconnect(): void {
    this.dispose();
    this.failures = 0;
    this.open();
  }

  /** Drops the connection until `reconnect()` (the device went offline). */
  suspend(): void {
    this.dispose();
  }

  close(): void {
    this.closed = true;
    this.dispose();
  }

  private dispose(): void {
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = null;
    this.source?.close();
    this.source = null;
  }

  private scheduleReconnect(): void {
    this.dispose();
    if (this.closed) return;
    const delay = Math.min(this.options.retryMaxMs, this.options.retryBaseMs * 2 ** this.failures);
    this.failures += 1;
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      this.open();
    }, delay);
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null; // reported by the caller as a malformed event
  }
}
