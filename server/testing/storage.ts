import { afterAll, beforeAll } from 'vitest';
import { openStorage, type Storage } from '../db';
import { migrate } from '../db/migrate';
import type { PushRow } from '../sync/repository';
import { type BackendKind, type PreparedBackend, prepareBackend } from './server-process';

/**
 * Inside a `describe`: a fresh backend's storage opened in this process (no server), migrated, closed after
 * the suite; for tests of the repository code itself.
 */
export function useMigratedStorage(kind: BackendKind, pgPoolMax = 2): { readonly storage: Storage } {
  let prepared: PreparedBackend | undefined;
  let storage: Storage | undefined;
  beforeAll(async () => {
    prepared = await prepareBackend(kind);
    const { backend } = prepared;
    storage = await openStorage({
      databaseUrl: backend.kind === 'postgres' ? backend.databaseUrl : undefined,
      dataDir: backend.kind === 'pglite' ? backend.dataDir : '',
      pgPoolMax,
    });
    await migrate(storage);
  }, 150_000);
  afterAll(async () => {
    await storage?.close();
    await prepared?.cleanup();
  });
  return {
    get storage() {
      if (!storage) throw new Error('storage not opened yet');
      return storage;
    },
  };
}

/** A pushed row as validation would hand it over; `data` is whatever the test wants the database to see. */
export function pushRow(id: string, data: Record<string, unknown> = {}): PushRow {
  return {
    document: { id, deleted: false, data: { id, firstName: 'Ada', ...data } },
    assumedServerRev: undefined,
    origin: null,
  };
}
