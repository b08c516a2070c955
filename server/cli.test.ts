import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashToken } from './auth/tokens';
import { openStorage } from './db';
import { apiClient } from './testing/fixtures';
import {
  backendKinds,
  type PreparedBackend,
  prepareBackend,
  runCli,
  type ServerBackend,
  type ServerProcess,
  startServerProcess,
} from './testing/server-process';

async function queryBackend<Row>(backend: ServerBackend, sql: string): Promise<Row[]> {
  const storage = await openStorage({
    databaseUrl: backend.kind === 'postgres' ? backend.databaseUrl : undefined,
    dataDir: backend.kind === 'pglite' ? backend.dataDir : '',
    pgPoolMax: 1,
  });
  try {
    return await storage.query<Row>(sql);
  } finally {
    await storage.close();
  }
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

const lastLine = (stdout: string) => stdout.trimEnd().split('\n').at(-1) ?? '';

for (const { kind, available, label } of backendKinds) {
  describe.skipIf(!available)(`token CLI [${label}]`, () => {
    let prepared: PreparedBackend;
    let server: ServerProcess | undefined;
    const issued: string[] = [];

    beforeAll(async () => {
      prepared = await prepareBackend(kind);
    });
    afterAll(async () => {
      await server?.stop();
      await prepared?.cleanup();
    });

    it('creates tenant, member and token without a server, printing the token as the last line', async () => {
      const result = await runCli(prepared.backend, [
        'token',
        '--tenant',
        't1',
        '--user',
        'u1',
        '--name',
        'Una One',
      ]);
      expect(result.code, result.stderr).toBe(0);
      const token = lastLine(result.stdout);
      expect(token).toMatch(/^fbk_[A-Za-z0-9_-]{43}$/);
      issued.push(token);
      // A cold CLI (tsx + PGlite start + migrations) on a loaded 2-core machine.
    }, 120_000);

    it('works while a server runs (on PGlite through the server), which accepts the token at once', async () => {
      server = await startServerProcess(prepared.backend);
      const [second, other] = await Promise.all([
        runCli(prepared.backend, ['token', '--tenant', 't1', '--user', 'u1']),
        runCli(prepared.backend, ['token', '--tenant', 't2', '--user', 'u2', '--name', 'Two']),
      ]);
      expect(second.code, second.stderr).toBe(0);
      issued.push(lastLine(second.stdout), lastLine(other.stdout));
      expect(new Set(issued).size).toBe(3);
      const me = await apiClient(server.url, lastLine(other.stdout)).fetch('/api/me');
      expect(await me.json()).toEqual({ tenantId: 't2', userId: 'u2', name: 'Two' });
      const first = await apiClient(server.url, issued[0]).fetch('/api/me');
      expect(await first.json()).toEqual({ tenantId: 't1', userId: 'u1', name: 'Una One' });
      if (kind === 'pglite') {
        // PGlite is single-process: a second server on the same directory is refused, not corrupting it.
        const outcome = await startServerProcess(prepared.backend).then(
          async (unexpected) => {
            await unexpected.stop();
            return 'started';
          },
          (error: Error) => error.message,
        );
        expect(outcome).toMatch(/is in use by process \d+/);
      }
    });

    it('lists and revokes tokens by id or prefix; unknown and ambiguous references fail', async () => {
      const listed = await runCli(prepared.backend, ['tokens', 'list', '--tenant', 't1']);
      expect(listed.code, listed.stderr).toBe(0);
      const lines = listed.stdout.trim().split('\n');
      expect(lines).toHaveLength(2);
      for (const token of issued) expect(listed.stdout).not.toContain(token);
      const [id, prefix, user, createdAt, state] = lines[0]!.split('\t');
      expect([prefix, user, state]).toEqual([issued[0]!.slice(0, 12), 'u1', 'active']);
      expect(id).toMatch(/^tok_[0-9a-f]{12}$/);
      expect(Number.isNaN(Date.parse(createdAt!))).toBe(false);

      const [ambiguous, unknown] = await Promise.all([
        runCli(prepared.backend, ['token', 'revoke', 'fbk_']),
        runCli(prepared.backend, ['token', 'revoke', 'tok_000000000000']),
      ]);
      expect(ambiguous.code).toBe(2);
      expect(ambiguous.stderr).toContain('matches several tokens');
      expect(unknown.code).toBe(2);
      expect(unknown.stderr).toContain('no active token matches');

      const byPrefix = await runCli(prepared.backend, ['token', 'revoke', issued[0]!.slice(0, 12)]);
      expect(byPrefix.code, byPrefix.stderr).toBe(0);
      expect(byPrefix.stdout).toContain(`revoked ${id}`);
      const after = await runCli(prepared.backend, ['tokens', 'list', '--tenant', 't1']);
      expect(after.stdout.split('\n').find((line) => line.startsWith(id!))).toMatch(/\trevoked \d{4}-/);
      const revokedUse = await apiClient(server!.url, issued[0]).fetch('/api/me');
      expect(revokedUse.status).toBe(401);
      const stillValid = await apiClient(server!.url, issued[1]).fetch('/api/me');
      expect(stillValid.status).toBe(200);
    });

    it('keeps only SHA-256 hashes of tokens in the database', async () => {
      await server?.stop();
      server = undefined;
      const rows = await queryBackend<Record<string, unknown>>(
        prepared.backend,
        'SELECT * FROM access_tokens',
      );
      expect(rows).toHaveLength(3);
      const dump = JSON.stringify(rows);
      for (const token of issued) {
        expect(dump).not.toContain(token.slice(12));
        expect(rows.map((row) => row.token_hash)).toContain(hashToken(token));
      }
      if (prepared.backend.kind === 'pglite') {
        // Nowhere in the data directory's files either (heap, WAL), while the hashes are found there.
        const files = filesUnder(prepared.backend.dataDir).map((path) => readFileSync(path));
        for (const token of issued) {
          expect(files.some((bytes) => bytes.includes(token.slice(12)))).toBe(false);
          expect(files.some((bytes) => bytes.includes(hashToken(token)))).toBe(true);
        }
      }
    });
  });
}
