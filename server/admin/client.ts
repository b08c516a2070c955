import { request as httpRequest } from 'node:http';
import type { ServerConfig } from '../config';
import { acquireDataDirLock } from '../data-dir-lock';
import { openStorage } from '../db';
import { migrate } from '../db/migrate';
import { ADMIN_SECRET_HEADER, type AdminEndpoint, adminPaths } from './listener';
import { type AdminOperations, directAdmin } from './operations';

/** node:http rather than fetch: fetch cannot talk to a Unix domain socket without an extra dispatcher. */
function callAdmin<T>(
  endpoint: AdminEndpoint,
  secret: string,
  method: 'GET' | 'POST',
  path: string,
  body?: unknown,
): Promise<T> {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  const target =
    'socketPath' in endpoint
      ? { socketPath: endpoint.socketPath }
      : { host: new URL(endpoint.url).hostname, port: Number(new URL(endpoint.url).port) };
  return new Promise((resolve, reject) => {
    const request = httpRequest(
      {
        ...target,
        method,
        path,
        headers: {
          [ADMIN_SECRET_HEADER]: secret,
          ...(payload === undefined
            ? {}
            : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }),
        },
      },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          text += chunk;
        });
        response.on('end', () => {
          if (response.statusCode === 200) resolve(JSON.parse(text) as T);
          else reject(new Error(`admin ${path}: HTTP ${response.statusCode} ${text}`));
        });
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end(payload);
  });
}

export function remoteAdmin(endpoint: AdminEndpoint, secret: string): AdminOperations {
  return {
    createToken: (input) => callAdmin(endpoint, secret, 'POST', adminPaths.tokens, input),
    listTokens: (tenantId) =>
      callAdmin(endpoint, secret, 'GET', `${adminPaths.tokens}?tenant=${encodeURIComponent(tenantId)}`),
    revokeToken: (reference) => callAdmin(endpoint, secret, 'POST', adminPaths.revoke, { reference }),
  };
}

/** A PGlite server may take a while to start on a busy machine; the CLI waits for it rather than failing. */
const LOCK_WAIT_MS = 60_000;

type AdminConfig = Pick<ServerConfig, 'databaseUrl' | 'dataDir' | 'pgPoolMax'> &
  Partial<Pick<ServerConfig, 'listenProbeMs'>>;

async function withDirectAdmin<T>(config: AdminConfig, work: (admin: AdminOperations) => Promise<T>) {
  const storage = await openStorage(config);
  try {
    await migrate(storage);
    return await work(directAdmin(storage));
  } finally {
    await storage.close();
  }
}

/**
 * Runs admin work on PostgreSQL directly; on PGlite directly when no server holds DATA_DIR, else through the
 * running server's admin listener (two processes must never open one PGlite directory).
 */
export async function withAdmin<T>(config: AdminConfig, work: (admin: AdminOperations) => Promise<T>) {
  if (config.databaseUrl) return withDirectAdmin(config, work);
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    const result = acquireDataDirLock(config.dataDir);
    if ('lock' in result) {
      try {
        return await withDirectAdmin(config, work);
      } finally {
        result.lock.release();
      }
    }
    const { admin, adminSecret, pid } = result.heldBy;
    if (admin && adminSecret) return work(remoteAdmin(admin, adminSecret));
    // Held by a server that is still starting, or by another admin run: wait for it.
    if (Date.now() > deadline) throw new Error(`DATA_DIR ${config.dataDir} stays locked by process ${pid}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
