import type { Contact, Lead } from '@shared/schemas';
import { createTestDatabase, getLead } from '@testing/database';
import { StorageOperationLog } from '@testing/storage-operations';
import { insertBypassingHooks, writeBypassingHooks } from '@testing/write-bypassing-hooks';
import { IDBFactory } from 'fake-indexeddb';
import type { RxStorage } from 'rxdb';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { CrmDatabase } from '../database';
import { adaptingEachInstance } from '../storage-instances';
import { whenRulesSettled } from './rule-work';
import { loadStoredKeys, openStoredKeys, storedKeys } from './stored-keys';

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

type Held = () => Promise<void> | undefined;

/** `target` whose `where(…)…keys()` chains (reads of index keys) resolve only once `held()` does. */
function holdingKeyReads<T extends object>(target: T, held: Held): T {
  return new Proxy(target, {
    get(object, property) {
      const value = Reflect.get(object, property) as unknown;
      if (typeof value !== 'function') return value;
      const method = value as (...args: unknown[]) => unknown;
      if (property === 'keys')
        return async (...args: unknown[]) => {
          const keys = await method.apply(object, args);
          await held();
          return keys;
        };
      if (property === 'where' || property === 'above' || property === 'limit')
        return (...args: unknown[]) => holdingKeyReads(method.apply(object, args) as object, held);
      return method.bind(object);
    },
  });
}

/** A Dexie storage whose index-key pages are read at once but handed over only once `held()` resolves. */
function holdingIndexKeyPages(storage: RxStorage<unknown, unknown>, held: Held): RxStorage<unknown, unknown> {
  return adaptingEachInstance(storage, (instance) => {
    const dexieInstance = instance as unknown as { internals: Promise<{ dexieTable: object }> };
    dexieInstance.internals = dexieInstance.internals.then((dexie) => ({
      ...dexie,
      dexieTable: holdingKeyReads(dexie.dexieTable, held),
    }));
  });
}

/** A database with `count` contacts stored (as replication stores them), reopened with the keys not loaded. */
async function reopenedWithContacts(
  count: number,
  wrapStorage?: (storage: RxStorage<unknown, unknown>) => RxStorage<unknown, unknown>,
): Promise<CrmDatabase> {
  const indexedDB = new IDBFactory();
  await db.close();
  db = await createTestDatabase({ strict: false, indexedDB, name: 'reopened' });
  await insertBypassingHooks(
    db,
    'contacts',
    Array.from({ length: count }, (_, index) => replicated(`c-${index}`, `p${index}@x.test`)),
  );
  await db.close();
  return createTestDatabase({ strict: false, indexedDB, name: 'reopened', wrapStorage });
}

describe('stored keys', () => {
  test('a new database has them at open; another one gets them on its first user write', async () => {
    expect(storedKeys(db)).not.toBeNull();
    db = await reopenedWithContacts(10);
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

  test('opening a stored database counts nothing: whether it holds documents is one read per collection', async () => {
    const log = new StorageOperationLog();
    db = await reopenedWithContacts(50, (storage) => log.wrap(storage));
    // IndexedDB counts by walking every index entry: at 100,000 contacts the count held the first screen.
    expect(log.total('count', () => true).calls, log.describe()).toBe(0);
    log.reset();
    await openStoredKeys(db);
    const read = (collection: string) => log.total('query', collection);
    expect([read('contacts'), read('leads')].map(({ calls, documents }) => ({ calls, documents }))).toEqual([
      { calls: 1, documents: 1 },
      { calls: 1, documents: 0 },
    ]);
    expect(storedKeys(db)).toBeNull();
  });

  test('loading reads index keys only: no document is read', async () => {
    const log = new StorageOperationLog();
    db = await reopenedWithContacts(50, (storage) => log.wrap(storage));
    log.reset();
    await loadStoredKeys(db);
    expect(log.describe()).toBe('');
    expect(storedKeys(db)?.contacts.holdersOf('p49@x.test')).toEqual(new Set(['c-49']));
  });

  test('writes made while the keys load are not overwritten by the older pages', async () => {
    // Once the database is open, the pages read are handed over only after the write below is stored.
    let holding: Promise<void> | undefined;
    let release = () => {};
    db = await reopenedWithContacts(10, (storage) => holdingIndexKeyPages(storage, () => holding));
    holding = new Promise<void>((resolve) => {
      release = resolve;
    });
    const loading = loadStoredKeys(db);
    await new Promise((resolve) => setTimeout(resolve, 50));
    await writeBypassingHooks(db, 'contacts', replicated('c-9', 'changed@x.test'));
    release();
    await loading;
    expect(storedKeys(db)?.contacts.holdersOf('p9@x.test').size).toBe(0);
    expect(storedKeys(db)?.contacts.holdersOf('changed@x.test')).toEqual(new Set(['c-9']));
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
