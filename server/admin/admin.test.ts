import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { openStorage } from '../db';
import { adminUrlForms } from '../testing/admin-url-forms';
import { rawRequest } from '../testing/raw-http';
import { backendKinds, createToken, type PreparedBackend } from '../testing/server-process';
import { useServer } from '../testing/server-suite';
import { remoteAdmin } from './client';
import type { AdminEndpoint } from './listener';

/** The admin listener and secret a running PGlite server recorded in its lock file. */
function adminOf(dataDir: string) {
  return JSON.parse(readFileSync(join(dataDir, 'fieldbook.lock.json'), 'utf8')) as {
    admin: AdminEndpoint;
    adminSecret: string;
  };
}

async function tokenCount(prepared: PreparedBackend, tenant: string) {
  if (prepared.backend.kind === 'postgres') {
    const storage = await openStorage({
      databaseUrl: prepared.backend.databaseUrl,
      dataDir: '',
      pgPoolMax: 1,
    });
    try {
      return (await storage.query('SELECT 1 FROM access_tokens WHERE tenant_id = $1', [tenant])).length;
    } finally {
      await storage.close();
    }
  }
  const lock = adminOf(prepared.backend.dataDir);
  return (await remoteAdmin(lock.admin, lock.adminSecret).listTokens(tenant)).length;
}

for (const { kind, available, label } of backendKinds) {
  describe.skipIf(!available)(`admin API is not reachable from the network [${label}]`, () => {
    const suite = useServer(kind);
    let insider: string;

    beforeAll(async () => {
      // An attacker may well hold a valid token of some tenant.
      insider = await createToken(suite.prepared.backend, 'evil', 'mallory');
    });

    it('answers no admin route in any URL form, with or without a token, and mints nothing', async () => {
      const origin = suite.server.url;
      const host = new URL(origin).host;
      const before = await tokenCount(suite.prepared, 'victim');
      const statuses = new Map<string, number>();
      for (const target of adminUrlForms(origin)) {
        for (const auth of ['', `Authorization: Bearer ${insider}\r\n`]) {
          const read = await rawRequest(
            origin,
            `GET ${target}?tenant=evil HTTP/1.1\r\nHost: ${host}\r\n${auth}x-fieldbook-admin: guess\r\nConnection: close\r\n\r\n`,
          );
          const body = JSON.stringify({ tenantId: 'victim', userId: 'root', reference: 'tok_' });
          const mint = await rawRequest(
            origin,
            `POST ${target} HTTP/1.1\r\nHost: ${host}\r\n${auth}Content-Type: application/json\r\n` +
              `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n`,
            { body },
          );
          for (const [method, response] of [
            ['GET', read],
            ['POST', mint],
          ] as const) {
            statuses.set(`${method} ${target} ${auth ? 'token' : 'anonymous'}`, response.status);
            expect(response.body).not.toMatch(/fbk_|tok_[0-9a-f]{12}/);
          }
        }
      }
      const answered = [...statuses].filter(([, status]) => status < 400 || status >= 500);
      expect(answered).toEqual([]);
      expect(statuses.size).toBeGreaterThan(100);
      expect(await tokenCount(suite.prepared, 'victim')).toBe(before);
    });

    it.runIf(kind === 'pglite')(
      'serves the CLI on a 0600 Unix socket in DATA_DIR that wants the secret',
      async () => {
        const { backend } = suite.prepared;
        if (backend.kind !== 'pglite') return;
        const lock = adminOf(backend.dataDir);
        if (!('socketPath' in lock.admin)) throw new Error(`no socket: ${JSON.stringify(lock.admin)}`);
        expect(lock.admin.socketPath).toBe(join(backend.dataDir, 'admin.sock'));
        expect(statSync(lock.admin.socketPath).isSocket()).toBe(true);
        expect(statSync(lock.admin.socketPath).mode & 0o777).toBe(0o600);
        await expect(remoteAdmin(lock.admin, 'wrong').listTokens('evil')).rejects.toThrow(/HTTP 401/);
        await expect(remoteAdmin(lock.admin, '').listTokens('evil')).rejects.toThrow(/HTTP 401/);
        expect(await remoteAdmin(lock.admin, lock.adminSecret).listTokens('evil')).toHaveLength(1);
      },
    );
  });
}
