/**
 * The one database factory of the Node tests (Dexie over fake-indexeddb, a device per IndexedDB) and the
 * helpers the rule tests share. Test support: nothing in the app imports `testing/`.
 */
import type { Contact, Lead } from '@shared/schemas';
import { type CrmDatabase, createCrmDatabase, crmStorage, whenRulesSettled } from '@shared/sync';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { addRxPlugin, type RxCollection, type RxStorage } from 'rxdb';
import { RxDBDevModePlugin } from 'rxdb/plugins/dev-mode';
import { wrappedValidateAjvStorage } from 'rxdb/plugins/validate-ajv';
import { v7 as uuidv7 } from 'uuid';

export const TEST_USER = 'user-alice';

export type TestDatabaseOptions = {
  userId?: string;
  /** The device's IndexedDB; pass the one of an earlier (closed) database, with its `name`, to reopen it. */
  indexedDB?: InstanceType<typeof IDBFactory>;
  name?: string;
  /**
   * RxDB dev-mode (strict schema checks, deep-frozen document data that catches mutation of RxDB state) and
   * JSON-schema validation of every stored document on top of zod. On by default; the multi-device sync
   * tests turn it off for speed. Dev-mode is a plugin for the whole process once one database asked for it.
   */
  strict?: boolean;
  /** Wraps the storage, e.g. to count its calls (the replication operation-budget tests). */
  wrapStorage?: (storage: RxStorage<unknown, unknown>) => RxStorage<unknown, unknown>;
};

/** A database on its own in-memory IndexedDB (one simulated device). */
export function createTestDatabase(options: TestDatabaseOptions = {}): Promise<CrmDatabase> {
  const { strict = true } = options;
  const plain = crmStorage({ indexedDB: options.indexedDB ?? new IDBFactory(), IDBKeyRange });
  const dexie = options.wrapStorage ? options.wrapStorage(plain) : plain;
  if (strict) addRxPlugin(RxDBDevModePlugin);
  return createCrmDatabase({
    name: options.name ?? `test-${uuidv7()}`,
    storage: strict ? wrappedValidateAjvStorage({ storage: dexie }) : dexie,
    userId: options.userId ?? TEST_USER,
  });
}

export async function getContact(db: CrmDatabase, id: string): Promise<Contact> {
  const doc = await db.contacts.findOne(id).exec();
  if (!doc) throw new Error(`contact ${id} missing`);
  return doc.toJSON() as Contact;
}

export async function getLead(db: CrmDatabase, id: string): Promise<Lead> {
  const doc = await db.leads.findOne(id).exec();
  if (!doc) throw new Error(`lead ${id} missing`);
  return doc.toJSON() as Lead;
}

export async function patchContact(db: CrmDatabase, id: string, patch: Partial<Contact>): Promise<Contact> {
  const doc = await db.contacts.findOne(id).exec();
  if (!doc) throw new Error(`contact ${id} missing`);
  return (await doc.patch(patch)).toJSON() as Contact;
}

export async function patchLead(db: CrmDatabase, id: string, patch: Partial<Lead>): Promise<Lead> {
  const doc = await db.leads.findOne(id).exec();
  if (!doc) throw new Error(`lead ${id} missing`);
  return (await doc.patch(patch)).toJSON() as Lead;
}

/** Counts the stored writes per document id of a collection (every insert, update and deletion). */
export function countWrites<T>(collection: RxCollection<T>) {
  const counts = new Map<string, number>();
  const subscription = collection.$.subscribe((event) => {
    counts.set(event.documentId, (counts.get(event.documentId) ?? 0) + 1);
  });
  return {
    of: (id: string) => counts.get(id) ?? 0,
    reset: () => counts.clear(),
    stop: () => subscription.unsubscribe(),
  };
}

/** A record's audit trail, oldest first (after the queued audit writes have landed). */
export async function activitiesOf(db: CrmDatabase, selector: { contactId?: string; leadId?: string }) {
  await whenRulesSettled(db);
  const docs = await db.activities.find({ selector, sort: [{ createdAt: 'asc' }] }).exec();
  return docs.map((doc) => doc.toJSON());
}
