import type { Contact } from '@shared/schemas';
import { createTestDatabase, getContact, getLead } from '@testing/database';
import { StorageOperationLog } from '@testing/storage-operations';
import { writeBypassingHooks } from '@testing/write-bypassing-hooks';
import { IDBFactory } from 'fake-indexeddb';
import { createRevision, type RxCollection } from 'rxdb';
import { afterEach, describe, expect, test } from 'vitest';
import type { CrmDatabase } from '../database';
import { checkAllData, checkInvariants, reconcile } from '../index';

/**
 * Reconcile looks at what changed since its last run (reconcile-scope.ts). These cases break a pair with
 * a replicated-style write (no hooks) on ONE side only, so that the other side, untouched, must be found
 * through its reference; and they count what a run reads from storage.
 */
let db: CrmDatabase | undefined;
afterEach(async () => {
  await db?.close();
  db = undefined;
});

const pairs = 40;
const contactsInLead = Array.from({ length: pairs }, (_, index) => ({
  id: `c-${String(index).padStart(3, '0')}`,
  firstName: `First ${index}`,
  lastName: 'Pair',
  email: `pair${index}@acme.test`,
  status: 'Lead',
}));

async function openWithPairs(log?: StorageOperationLog, indexedDB = new IDBFactory()) {
  db = await createTestDatabase({
    indexedDB,
    name: 'reconcile-scope',
    ...(log ? { wrapStorage: (storage) => log.wrap(storage) } : {}),
  });
  await db.contacts.bulkInsert(contactsInLead as Contact[]);
  await reconcile(db); // the checkpoint moves past the inserts
  return db;
}

/** Documents read from the contacts and leads storage. */
function linkedReads(log: StorageOperationLog): number {
  const linked = (label: string) => label === 'contacts' || label === 'leads';
  return (['findDocumentsById', 'query', 'getChangedDocumentsSince'] as const).reduce(
    (sum, method) => sum + log.total(method, linked).documents,
    0,
  );
}

describe('reconcile after a sync round looks at what changed', () => {
  test('a contact that arrived without its lead: the lead, untouched, is found and linked again', async () => {
    const log = new StorageOperationLog();
    const db = await openWithPairs(log);
    // Only the contact side of a pair changed (lead-c-000 still points at c-000, which no longer points back).
    await writeBypassingHooks(db, 'contacts', { id: 'c-000', leadId: '', updatedAt: Date.now() });
    expect((await checkInvariants(db)).map((violation) => violation.invariant)).toEqual(['I1']);
    log.reset();

    await reconcile(db);

    expect(await checkInvariants(db)).toEqual([]);
    expect((await getContact(db, 'c-000')).leadId).toBe('lead-c-000');
    expect(linkedReads(log), log.describe()).toBeLessThan(20); // of 80 linked documents
  });

  test('a contact deleted elsewhere: its lead, untouched, lets go of it', async () => {
    const db = await openWithPairs();
    const collection = db.contacts as unknown as RxCollection;
    const [previous] = await collection.storageInstance.findDocumentsById(['c-001'], false);
    if (!previous) throw new Error('c-001 missing');
    const tombstone = { ...previous, _deleted: true, _rev: createRevision(db.token, previous) };
    await collection.storageInstance.bulkWrite([{ previous, document: tombstone }], 'test-replicated-delete');

    await reconcile(db);

    expect((await getLead(db, 'lead-c-001')).contactId).toBe('');
    expect(await checkInvariants(db)).toEqual([]);
  });

  test('a second run without changes reads nothing but the change feed', async () => {
    const log = new StorageOperationLog();
    const db = await openWithPairs(log);
    log.reset();
    expect(await reconcile(db)).toEqual({ retried: 0, documentsWritten: 0, failures: 0 });
    expect(linkedReads(log), log.describe()).toBe(0);
  });

  test('start-up reads only what changed since the last run, also after a crash mid-write', async () => {
    const indexedDB = new IDBFactory();
    const first = await openWithPairs(undefined, indexedDB);
    // The last session stored a contact edit but never wrote its lead (as a crash before the linked write).
    await writeBypassingHooks(first, 'contacts', {
      id: 'c-002',
      company: 'Crashed Co',
      updatedAt: Date.now(),
    });
    await first.close();

    const log = new StorageOperationLog();
    db = await createTestDatabase({ indexedDB, name: 'reconcile-scope', wrapStorage: (s) => log.wrap(s) });
    expect((await getLead(db, 'lead-c-002')).company).toBe('Crashed Co');
    expect(linkedReads(log), log.describe()).toBeLessThan(10);
  });
});

describe('Check data (checkAllData)', () => {
  test('looks at every linked pair and repairs what it finds', async () => {
    const db = await openWithPairs();
    await writeBypassingHooks(db, 'leads', {
      id: 'lead-c-003',
      firstName: 'Renamed',
      updatedAt: Date.now() + 5,
    });

    const result = await checkAllData(db);

    expect(result).toMatchObject({ checked: 2 * pairs, failures: 0 });
    expect(result.documentsWritten).toBeGreaterThan(0);
    expect((await getContact(db, 'c-003')).firstName).toBe('Renamed');
    expect(await checkAllData(db)).toEqual({
      checked: 2 * pairs,
      retried: 0,
      documentsWritten: 0,
      failures: 0,
    });
  });
});
