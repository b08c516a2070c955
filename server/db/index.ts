import { DEFAULT_LISTEN_PROBE_MS, type ServerConfig } from '../config';

export type { Queryable, Storage, StorageKind } from './storage';

export async function openStorage(
  config: Pick<ServerConfig, 'databaseUrl' | 'dataDir' | 'pgPoolMax'> &
    Partial<Pick<ServerConfig, 'listenProbeMs'>>,
) {
  if (config.databaseUrl) {
    const { openPostgresStorage } = await import('./postgres');
    return openPostgresStorage(config.databaseUrl, {
      poolMax: config.pgPoolMax,
      listenProbeMs: config.listenProbeMs ?? DEFAULT_LISTEN_PROBE_MS,
    });
  }
  const { openPgliteStorage } = await import('./pglite');
  return openPgliteStorage(config.dataDir);
}
