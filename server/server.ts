import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { startAdminListener } from './admin/listener';
import { buildApp } from './app';
import type { ServerConfig } from './config';
import { acquireDataDirLock, type DataDirLock } from './data-dir-lock';
import { openStorage } from './db';
import { migrate } from './db/migrate';
import { ChangeFeed } from './sync/change-feed';

function takeDataDir(config: ServerConfig): DataDirLock | undefined {
  if (config.databaseUrl) return undefined;
  const result = acquireDataDirLock(config.dataDir);
  if ('heldBy' in result) {
    throw new Error(
      `DATA_DIR ${resolve(config.dataDir)} is in use by process ${result.heldBy.pid}. ` +
        'PGlite serves one process; run several servers over PostgreSQL (DATABASE_URL) instead. ' +
        `(If that process is not a Fieldbook server, delete ${result.path}.)`,
    );
  }
  process.on('exit', () => result.lock.release());
  return result.lock;
}

/** Opens the database, migrates it, listens for changes and serves until SIGTERM/SIGINT. */
export async function startServer(config: ServerConfig) {
  const lock = takeDataDir(config);
  const storage = await openStorage(config);
  const applied = await migrate(storage);
  const feed = await ChangeFeed.start(storage);
  const app = await buildApp(storage, feed, config);
  // Embedded mode: the token CLI cannot open the data directory while we hold it, so it calls us instead.
  const adminSecret = randomBytes(32).toString('base64url');
  const admin = lock
    ? await startAdminListener(storage, {
        dataDir: config.dataDir,
        secret: adminSecret,
        logLevel: config.logLevel,
      })
    : undefined;
  app.addHook('onClose', async () => {
    await admin?.close();
    await storage.close();
    lock?.release();
  });
  if (applied.length > 0) app.log.info({ applied }, 'database migrated');
  await app.listen({ host: config.host, port: config.port });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
  if (admin) lock?.update({ admin: admin.endpoint, adminSecret });
  // The line scripts and tests wait for: written whatever LOG_LEVEL is, in the logger's JSON shape.
  const ready = { level: 30, time: Date.now(), pid: process.pid, url, database: storage.kind };
  process.stdout.write(`${JSON.stringify({ ...ready, msg: 'fieldbook sync server ready' })}\n`);

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    app.log.info({ signal }, 'shutting down');
    app.close().then(
      () => process.exit(0),
      (error) => {
        app.log.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  return { app, url };
}
