import { beforeAll, describe, expect, it } from 'vitest';
import { createToken } from '../auth/tokens';
import { backendKinds } from '../testing/server-process';
import { pushRow as row, useMigratedStorage } from '../testing/storage';
import { pullDocuments, pushDocuments } from './repository';

for (const { kind, available, label } of backendKinds) {
  describe.skipIf(!available)(`a row the database refuses is rejected alone [${label}]`, () => {
    const opened = useMigratedStorage(kind);
    beforeAll(() => createToken(opened.storage, { tenantId: 'acme', userId: 'alice' }));

    it('lands the rest of the batch, in order, with one rejection per refused row', async () => {
      // Values validation refuses; here they reach the database as a bug in validation would let them.
      const rows = [
        row('a'),
        row('nul', { notes: 'a\u0000b' }),
        row('b'),
        row('surrogate', { notes: '\udc00' }),
        row('c'),
      ];
      const result = await pushDocuments(opened.storage, 'acme', 'contacts', rows);
      expect(result.accepted.map((revision) => revision.id)).toEqual(['a', 'b', 'c']);
      const serverRevs = result.accepted.map((revision) => revision.serverRev);
      expect(serverRevs).toEqual([...serverRevs].sort((x, y) => x - y));
      expect(result.lastSeq).toBe(serverRevs.at(-1));
      expect(result.rejected.map((rejected) => rejected.id)).toEqual(['nul', 'surrogate']);
      for (const rejected of result.rejected) {
        expect(rejected.reason).toMatch(/^The server could not store this document: .*22P0\d/);
        expect(rejected.issues).toEqual([{ field: '(document)', message: expect.any(String) }]);
      }
      const page = JSON.parse((await pullDocuments(opened.storage, 'acme', 'contacts', 0, 100, null)).json);
      expect(page.documents.map((doc: { id: string }) => doc.id)).toEqual(['a', 'b', 'c']);
      // The sequence stays gapless after the fallback: the next write follows the last accepted one.
      const next = await pushDocuments(opened.storage, 'acme', 'contacts', [row('d')]);
      expect(next.accepted[0]?.serverRev).toBe(Number(result.lastSeq) + 1);
    });
  });
}
