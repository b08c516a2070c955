import type { CrmDatabase } from '@shared/sync';
import { createTestDatabase } from '@testing/database';
import type { PreparedQuery, RxStorage } from 'rxdb';
import { afterEach, describe, expect, it } from 'vitest';
import { findExisting } from './matchExisting';
import type { CheckedRow } from './validateRows';

type EmailRange = { from: string; to: string };

/** Wraps the storage to record the email index range of every query of the contacts collection. */
function recordingEmailRanges(ranges: EmailRange[]) {
  return (storage: RxStorage<unknown, unknown>): RxStorage<unknown, unknown> => ({
    ...storage,
    async createStorageInstance(params) {
      const instance = await storage.createStorageInstance(params);
      if (params.collectionName !== 'contacts') return instance;
      return new Proxy(instance, {
        get(target, property, receiver) {
          const value = Reflect.get(target, property, receiver) as unknown;
          if (property !== 'query' || typeof value !== 'function') return value;
          return (prepared: PreparedQuery<unknown>) => {
            const { index, startKeys, endKeys } = prepared.queryPlan;
            const at = index.indexOf('emailKey');
            if (at !== -1) ranges.push({ from: startKeys[at] as string, to: endKeys[at] as string });
            return value.apply(target, [prepared]);
          };
        },
      });
    },
  });
}

function rowWithEmail(emailKey: string): CheckedRow {
  return {
    rowNumber: 2,
    document: { id: emailKey, firstName: 'A', emailKey },
    issues: [],
    provided: ['firstName', 'email'],
    fileId: '',
    converted: false,
    times: { createdAt: null, updatedAt: null },
  };
}

let db: CrmDatabase | undefined;
afterEach(async () => {
  await db?.close();
});

describe('findExisting', () => {
  it('looks emails up in sorted chunks, so each query reads its own slice of the email index', async () => {
    const ranges: EmailRange[] = [];
    db = await createTestDatabase({ wrapStorage: recordingEmailRanges(ranges) });
    await db.contacts.insert({ id: 'other', firstName: 'O', email: 'zz@y.io', status: 'Active' } as never);
    ranges.length = 0;
    // 1,200 emails in the scattered order a CRM export has them.
    const emails = Array.from(
      { length: 1200 },
      (_, index) => `p${String((index * 7919) % 1200).padStart(4, '0')}@x.io`,
    );
    expect(await findExisting(db, 'contacts', emails.map(rowWithEmail))).toEqual(new Map());

    expect(ranges).toHaveLength(3);
    expect(ranges[0]).toEqual({ from: 'p0000@x.io', to: 'p0499@x.io' });
    for (const [index, range] of ranges.entries()) {
      expect(range.from <= range.to).toBe(true);
      if (index > 0) expect(ranges[index - 1]!.to < range.from).toBe(true);
    }
  });

  it('asks nothing of an empty collection (a first import)', async () => {
    const ranges: EmailRange[] = [];
    db = await createTestDatabase({ wrapStorage: recordingEmailRanges(ranges) });
    expect(await findExisting(db, 'contacts', ['a@x.io', 'b@x.io'].map(rowWithEmail))).toEqual(new Map());
    expect(ranges).toEqual([]);
  });
});
