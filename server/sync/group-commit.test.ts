import { describe, expect, it } from 'vitest';
import { createToken } from '../auth/tokens';
import type { Storage } from '../db';
import { backendKinds } from '../testing/server-process';
import { pushRow as row, useMigratedStorage } from '../testing/storage';
import { PushGroups } from './group-commit';
import { pullDocuments } from './repository';

for (const { kind, available, label } of backendKinds) {
  describe.skipIf(!available)(`concurrent pushes of one tenant share one transaction [${label}]`, () => {
    const opened = useMigratedStorage(kind, 4);
    let transactions = 0;
    let tenant = 0;
    /** The storage, counting the transactions it opens. */
    const counted = () =>
      Object.assign(Object.create(opened.storage) as Storage, {
        transaction: <T>(work: Parameters<Storage['transaction']>[0]) => {
          transactions += 1;
          return opened.storage.transaction(work) as Promise<T>;
        },
      });

    async function newTenant(): Promise<string> {
      tenant += 1;
      const tenantId = `group-${tenant}`;
      await createToken(opened.storage, { tenantId, userId: 'alice' });
      transactions = 0;
      return tenantId;
    }

    const ids = (documents: { id: string }[]) => documents.map((document) => document.id);
    const pulled = async (tenantId: string, collection: 'contacts' | 'leads' = 'contacts') =>
      JSON.parse((await pullDocuments(opened.storage, tenantId, collection, 0, 100, null)).json)
        .documents as {
        id: string;
        serverRev: number;
        firstName: string;
      }[];

    it('writes the pushes that waited in one transaction; each gets its own answer, seqs follow arrival', async () => {
      const tenantId = await newTenant();
      const groups = new PushGroups(counted());
      const pushes = Array.from({ length: 10 }, (_, index) =>
        groups.push(tenantId, index === 5 ? 'leads' : 'contacts', [row(`p${index}-a`), row(`p${index}-b`)]),
      );
      const outcomes = await Promise.all(pushes);
      // The first push starts at once; the nine that arrived while it ran go together.
      expect(transactions).toBe(2);
      outcomes.forEach((outcome, index) => {
        expect(ids(outcome.accepted)).toEqual([`p${index}-a`, `p${index}-b`]);
        expect(outcome.conflicts).toEqual([]);
        expect(outcome.rejected).toEqual([]);
        expect(outcome.lastSeq).toBe(outcome.accepted[1]!.serverRev);
      });
      const contacts = await pulled(tenantId);
      expect(contacts.map((document) => document.serverRev)).toEqual(
        outcomes
          .filter((_, index) => index !== 5)
          .flatMap((outcome) => outcome.accepted.map((a) => a.serverRev)),
      );
      const seqs = outcomes.flatMap((outcome) => outcome.accepted.map((revision) => revision.serverRev));
      expect(new Set(seqs).size).toBe(20);
      expect(Math.max(...seqs) - Math.min(...seqs)).toBe(19);
    });

    it('a document pushed twice in one group: the second push meets the first as a conflict, as if sequential', async () => {
      const tenantId = await newTenant();
      const groups = new PushGroups(counted());
      const first = groups.push(tenantId, 'contacts', [row('warm-up')]);
      const [a, b] = [
        groups.push(tenantId, 'contacts', [row('same', { firstName: 'From A' })]),
        groups.push(tenantId, 'contacts', [row('same', { firstName: 'From B' }), row('other')]),
      ];
      await first;
      const [outcomeA, outcomeB] = await Promise.all([a, b]);
      expect(transactions).toBe(2);
      expect(ids(outcomeA.accepted)).toEqual(['same']);
      expect(ids(outcomeB.accepted)).toEqual(['other']);
      expect(outcomeB.conflicts).toMatchObject([{ id: 'same', firstName: 'From A' }]);
      expect((await pulled(tenantId)).find((document) => document.id === 'same')?.firstName).toBe('From A');
    });

    it('a row the database refuses: the group is applied push by push, only that row is rejected', async () => {
      const tenantId = await newTenant();
      const groups = new PushGroups(counted());
      const first = groups.push(tenantId, 'contacts', [row('warm-up')]);
      const group = [
        groups.push(tenantId, 'contacts', [row('g1')]),
        // A value validation refuses; here it reaches the database as a bug in validation would let it.
        groups.push(tenantId, 'contacts', [row('g2'), row('nul', { notes: 'a\u0000b' }), row('g3')]),
        groups.push(tenantId, 'contacts', [row('g4')]),
      ];
      await first;
      const outcomes = await Promise.all(group);
      expect(outcomes.map((outcome) => ids(outcome.accepted))).toEqual([['g1'], ['g2', 'g3'], ['g4']]);
      expect(outcomes[1]!.rejected.map((rejected) => rejected.id)).toEqual(['nul']);
      const seqs = (await pulled(tenantId)).map((document) => document.serverRev);
      expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, index) => seqs[0]! + index));
      expect(ids(await pulled(tenantId))).toEqual(['warm-up', 'g1', 'g2', 'g3', 'g4']);
    });
  });
}
