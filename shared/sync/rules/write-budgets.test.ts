import type { Contact } from '@shared/schemas';
import { createTestDatabase } from '@testing/database';
import { StorageOperationLog } from '@testing/storage-operations';
import { insertBypassingHooks } from '@testing/write-bypassing-hooks';
import { IDBFactory } from 'fake-indexeddb';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import type { CrmDatabase } from '../database';
import { adaptingEachInstance } from '../storage-instances';
import { whenRulesSettled } from './rule-work';
import { loadStoredKeys } from './stored-keys';

/**
 * Operation budgets of local writes: the storage calls one write costs, counted by a wrapper around the
 * storage (deterministic, in Node; the times are in bench/). IndexedDB runs an origin's transactions one
 * after another, so every storage call on the path of a write adds to its time (docs/architecture.md).
 */
const log = new StorageOperationLog();
let db: CrmDatabase;
beforeEach(async () => {
  db = await createTestDatabase({ strict: false, wrapStorage: (storage) => log.wrap(storage) });
  // The in-memory emails and lead ids (stored-keys.ts) load on the first local write; here, up front.
  await loadStoredKeys(db);
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
  test('creating a contact in Lead: no read, the contact, its lead, then one audit write', async () => {
    await db.contacts.insert(contact('Lead'));
    // Email unique among contacts and leads, lead id free: answered from memory (stored-keys.ts).
    expect(operations()).toEqual({
      'contacts.bulkWrite': '1/1',
      'leads.bulkWrite': '1/1',
    });
    await whenRulesSettled(db);
    expect(operations()['activities.bulkWrite']).toBe('1/2');
  });

  test('a taken email is refused without reading more than the holder, to name it', async () => {
    const holder = contact('Prospect');
    await db.contacts.insert(holder);
    await whenRulesSettled(db);
    log.reset();
    await expect(db.contacts.insert({ ...contact('Lead'), email: holder.email })).rejects.toMatchObject({
      reason: 'duplicate-email',
      message: expect.stringContaining(`Ada ${holder.lastName}`),
    });
    expect(operations()).toEqual({ 'contacts.findDocumentsById': '1/1' });
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

  test('updating many linked contacts at once (a re-import chunk): their leads are read and written together', async () => {
    const count = 100;
    const created = Array.from({ length: count }, () => contact('Lead'));
    await db.contacts.bulkInsert(created);
    await whenRulesSettled(db);
    const stored = await db.contacts.findByIds(created.map((each) => each.id)).exec();
    log.reset();
    // As the import writes a chunk's updates: every contact's incrementalPatch at once.
    await Promise.all(
      created.map((each, index) =>
        stored.get(each.id)!.incrementalPatch({ phone: `+44 20 7946 ${String(index).padStart(4, '0')}` }),
      ),
    );
    await whenRulesSettled(db);
    const { 'activities.bulkWrite': _, ...calls } = Object.fromEntries(
      [...log.operations].map(([key, operation]) => [key, operation.calls]),
    );
    const leads = await db.leads.find().exec();
    expect(new Set(leads.map((lead) => lead.phone)).size).toBe(count);
    // RxDB's incremental write queue writes the first patch alone and the rest together: two rounds, each
    // writing its contacts' leads (post hooks) with one call. The leads' reads (pre hooks) are batched per
    // tick: 3 calls, or 4 when RxDB spreads a round's hooks over two ticks (seen in 2 of 5 runs).
    // Before the batching: 100 reads, 100 writes.
    const { 'leads.findDocumentsById': leadReads = 0, ...writes } = calls;
    expect(writes, log.describe()).toEqual({ 'contacts.bulkWrite': 2, 'leads.bulkWrite': 2 });
    expect(leadReads, log.describe()).toBeGreaterThanOrEqual(3);
    expect(leadReads, log.describe()).toBeLessThanOrEqual(4);
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
      // No read: emails and lead ids are answered from memory.
      'contacts.bulkWrite': `1/${count}`,
      'leads.bulkWrite': `1/${count / 2}`,
    });
    // One "created" entry per contact and one R1 entry per lead; the R1 entries come after the leads'
    // write, which may outlast the audit queue's quiet period (then they are a second write).
    const audit = log.total('bulkWrite', 'activities');
    expect(audit.documents).toBe(count * 1.5);
    expect(audit.calls).toBeLessThanOrEqual(2);
  });

  test("a bulk insert's audit entries are written once its leads are stored, in one write", async () => {
    // Another database whose storage notes when each collection's writes begin and end.
    const events: string[] = [];
    await db.close();
    db = await createTestDatabase({
      strict: false,
      wrapStorage: (storage) =>
        adaptingEachInstance(storage, (instance, params) => {
          const write = instance.bulkWrite.bind(instance);
          instance.bulkWrite = async (rows, context) => {
            events.push(`${params.collectionName} begins`);
            // The leads' write outlasts the contacts' (as in Chromium, where the two run side by side).
            if (params.collectionName === 'leads') await new Promise((resolve) => setTimeout(resolve, 100));
            try {
              return await write(rows, context);
            } finally {
              events.push(`${params.collectionName} ends`);
            }
          };
        }),
    });
    // 500 contacts not in Lead queue as many "created" entries before any lead is stored: enough for
    // the audit queue's largest batch, which no longer waits for a pause in the writes.
    const count = 1000;
    await db.contacts.bulkInsert(
      Array.from({ length: count }, (_, index) => contact(index % 2 === 0 ? 'Lead' : 'Prospect')),
    );
    await whenRulesSettled(db);
    const audit = events.filter((event) => event.startsWith('activities'));
    expect(audit).toEqual(['activities begins', 'activities ends']);
    expect(events.indexOf('activities begins')).toBeGreaterThan(events.indexOf('leads ends'));
    expect(await db.activities.count().exec()).toBe(count * 1.5);
  });

  test('before the keys are loaded, a bulk insert into a collection many times its size looks each email up exactly', async () => {
    // A database opened with documents (its keys load on its first user write: stored-keys.ts), whose first
    // user write is this one.
    const indexedDB = new IDBFactory();
    await db.close();
    db = await createTestDatabase({ strict: false, indexedDB, name: 'large' });
    const seeded = Array.from({ length: 120 }, () => ({ ...contact('Prospect'), leadId: '' }));
    await insertBypassingHooks(db, 'contacts', seeded);
    await db.close();
    db = await createTestDatabase({
      strict: false,
      indexedDB,
      name: 'large',
      wrapStorage: (storage) => log.wrap(storage),
    });
    log.reset();
    // RxDB's $in scans every document between the smallest and the largest key: 120 here, for 2 keys.
    await db.contacts.bulkInsert([contact('Prospect'), contact('Prospect')]);
    expect(log.total('count', 'contacts').calls).toBe(1);
    expect(log.total('query', 'contacts').calls).toBe(2);
    // The exact lookups still find a taken email.
    const taken = { ...contact('Prospect'), email: seeded[60]?.email ?? '' };
    await expect(db.contacts.bulkInsert([taken, contact('Prospect')])).rejects.toMatchObject({
      reason: 'duplicate-email',
    });
  });

  test("a single write's audit entries are written at once, without waiting for writes to pause", async () => {
    // The clock stands still: a flush that waited for a quiet period would never start.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    await db.contacts.insert(contact('Lead'));
    await untilWithoutTimers(() => log.total('bulkWrite', 'activities').calls > 0);
    expect(operations()['activities.bulkWrite']).toBe('1/2');
  });

  test('the audit entries of creates in a row: the first alone at once, the rest in one write', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    for (let index = 0; index < 20; index++) {
      await db.contacts.insert(contact('Lead'));
      // The first write's entries are stored before the second write: the burst is told by the time between
      // writes, not by a flush still running.
      if (index === 0) await untilWithoutTimers(() => log.total('bulkWrite', 'activities').calls > 0);
      // Writes 10 ms apart: one burst.
      vi.advanceTimersByTime(10);
    }
    expect(operations()['activities.bulkWrite']).toBe('1/2');
    vi.advanceTimersByTime(30);
    await whenRulesSettled(db);
    expect(operations()['activities.bulkWrite']).toBe('2/40');
  });
});

/**
 * Lets the storage work (fake-indexeddb runs on setImmediate, which the tests above do not fake) go on while
 * the faked clock stands still, until `done` or a bound of turns.
 */
async function untilWithoutTimers(done: () => boolean): Promise<void> {
  for (let turn = 0; turn < 500 && !done(); turn++) await new Promise((resolve) => setImmediate(resolve));
}
