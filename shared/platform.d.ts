/**
 * The only globals shared/ may use: the slice of the web platform that browsers, Electron and Node ≥ 20
 * all provide (WinterTC's minimum common API). TypeScript ships these only inside all of the DOM
 * (lib.dom) or all of Node (@types/node), which shared/ must not see, so the slice it uses is declared
 * here. Only shared/tsconfig.json reads this file; the renderer and Node programs check shared/ against
 * their real lib types too.
 */

type TimerHandle = number | object;
declare function setTimeout(callback: (...args: never[]) => void, ms?: number): TimerHandle;
declare function clearTimeout(handle: TimerHandle | null | undefined): void;
declare function setInterval(callback: (...args: never[]) => void, ms?: number): TimerHandle;
declare function clearInterval(handle: TimerHandle | null | undefined): void;
declare function queueMicrotask(callback: () => void): void;
declare const performance: { now(): number };

declare class AbortSignal {
  static any(signals: AbortSignal[]): AbortSignal;
  readonly aborted: boolean;
  readonly reason: unknown;
}
declare class AbortController {
  readonly signal: AbortSignal;
  abort(reason?: unknown): void;
}

declare class URLSearchParams {
  constructor(init?: Record<string, string>);
  toString(): string;
}

type RequestInit = {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  signal?: AbortSignal;
  redirect?: string;
  mode?: string;
  cache?: string;
  credentials?: string;
};
type Response = {
  readonly ok: boolean;
  readonly status: number;
  readonly statusText: string;
  readonly url: string;
  readonly redirected: boolean;
  readonly headers: { get(name: string): string | null };
  readonly body: { getReader(): { read(): Promise<{ done: boolean; value?: unknown }> } } | null;
  json(): Promise<unknown>;
  text(): Promise<string>;
};
declare function fetch(input: string | { toString(): string }, init?: RequestInit): Promise<Response>;
