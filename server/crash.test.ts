import type { WireDocument } from '@shared/schemas';
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

for (const { kind, available, label } of backendKinds) {
  describe.skipIf(!available)(`crash during a push storm [${label}]`, () => {
    let prepared: PreparedBackend;
    let server: ServerProcess;
    let token: string;

    beforeAll(async () => {
      prepared = await prepareBackend(kind);
      server = await startServerProcess(prepared.backend);
      token = await createToken(prepared.backend, 'crash', 'writer');
    }, 90_000);

    afterAll(async () => {
      await server?.stop();
      await prepared?.cleanup();
    });

    it('keeps every acknowledged write after SIGKILL and restart', async () => {
      const acknowledged = new Map<string, string>();
      const failures: unknown[] = [];
      let stormRunning = true;
      const api = apiClient(server.url, token);
      const pushers = Array.from({ length: 4 }, async (_, pusher) => {
        for (let batch = 0; stormRunning; batch++) {
          const docs = Array.from({ length: 50 }, (_, i) =>
            contactDoc(`w${pusher}-${batch}-${i}`, {
              notes: `written by pusher ${pusher} in batch ${batch}`,
            }),
          );
          try {
            const result = await api.push(
              'contacts',
              docs.map((doc) => ({ newDocumentState: doc })),
            );
            expect(result).toMatchObject({ conflicts: [], rejected: [] });
            for (const doc of docs) acknowledged.set(doc.id, doc.notes as string);
          } catch (error) {
            // The server died under this request: unacknowledged, the client would push it again.
            failures.push(error);
            return;
          }
        }
      });

      await expect.poll(() => acknowledged.size, { timeout: 30_000, interval: 20 }).toBeGreaterThan(600);
      await server.kill();
      stormRunning = false;
      await Promise.all(pushers);
      expect(failures.length).toBeGreaterThan(0);

      server = await startServerProcess(prepared.backend);
      const restarted = apiClient(server.url, token);
      const { documents } = await restarted.pullAll('contacts', 0, 5000);
      const stored = new Map(documents.map((doc: WireDocument) => [doc.id, doc.notes]));
      const lost = [...acknowledged].filter(([id, notes]) => stored.get(id) !== notes);
      expect(lost).toEqual([]);

      // The sequence continues after the crash: a new write sorts after everything stored.
      await restarted.push('contacts', [{ newDocumentState: contactDoc('after-restart') }]);
      const maxBefore = Math.max(...documents.map((doc) => Number(doc.serverRev)));
      const [after] = (await restarted.pull('contacts', maxBefore)).documents;
      expect(after?.id).toBe('after-restart');
    });
  });
}
