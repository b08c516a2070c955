import {
  type CollectionName,
  deviceHeader,
  type ErrorBody,
  errorBodySchema,
  type PullResponse,
  type PushRequest,
  type PushResponse,
  pullResponseSchema,
  pushResponseSchema,
} from '@shared/schemas';

export type FetchFunction = typeof globalThis.fetch;

/** A request the server answered with an error status; `status` 401 means the token is missing or revoked. */
export class SyncHttpError extends Error {
  readonly status: number;
  readonly code: string;
  constructor(status: number, body: ErrorBody | null, fallback: string) {
    super(
      status === 401
        ? `The sync server refused the token (${body?.message ?? 'unauthorized'}); sign in again or create a new token.`
        : `Sync server answered ${status}: ${body?.message ?? fallback}`,
    );
    this.name = 'SyncHttpError';
    this.status = status;
    this.code = body?.error ?? 'http-error';
  }
}

/** The server could not be reached at all (down, no network, DNS, refused connection). */
export class SyncNetworkError extends Error {
  constructor(cause: unknown) {
    super(`Sync server unreachable: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'SyncNetworkError';
  }
}

export type SyncClientOptions = {
  url: string;
  token: string;
  fetch: FetchFunction;
  /** Called after every request: null on success, the error otherwise (feeds the sync status). */
  onOutcome: (error: Error | null) => void;
};

/** Typed client of shared/schemas/wire.ts. */
export class SyncHttpClient {
  readonly baseUrl: string;
  private readonly options: SyncClientOptions;

  constructor(options: SyncClientOptions) {
    this.options = options;
    this.baseUrl = options.url.replace(/\/+$/, '');
  }

  /** This device's id (wire.ts `deviceHeader`); set before the first request, so the server leaves out its own writes. */
  device: string | null = null;

  /** Authorization and device headers of every request, the change stream's included. */
  get headers(): Record<string, string> {
    const headers: Record<string, string> = { authorization: `Bearer ${this.options.token}` };
    if (this.device) headers[deviceHeader] = this.device;
    return headers;
  }

  pull(collection: CollectionName, seq: number, limit: number): Promise<PullResponse> {
    const query = new URLSearchParams({ seq: String(seq), limit: String(limit) });
    return this.request(`/api/sync/${collection}/pull?${query}`, { method: 'GET' }, (json) =>
      pullResponseSchema.parse(json),
    );
  }

  push(collection: CollectionName, body: PushRequest): Promise<PushResponse> {
    return this.request(
      `/api/sync/${collection}/push`,
      { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) },
      (json) => pushResponseSchema.parse(json),
    );
  }

  private async request<T>(path: string, init: RequestInit, parse: (json: unknown) => T): Promise<T> {
    try {
      let response: Response;
      try {
        response = await this.options.fetch(`${this.baseUrl}${path}`, {
          ...init,
          headers: { ...(init.headers as Record<string, string>), ...this.headers },
        });
      } catch (error) {
        throw new SyncNetworkError(error);
      }
      if (!response.ok) {
        const text = await response.text().catch(() => '');
        let body: ErrorBody | null = null;
        try {
          body = errorBodySchema.parse(JSON.parse(text));
        } catch {
          body = null; // not a JSON error body (proxy page, crash): the status line says enough
        }
        throw new SyncHttpError(response.status, body, text.slice(0, 200) || response.statusText);
      }
      const result = parse(await response.json());
      this.options.onOutcome(null);
      return result;
    } catch (error) {
      this.options.onOutcome(error instanceof Error ? error : new Error(String(error)));
      throw error;
    }
  }
}
