/** Helpers for the rule tests (Node, Dexie over fake-indexeddb). Not exported from `shared/sync`. */

import type { Contact, Lead } from '@shared/schemas';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { addRxPlugin, type RxCollection } from 'rxdb';
import { RxDBDevModePlugin } from 'rxdb/plugins/dev-mode';
import { getRxStorageDexie } from 'rxdb/plugins/storage-dexie';
import { wrappedValidateAjvStorage } from 'rxdb/plugins/validate-ajv';
import { v7 as uuidv7 } from 'uuid';
import { type CrmDatabase, createCrmDatabase } from '../database';
import { whenRulesSettled } from './rule-work';

// Dev-mode in tests: strict schema checks, deep-frozen document data (catches mutation of RxDB state) and
// JSON-schema validation of every stored document on top of our zod validation.
addRxPlugin(RxDBDevModePlugin);

export const TEST_USER = 'user-alice';

/**
 * A database on its own in-memory IndexedDB (one simulated device). Pass the `indexedDB` and `name` of an
 * earlier (closed) database to reopen it.
 */
export function createTestDatabase(
  options: { userId?: string; indexedDB?: InstanceType<typeof IDBFactory>; name?: string } = {},
): Promise<CrmDatabase> {
  return createCrmDatabase({
    name: options.name ?? `test-${uuidv7()}`,
    storage: wrappedValidateAjvStorage({
      storage: getRxStorageDexie({ indexedDB: options.indexedDB ?? new IDBFactory(), IDBKeyRange }),
    }),
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
