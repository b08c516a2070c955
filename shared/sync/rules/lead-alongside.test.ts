import type { Contact } from '@shared/schemas';
import { createTestDatabase } from '@testing/database';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import type { RxStorage } from 'rxdb';
import { getRxStorageDexie } from 'rxdb/plugins/storage-dexie';
import { afterEach, describe, expect, test } from 'vitest';
import { type CrmDatabase, createCrmDatabase } from '../database';
import { checkInvariants, getRuleErrors } from '../index';
import { withLeadsAlongsideContacts } from './lead-alongside';
import { whenRulesSettled } from './rule-work';
import { loadStoredKeys } from './stored-keys';

/**
 * The lead R1 creates is written alongside its contact (two IndexedDB transactions side by side), and a
 * contact whose own storage write fails leaves no lead behind. Storage calls are seen from outside the
 * app's storage, where the contacts' write starts the lead's.
 */
let db: CrmDatabase;
afterEach(async () => {
  await whenRulesSettled(db);
  await db.close();
});

type Step = `${'start' | 'end'} ${string}`;

/** Records the start and end of every bulkWrite; `failContacts` makes the contacts' writes throw after starting. */
function observed(storage: RxStorage<unknown, unknown>, steps: Step[], failContacts: () => boolean) {
  return {
    ...storage,
    async createStorageInstance(params: Parameters<typeof storage.createStorageInstance>[0]) {
      const instance = await storage.createStorageInstance(params);
      const write = instance.bulkWrite.bind(instance);
      const name = params.collectionName;
      instance.bulkWrite = async (rows, context) => {
        steps.push(`start ${name}`);
        try {
          if (name === 'contacts' && failContacts()) {
            await new Promise((resolve) => setTimeout(resolve, 20));
            throw new Error('Injected storage failure');
          }
          return await write(rows, context);
        } finally {
          steps.push(`end ${name}`);
        }
      };
      return instance;
    },
  } as RxStorage<unknown, unknown>;
}

const contact = (id: string, status: Contact['status'] = 'Lead') =>
  ({ id, firstName: 'Ada', lastName: 'Lovelace', email: `${id}@x.test`, status }) as Contact;

describe('the lead of a new contact in Lead', () => {
  test("is written while the contact's own write runs, not after it", async () => {
    const steps: Step[] = [];
    let failing = false;
    db = await createTestDatabase({
      strict: false,
      // Outside the app's storage: this sees the contacts' write, which then starts the lead's.
      wrapStorage: (storage) => observed(storage, steps, () => failing),
    });
    await loadStoredKeys(db);
    failing = false;
    await db.contacts.insert(contact('c-1'));
    const writes = steps.filter((step) => step.endsWith('contacts') || step.endsWith('leads'));
    expect(writes.indexOf('start leads')).toBeLessThan(writes.indexOf('end contacts'));
    expect((await db.leads.findOne('lead-c-1').exec())?.contactId).toBe('c-1');
  });

  test("is deleted again when the contact's own storage write fails: the failed create leaves nothing", async () => {
    const steps: Step[] = [];
    let failing = false;
    // The failure below the app's wrapper, where IndexedDB would fail: the lead's write has started.
    const storage = withLeadsAlongsideContacts(
      observed(getRxStorageDexie({ indexedDB: new IDBFactory(), IDBKeyRange }), steps, () => failing),
    );
    db = await createCrmDatabase({ name: 'alongside-failure', storage, userId: 'user-alice' });
    await loadStoredKeys(db);
    failing = true;
    await expect(db.contacts.insert(contact('c-1'))).rejects.toThrow('Injected storage failure');
    await whenRulesSettled(db);
    expect(steps).toContain('start leads');
    expect(await db.contacts.count().exec()).toBe(0);
    expect(await db.leads.count().exec()).toBe(0);
    expect(await getRuleErrors(db)).toEqual([]);
    // Stored again once the storage works: a new lead id, the withdrawn one stays deleted.
    failing = false;
    await db.contacts.insert(contact('c-1'));
    expect((await db.contacts.findOne('c-1').exec())?.leadId).toBe('lead-c-1-2');
    expect(await checkInvariants(db)).toEqual([]);
  });
});
