import { createHash, timingSafeEqual } from 'node:crypto';
import { chmodSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Storage } from '../db';
import { loggerOptions } from '../logging';
import { directAdmin, newTokenInput } from './operations';

/**
 * The admin API (token CLI against a running PGlite server) never shares a listener with the sync API: it
 * listens on a Unix domain socket inside DATA_DIR (mode 0600), so nothing on the network can reach it, in
 * any spelling of any URL; where no such socket can be made (Windows, or a DATA_DIR path too long for a
 * socket address) on a loopback-only port. Either way every request also carries the per-process secret
 * from the 0600 lock file, and there is no CORS: a browser page cannot call it.
 */
export type AdminEndpoint = { socketPath: string } | { url: string };

export const ADMIN_SECRET_HEADER = 'x-fieldbook-admin';
export const adminPaths = { tokens: '/tokens', revoke: '/tokens/revoke' } as const;

const SOCKET_NAME = 'admin.sock';
/** `sun_path` holds 108 bytes on Linux and 104 on macOS, terminating NUL included. */
const MAX_SOCKET_PATH_BYTES = 100;
const ADMIN_BODY_LIMIT_BYTES = 64 * 1024;

function socketPathIn(dataDir: string): string | undefined {
  if (process.platform === 'win32') return undefined;
  const path = resolve(dataDir, SOCKET_NAME);
  return Buffer.byteLength(path) <= MAX_SOCKET_PATH_BYTES ? path : undefined;
}

/** Equal-length digests, so the comparison takes the same time whatever was sent. */
const digest = (value: string) => createHash('sha256').update(value).digest();

function adminApp(storage: Storage, secret: string, logLevel: string): FastifyInstance {
  const app = Fastify({ logger: loggerOptions(logLevel), bodyLimit: ADMIN_BODY_LIMIT_BYTES });
  const expected = digest(secret);
  const admin = directAdmin(storage);
  app.addHook('onRequest', async (request, reply) => {
    const given = request.headers[ADMIN_SECRET_HEADER];
    if (typeof given !== 'string' || !timingSafeEqual(digest(given), expected)) {
      return reply.code(401).send({ error: 'unauthorized', message: 'Admin secret required' });
    }
  });
  app.post(adminPaths.tokens, async (request) => admin.createToken(newTokenInput.parse(request.body)));
  app.get(adminPaths.tokens, async (request) =>
    admin.listTokens(z.object({ tenant: z.string().min(1) }).parse(request.query).tenant),
  );
  app.post(adminPaths.revoke, async (request) =>
    admin.revokeToken(z.object({ reference: z.string().min(1) }).parse(request.body).reference),
  );
  return app;
}

/** Starts the admin listener of a server that holds DATA_DIR's lock (so a leftover socket file is stale). */
export async function startAdminListener(
  storage: Storage,
  options: { dataDir: string; secret: string; logLevel: string },
): Promise<{ endpoint: AdminEndpoint; close(): Promise<void> }> {
  const app = adminApp(storage, options.secret, options.logLevel);
  const socketPath = socketPathIn(options.dataDir);
  if (socketPath) {
    rmSync(socketPath, { force: true });
    await app.listen({ path: socketPath });
    chmodSync(socketPath, 0o600);
    return {
      endpoint: { socketPath },
      close: async () => {
        await app.close();
        rmSync(socketPath, { force: true });
      },
    };
  }
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  if (!address || typeof address === 'string') throw new Error('admin listener has no TCP address');
  return { endpoint: { url: `http://127.0.0.1:${address.port}` }, close: () => app.close() };
}
