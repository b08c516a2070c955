import type { Contact } from '@shared/schemas';
import { createTestDatabase } from '@testing/database';
import { StorageOperationLog } from '@testing/storage-operations';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import type { CrmDatabase } from '../database';
import { whenRulesSettled } from './rule-work';

/**
 * Operation budgets of local writes: the storage calls one write costs, counted by a wrapper around the
 * storage (deterministic, in Node; the times are in bench/). IndexedDB runs an origin's transactions one
 * after another, so every storage call on the path of a write adds to its time (docs/architecture.md).
 */
const log = new StorageOperationLog();
let db: CrmDatabase;
beforeEach(async () => {
  db = await createTestDatabase({ strict: false, wrapStorage: (storage) => log.wrap(storage) });
  log.reset();
});
afterEach(async () => {
  vi.useRealTimers();
  await db.close();
});

let counter = 0;
const contact = (status: Contact['status']) => {
  counter += 1;
  return {
    id: `c-${counter}`,
    firstName: 'Ada',
    lastName: `N${counter}`,
    email: `ada${counter}@x.test`,
    status,
  } as Contact;
};

/** `collection.method: calls/documents` of every storage call made since the last reset. */
function operations(): Record<string, string> {
  return Object.fromEntries(
    [...log.operations].map(([key, operation]) => [key, `${operation.calls}/${operation.documents}`]),
  );
}

describe('storage calls of local writes', () => {
  test('creating a contact in Lead: three reads in one round, the contact, its lead, then one audit write', async () => {
    await db.contacts.insert(contact('Lead'));
    expect(operations()).toEqual({
      // Email unique among contacts, among leads (the lead gets it), lead id free (never resurrect).
      'contacts.query': '1/0',
      'leads.query': '1/0',
      'leads.findDocumentsById': '1/0',
      'contacts.bulkWrite': '1/1',
      'leads.bulkWrite': '1/1',
    });
    await whenRulesSettled(db);
    expect(operations()['activities.bulkWrite']).toBe('1/2');
  });

  test('editing a mapped field of a linked contact: one read of its lead, the contact, then the lead', async () => {
    const created = contact('Lead');
    await db.contacts.insert(created);
    await whenRulesSettled(db);
    log.reset();
    const stored = await db.contacts.findOne(created.id).exec();
    await stored?.patch({ phone: '+44 20 7946 0000' });
    expect(operations()).toEqual({
      // The pre hook reads the linked lead from storage; the post hook's re-read is served by RxDB's cache.
      'leads.findDocumentsById': '1/1',
      'contacts.bulkWrite': '1/1',
      'leads.bulkWrite': '1/1',
    });
  });

  test('a bulk insert costs the same few calls whatever its size', async () => {
    const count = 200;
    const result = await db.contacts.bulkInsert(
      Array.from({ length: count }, (_, index) => contact(index % 2 === 0 ? 'Lead' : 'Prospect')),
    );
    expect(result.error).toEqual([]);
    await whenRulesSettled(db);
    const { 'activities.bulkWrite': _, ...documents } = operations();
    expect(documents).toEqual({
      // Both collections are small: one range scan for all emails, after a count that says so.
      'contacts.count': '1/0',
      'contacts.query': '1/0',
      'leads.count': '1/0',
      'leads.query': '1/0',
      'leads.findDocumentsById': '1/0',
      'contacts.bulkWrite': `1/${count}`,
      'leads.bulkWrite': `1/${count / 2}`,
    });
    // One "created" entry per contact and one R1 entry per lead; the R1 entries come after the leads'
    // write, which may outlast the audit queue's quiet period (then they are a second write).
    const audit = log.total('bulkWrite', 'activities');
    expect(audit.documents).toBe(count * 1.5);
    expect(audit.calls).toBeLessThanOrEqual(2);
  });

  test('a bulk insert into a collection many times its size looks each email up exactly', async () => {
    // RxDB's $in scans every document between the smallest and the largest key: 120 here, for 2 keys.
    const seeded = Array.from({ length: 120 }, () => contact('Prospect'));
    const stored = await db.contacts.bulkInsert(seeded);
    expect(stored.error).toEqual([]);
    await whenRulesSettled(db);
    log.reset();
    await db.contacts.bulkInsert([contact('Prospect'), contact('Prospect')]);
    expect(log.total('count', 'contacts').calls).toBe(1);
    expect(log.total('query', 'contacts').calls).toBe(2);
    // The exact lookups still find a taken email.
    const taken = { ...contact('Prospect'), email: seeded[60]?.email ?? '' };
    await expect(db.contacts.bulkInsert([taken, contact('Prospect')])).rejects.toMatchObject({
      reason: 'duplicate-email',
    });
  });

  test('the audit entries of creates in a row share one write', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    for (let index = 0; index < 20; index++) {
      await db.contacts.insert(contact('Lead'));
      // Writes 10 ms apart: one burst.
      vi.advanceTimersByTime(10);
    }
    expect(log.total('bulkWrite', 'activities').calls).toBe(0);
    vi.advanceTimersByTime(30);
    await whenRulesSettled(db);
    expect(operations()['activities.bulkWrite']).toBe('1/40');
  });
});
