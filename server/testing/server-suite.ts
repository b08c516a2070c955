import { afterAll, beforeAll } from 'vitest';
import {
  type BackendKind,
  type PreparedBackend,
  prepareBackend,
  type ServerProcess,
  startServerProcess,
} from './server-process';

export type ServerSuite = {
  readonly prepared: PreparedBackend;
  readonly server: ServerProcess;
  /** Swaps in a server the test started itself (after a kill and restart); the suite stops it at the end. */
  replaceServer(next: ServerProcess): void;
};

/** Inside a `describe`: a fresh backend and a real server process for the whole suite, cleaned up after it. */
export function useServer(
  kind: BackendKind,
  options: Parameters<typeof startServerProcess>[1] = {},
): ServerSuite {
  let prepared: PreparedBackend | undefined;
  let server: ServerProcess | undefined;
  beforeAll(async () => {
    prepared = await prepareBackend(kind);
    server = await startServerProcess(prepared.backend, options);
  }, 150_000);
  afterAll(async () => {
    await server?.stop();
    await prepared?.cleanup();
  });
  return {
    get prepared() {
      if (!prepared) throw new Error('backend not prepared yet');
      return prepared;
    },
    get server() {
      if (!server) throw new Error('server not started yet');
      return server;
    },
    replaceServer(next) {
      server = next;
    },
  };
}
