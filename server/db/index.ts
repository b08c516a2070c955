import type { ServerConfig } from '../config';

export type { Queryable, Storage, StorageKind } from './storage';

export async function openStorage(config: Pick<ServerConfig, 'databaseUrl' | 'dataDir' | 'pgPoolMax'>) {
  if (config.databaseUrl) {
    const { openPostgresStorage } = await import('./postgres');
    return openPostgresStorage(config.databaseUrl, config.pgPoolMax);
  }
  const { openPgliteStorage } = await import('./pglite');
  return openPgliteStorage(config.dataDir);
}
