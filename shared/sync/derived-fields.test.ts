import {
  type Contact,
  collectionDefinitions,
  contactDefaults,
  personSortKey,
  toRxJsonSchema,
} from '@shared/schemas';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { createRxDatabase, type RxJsonSchema } from 'rxdb';
import { getRxStorageDexie } from 'rxdb/plugins/storage-dexie';
import { afterEach, describe, expect, it } from 'vitest';
import { type CrmDatabase, createCrmDatabase } from './database';
import { startSync } from './replication';

const storageOn = (indexedDB: InstanceType<typeof IDBFactory>) =>
  getRxStorageDexie({ indexedDB, IDBKeyRange }) as never;

/** A contact as the server sends it: wire fields only, no local sort keys. */
function wireContact(id: string, firstName: string, lastName: string): Record<string, unknown> {
  return {
    ...contactDefaults,
    id,
    firstName,
    lastName,
    status: 'Active',
    createdAt: 1,
    updatedAt: 1,
    updatedBy: 'other-device',
    serverRev: 1,
    _deleted: false,
  };
}

/** Serves `documents` on the first contacts pull and nothing else. */
function serverWith(documents: Record<string, unknown>[]): typeof fetch {
  return async (input) => {
    const url = String(input);
    if (url.includes('/api/sync/stream')) {
      const body = new ReadableStream({
        start: (controller) => controller.enqueue(new TextEncoder().encode(': connected\n\n')),
      });
      return new Response(body, { headers: { 'content-type': 'text/event-stream' } });
    }
    if (url.includes('/contacts/pull') && url.includes('seq=0'))
      return Response.json({ documents, checkpoint: { seq: 1 } });
    if (url.includes('/pull'))
      return Response.json({ documents: [], checkpoint: { seq: Number(/seq=(\d+)/.exec(url)?.[1]) } });
    return Response.json({ conflicts: [], rejected: [] });
  };
}

const namesByIndex = async (db: CrmDatabase) =>
  (await db.contacts.find({ sort: [{ nameSortKey: 'asc' }] }).exec()).map((doc) => doc.lastName);

describe('derived sort keys', () => {
  let db: CrmDatabase | undefined;
  afterEach(async () => {
    await db?.close();
    db = undefined;
  });

  it('are derived for documents that arrive by replication (which bypasses the write hooks)', async () => {
    db = await createCrmDatabase({ name: 'replicated', storage: storageOn(new IDBFactory()) });
    const handle = startSync(db, {
      url: 'http://sync.invalid',
      token: 't',
      fetch: serverWith([
        wireContact('c-1', 'Hana', 'Yamamoto'),
        wireContact('c-2', 'Élodie', 'Zola'),
        wireContact('c-3', 'Pieter', 'van der Berg'),
        wireContact('c-4', 'Aoife', 'Ó Súilleabháin'),
      ]),
    });
    await handle.awaitInSync(10_000);
    await handle.stop();
    const pulled = (await db.contacts.findOne('c-3').exec())?.toJSON() as Record<string, unknown>;
    expect(pulled.nameSortKey).toBe(personSortKey('Pieter', 'van der Berg'));
    expect(await namesByIndex(db)).toEqual(['Ó Súilleabháin', 'van der Berg', 'Yamamoto', 'Zola']);
  });

  it('are filled by the migration of a database written before they existed', async () => {
    const indexedDB = new IDBFactory();
    const name = 'before-sort-keys';
    const old = await createRxDatabase({ name, storage: storageOn(indexedDB), multiInstance: false });
    const versionZero = toRxJsonSchema({
      ...collectionDefinitions.contacts,
      version: 0,
      indexes: ['leadId', 'emailKey', 'updatedAt', ['status', 'updatedAt'], ['lastName', 'firstName']],
    });
    await old.addCollections({ contacts: { schema: versionZero as unknown as RxJsonSchema<Contact> } });
    const { _deleted, ...zola } = wireContact('c-1', 'Élodie', 'Zola');
    const { _deleted: _, ...berg } = wireContact('c-2', 'Pieter', 'van der Berg');
    await old.contacts!.bulkInsert([zola as Contact, berg as Contact]);
    await old.close();

    db = await createCrmDatabase({ name, storage: storageOn(indexedDB) });
    expect(await namesByIndex(db)).toEqual(['van der Berg', 'Zola']);
  });
});
