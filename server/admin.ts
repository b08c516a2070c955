import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { createToken, listTokens, type RevokeResult, revokeToken, type TokenListing } from './auth/tokens';
import type { ServerConfig } from './config';
import { acquireDataDirLock } from './data-dir-lock';
import { openStorage, type Storage } from './db';
import { migrate } from './db/migrate';

/** What the token CLI does: directly on the database, or through a running PGlite server (see data-dir-lock). */
export type AdminOperations = {
  createToken(input: NewTokenInput): Promise<{ id: string; token: string }>;
  listTokens(tenantId: string): Promise<TokenListing[]>;
  revokeToken(reference: string): Promise<RevokeResult>;
};

const newTokenInput = z.object({
  tenantId: z.string().trim().min(1).max(128),
  userId: z.string().trim().min(1).max(128),
  name: z.string().trim().min(1).max(200).optional(),
  email: z.string().trim().max(254).optional(),
});
export type NewTokenInput = z.infer<typeof newTokenInput>;

export function directAdmin(storage: Storage): AdminOperations {
  return {
    createToken: (input) => createToken(storage, newTokenInput.parse(input)),
    listTokens: (tenantId) => listTokens(storage, tenantId),
    revokeToken: (reference) => revokeToken(storage, reference),
  };
}

const ADMIN_HEADER = 'x-fieldbook-admin';

export function remoteAdmin(baseUrl: string, secret: string): AdminOperations {
  async function call<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
    const response = await fetch(new URL(path, baseUrl), {
      method,
      headers: {
        [ADMIN_HEADER]: secret,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`admin ${path}: HTTP ${response.status} ${await response.text()}`);
    return (await response.json()) as T;
  }
  return {
    createToken: (input) => call('POST', '/admin/tokens', input),
    listTokens: (tenantId) => call('GET', `/admin/tokens?tenant=${encodeURIComponent(tenantId)}`),
    revokeToken: (reference) => call('POST', '/admin/tokens/revoke', { reference }),
  };
}

/** Admin routes for the CLI, guarded by the per-process secret only the data directory's owner can read. */
export function registerAdminRoutes(app: FastifyInstance, storage: Storage, secret: string) {
  const expected = Buffer.from(secret);
  const admin = directAdmin(storage);
  app.addHook('onRequest', async (request, reply) => {
    if (!request.url.startsWith('/admin/')) return;
    const given = Buffer.from(String(request.headers[ADMIN_HEADER] ?? ''));
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      return reply.code(401).send({ error: 'unauthorized', message: 'Admin secret required' });
    }
  });
  app.post('/admin/tokens', async (request) => admin.createToken(newTokenInput.parse(request.body)));
  app.get('/admin/tokens', async (request) =>
    admin.listTokens(z.object({ tenant: z.string().min(1) }).parse(request.query).tenant),
  );
  app.post('/admin/tokens/revoke', async (request) =>
    admin.revokeToken(z.object({ reference: z.string().min(1) }).parse(request.body).reference),
  );
}

/** A PGlite server may take a while to start on a busy machine; the CLI waits for it rather than failing. */
const LOCK_WAIT_MS = 60_000;

async function withDirectAdmin<T>(
  config: Pick<ServerConfig, 'databaseUrl' | 'dataDir' | 'pgPoolMax'>,
  work: (admin: AdminOperations) => Promise<T>,
): Promise<T> {
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
 * running server's admin endpoint (two processes must never open one PGlite directory).
 */
export async function withAdmin<T>(
  config: Pick<ServerConfig, 'databaseUrl' | 'dataDir' | 'pgPoolMax'>,
  work: (admin: AdminOperations) => Promise<T>,
): Promise<T> {
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
    const { adminUrl, adminSecret, pid } = result.heldBy;
    if (adminUrl && adminSecret) return work(remoteAdmin(adminUrl, adminSecret));
    // Held by a server that is still starting, or by another admin run: wait for it.
    if (Date.now() > deadline) throw new Error(`DATA_DIR ${config.dataDir} stays locked by process ${pid}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
