import type { Contact, Lead } from '@shared/schemas';
import { createTestDatabase, getLead } from '@testing/database';
import { insertBypassingHooks, writeBypassingHooks } from '@testing/write-bypassing-hooks';
import { IDBFactory } from 'fake-indexeddb';
import type { RxStorage } from 'rxdb';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { CrmDatabase } from '../database';
import { whenRulesSettled } from './rule-work';
import { loadStoredKeys, storedKeys } from './stored-keys';

/**
 * The in-memory emails and lead ids must answer as storage would: they follow every write, including
 * replicated ones (written straight to storage, like writeBypassingHooks) and those made while they load.
 */
let db: CrmDatabase;
beforeEach(async () => {
  db = await createTestDatabase({ strict: false });
});
afterEach(async () => {
  await whenRulesSettled(db);
  await db.close();
});

const person = (id: string, email: string, status: Contact['status'] = 'Prospect') =>
  ({ id, firstName: 'Ada', lastName: id, email, status }) as Contact;
const replicated = (id: string, email: string) => ({
  ...person(id, email),
  leadId: '',
  isConvertedFromLead: false,
  conversionDate: null,
  updatedAt: 1,
  updatedBy: 'user-bob',
});

/** A storage whose change-feed pages are read at once but handed over only once `held()` resolves. */
function holdingFeedPages(
  storage: RxStorage<unknown, unknown>,
  held: () => Promise<void> | undefined,
): RxStorage<unknown, unknown> {
  return {
    ...storage,
    async createStorageInstance(params) {
      const instance = await storage.createStorageInstance(params);
      const readPage = instance.getChangedDocumentsSince?.bind(instance);
      if (readPage)
        instance.getChangedDocumentsSince = async (limit, checkpoint) => {
          const page = await readPage(limit, checkpoint);
          await held();
          return page;
        };
      return instance;
    },
  };
}

describe('stored keys', () => {
  test('a new database has them at open; another one gets them on its first user write', async () => {
    expect(storedKeys(db)).not.toBeNull();
    const indexedDB = new IDBFactory();
    await db.close();
    db = await createTestDatabase({ strict: false, indexedDB, name: 'reopened' });
    await insertBypassingHooks(
      db,
      'contacts',
      Array.from({ length: 10 }, (_, index) => replicated(`c-${index}`, `p${index}@x.test`)),
    );
    await db.close();
    db = await createTestDatabase({ strict: false, indexedDB, name: 'reopened' });
    expect(storedKeys(db)).toBeNull();
    await db.contacts.insert(person('c-new', 'new@x.test'));
    await loadStoredKeys(db);
    expect(storedKeys(db)?.contacts.holdersOf('p9@x.test')).toEqual(new Set(['c-9']));
    expect(storedKeys(db)?.contacts.holdersOf('new@x.test')).toEqual(new Set(['c-new']));
  });

  test('a replicated email is taken, a deleted or changed one is free again', async () => {
    await loadStoredKeys(db);
    await writeBypassingHooks(db, 'contacts', replicated('c-remote', 'Remote@X.test'));
    await expect(db.contacts.insert(person('c-local', 'remote@x.test'))).rejects.toMatchObject({
      reason: 'duplicate-email',
      message: expect.stringContaining('Ada c-remote'),
    });
    await (await db.contacts.findOne('c-remote').exec())?.incrementalPatch({ email: 'moved@x.test' });
    await db.contacts.insert(person('c-local', 'remote@x.test'));
    await (await db.contacts.findOne('c-local').exec())?.remove();
    await db.contacts.insert(person('c-again', 'remote@x.test'));
    expect(storedKeys(db)?.contacts.holdersOf('remote@x.test')).toEqual(new Set(['c-again']));
  });

  test('writes made while the keys load are not overwritten by the older pages', async () => {
    const indexedDB = new IDBFactory();
    await db.close();
    db = await createTestDatabase({ strict: false, indexedDB, name: 'racing' });
    await insertBypassingHooks(
      db,
      'contacts',
      Array.from({ length: 1001 }, (_, index) => replicated(`c-${index}`, `p${index}@x.test`)),
    );
    await db.close();
    // Once the database is open, the pages read are handed over only after the write below is stored.
    let holding: Promise<void> | undefined;
    let release = () => {};
    db = await createTestDatabase({
      strict: false,
      indexedDB,
      name: 'racing',
      wrapStorage: (storage) => holdingFeedPages(storage, () => holding),
    });
    holding = new Promise<void>((resolve) => {
      release = resolve;
    });
    const loading = loadStoredKeys(db);
    await new Promise((resolve) => setTimeout(resolve, 50));
    // c-999 is on the second page (the feed is in id order within one write).
    await writeBypassingHooks(db, 'contacts', replicated('c-999', 'changed@x.test'));
    release();
    await loading;
    expect(storedKeys(db)?.contacts.holdersOf('p999@x.test').size).toBe(0);
    expect(storedKeys(db)?.contacts.holdersOf('changed@x.test')).toEqual(new Set(['c-999']));
  });

  test('a deleted lead keeps its id taken: the next contact in Lead gets the next id, never a resurrection', async () => {
    await loadStoredKeys(db);
    await db.leads.insert({ id: 'lead-c-jane', firstName: 'Lou', lastName: 'Lead' } as Lead);
    await (await db.leads.findOne('lead-c-jane').exec())?.remove();
    expect(storedKeys(db)?.leads.has('lead-c-jane')).toBe(true);
    await db.contacts.insert(person('c-jane', 'jane@x.test', 'Lead'));
    expect((await getLead(db, 'lead-c-jane-2')).contactId).toBe('c-jane');
    expect(await db.leads.count().exec()).toBe(1);
  });
});
