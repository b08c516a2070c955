import type { WireDocument } from '@shared/schemas';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient, contactDoc } from './testing/fixtures';
import {
  backendKinds,
  createToken,
  type PreparedBackend,
  prepareBackend,
  type ServerProcess,
  startServerProcess,
} from './testing/server-process';

const PUSHERS = 8;
const BATCHES_PER_PUSHER = 15;
const DOCS_PER_BATCH = 20;

for (const { kind, available, label } of backendKinds) {
  describe.skipIf(!available)(`ordering under concurrent pushes [${label}]`, () => {
    let prepared: PreparedBackend;
    // PostgreSQL: two server processes over one database, so commits also race across processes.
    const servers: ServerProcess[] = [];
    let token: string;

    beforeAll(async () => {
      prepared = await prepareBackend(kind);
      const count = kind === 'postgres' ? 2 : 1;
      servers.push(
        ...(await Promise.all(Array.from({ length: count }, () => startServerProcess(prepared.backend)))),
      );
      token = await createToken(prepared.backend, 'order', 'pusher');
    }, 90_000);

    afterAll(async () => {
      await Promise.all(servers.map((server) => server.stop()));
      await prepared?.cleanup();
    });

    it('never lets a pull by checkpoint skip a write that commits late', async () => {
      const acknowledged = new Set<string>();
      let pushing = true;

      const pushers = Array.from({ length: PUSHERS }, async (_, pusher) => {
        const api = apiClient(servers[pusher % servers.length]!.url, token);
        for (let batch = 0; batch < BATCHES_PER_PUSHER; batch++) {
          const ids = Array.from({ length: DOCS_PER_BATCH }, (_, i) => `p${pusher}-b${batch}-d${i}`);
          const result = await api.push(
            'contacts',
            ids.map((id) => ({ newDocumentState: contactDoc(id) })),
          );
          expect(result).toMatchObject({ conflicts: [], rejected: [] });
          for (const id of ids) acknowledged.add(id);
        }
      });

      // A client that keeps pulling small pages while the pushes commit, alternating between servers.
      const seen = new Map<string, number>();
      let checkpoint = 0;
      let lastSeq = 0;
      let round = 0;
      const pullOnce = async () => {
        const api = apiClient(servers[round++ % servers.length]!.url, token);
        const page = await api.pull('contacts', checkpoint, 37);
        for (const doc of page.documents as WireDocument[]) {
          const seq = Number(doc.serverRev);
          expect(seq).toBeGreaterThan(lastSeq);
          lastSeq = seq;
          expect(seen.has(doc.id), `${doc.id} pulled twice`).toBe(false);
          seen.set(doc.id, seq);
        }
        checkpoint = page.checkpoint.seq;
        return page.documents.length;
      };
      const puller = (async () => {
        while (pushing) await pullOnce();
      })();

      await Promise.all(pushers);
      pushing = false;
      await puller;
      while ((await pullOnce()) > 0) {
        // drain what committed after the last concurrent pull
      }

      expect(acknowledged.size).toBe(PUSHERS * BATCHES_PER_PUSHER * DOCS_PER_BATCH);
      const missing = [...acknowledged].filter((id) => !seen.has(id));
      expect(missing).toEqual([]);
      expect(seen.size).toBe(acknowledged.size);
    });

    it.skipIf(kind !== 'postgres')('keeps planner statistics fresh as documents grow (ANALYZE)', async () => {
      if (prepared.backend.kind !== 'postgres') return;
      // Without it a fresh table keeps "empty" statistics and the push lookup scans whole collections.
      const client = new pg.Client({ connectionString: prepared.backend.databaseUrl });
      await client.connect();
      try {
        await expect
          .poll(async () => {
            const { rows } = await client.query(
              "SELECT last_analyze FROM pg_stat_user_tables WHERE relname = 'documents'",
            );
            return rows[0]?.last_analyze ?? null;
          })
          .not.toBeNull();
      } finally {
        await client.end();
      }
    });

    it('accepts exactly one of many concurrent pushes based on the same revision', async () => {
      const api = apiClient(servers[0]!.url, token);
      await api.push('contacts', [{ newDocumentState: contactDoc('contended') }]);
      const base = (await api.pullAll('contacts')).documents.find((doc) => doc.id === 'contended')!;
      const results = await Promise.all(
        Array.from({ length: 12 }, (_, i) =>
          apiClient(servers[i % servers.length]!.url, token).push('contacts', [
            { newDocumentState: { ...base, notes: `writer ${i}` }, assumedMasterState: base },
          ]),
        ),
      );
      const winners = results.filter((result) => result.conflicts.length === 0);
      expect(winners).toHaveLength(1);
      const current = (await api.pullAll('contacts')).documents.find((doc) => doc.id === 'contended')!;
      for (const result of results.filter((r) => r.conflicts.length > 0)) {
        expect(result.conflicts).toEqual([current]);
      }
    });
  });
}
