import type { Contact } from '@shared/schemas';
import { writeBypassingHooks } from '@testing/write-bypassing-hooks';
import Dexie from 'dexie';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { getRxStorageDexie } from 'rxdb/plugins/storage-dexie';
import { filter, firstValueFrom } from 'rxjs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type CrmDatabase, createCrmDatabase } from '../database';
import { openSearchStoreEarly, searchIndexOf } from './search-index';

let open: CrmDatabase[] = [];
afterEach(async () => {
  await Promise.all(open.map((db) => db.close()));
  open = [];
});

async function openDatabase(
  indexedDB = new IDBFactory(),
  name = `search-${Math.random().toString(36).slice(2)}`,
) {
  const db = await createCrmDatabase({ name, storage: getRxStorageDexie({ indexedDB, IDBKeyRange }) });
  open.push(db);
  return { db, index: searchIndexOf(db, { indexedDB, IDBKeyRange }), indexedDB, name };
}

const contact = (id: string, fields: Partial<Contact>) => ({ id, status: 'Active', ...fields }) as Contact;

const people = [
  contact('c-elodie', { firstName: 'Élodie', lastName: 'Martin', email: 'elodie.martin@exemple.fr' }),
  contact('c-nguyen', {
    firstName: 'Thi',
    lastName: 'Nguyễn',
    company: 'Saigon Trading',
    phone: '+49 30 8794082',
  }),
  contact('c-ada', { firstName: 'Ada', lastName: 'Lovelace', company: 'Analytical Engines' }),
  contact('c-adam', { firstName: 'Adam', lastName: 'Adams', email: 'adam@lovelace-labs.com' }),
  contact('c-lovelace', { firstName: 'Lovelace', lastName: 'Ada' }),
];

async function searchIds(index: ReturnType<typeof searchIndexOf>, text: string) {
  await index.settled();
  return (await index.search('contacts', text, 100)).ids;
}

describe('search index', () => {
  it('matches names case- and accent-insensitively both ways, word prefixes, and phone digits', async () => {
    const { db, index } = await openDatabase();
    await db.contacts.bulkInsert(people);
    expect(await searchIds(index, 'elodie')).toEqual(['c-elodie']);
    expect(await searchIds(index, 'ÉLODIE')).toEqual(['c-elodie']);
    expect(await searchIds(index, 'nguyen')).toEqual(['c-nguyen']);
    expect(await searchIds(index, 'Nguyễn')).toEqual(['c-nguyen']);
    expect(await searchIds(index, 'marti elo')).toEqual(['c-elodie']);
    expect(await searchIds(index, 'exemple')).toEqual(['c-elodie']);
    expect(await searchIds(index, 'elodie.martin@ex')).toEqual(['c-elodie']);
    expect(await searchIds(index, 'saig trad')).toEqual(['c-nguyen']);
    expect(await searchIds(index, '30 879')).toEqual(['c-nguyen']);
    expect(await searchIds(index, '(030) 87940')).toEqual(['c-nguyen']);
    expect(await searchIds(index, 'artin')).toEqual([]);
  });

  it('ranks a name that starts with the query, then whole name words, then prefixes, then other fields', async () => {
    const { db, index } = await openDatabase();
    await db.contacts.bulkInsert(people);
    expect(await searchIds(index, 'ada')).toEqual(['c-ada', 'c-lovelace', 'c-adam']);
    expect(await searchIds(index, 'lovelace')).toEqual(['c-lovelace', 'c-ada', 'c-adam']);
  });

  it("reads the matches' entries to rank them, and none for a single match (a name typed out)", async () => {
    const { db, index } = await openDatabase();
    await db.contacts.bulkInsert(people);
    await index.settled();
    // The index's own store (private): the entries are read with one bulkGet of its contacts table.
    const entries = (index as unknown as { store: Dexie }).store.table('contacts');
    const bulkGet = vi.spyOn(entries, 'bulkGet');
    try {
      expect(await index.search('contacts', 'elodie', 100)).toMatchObject({ ids: ['c-elodie'] });
      expect(bulkGet).not.toHaveBeenCalled();
      expect(await index.search('contacts', 'ada', 100)).toMatchObject({
        ids: ['c-ada', 'c-lovelace', 'c-adam'],
      });
      expect(bulkGet).toHaveBeenCalledTimes(1);
    } finally {
      bulkGet.mockRestore();
    }
  });

  it('follows edits, deletions and replicated writes (which bypass the hooks)', async () => {
    const { db, index } = await openDatabase();
    await db.contacts.bulkInsert(people);
    await (await db.contacts.findOne('c-ada').exec())?.incrementalPatch({ lastName: 'King' });
    await (await db.contacts.findOne('c-elodie').exec())?.remove();
    await writeBypassingHooks(db, 'contacts', {
      ...(await db.contacts.findOne('c-adam').exec())?.toJSON(),
      lastName: 'Żółkiewski',
    });
    expect(await searchIds(index, 'king')).toEqual(['c-ada']);
    expect(await searchIds(index, 'lovelace')).toEqual(['c-lovelace', 'c-adam']);
    expect(await searchIds(index, 'elodie')).toEqual([]);
    expect(await searchIds(index, 'zolk')).toEqual(['c-adam']);
  });

  it('reads nothing at start when nothing was missed, and only what was written while it was closed', async () => {
    const first = await openDatabase();
    await first.db.contacts.bulkInsert(
      Array.from({ length: 300 }, (_, n) => contact(`c-${n}`, { firstName: 'Seed', lastName: `Number${n}` })),
    );
    await first.index.settled();
    await first.db.close();
    open = [];

    const second = await openDatabase(first.indexedDB, first.name);
    await second.index.settled();
    expect(second.index.status$.value.caughtUp).toBe(0);
    expect(await searchIds(second.index, 'number299')).toEqual(['c-299']);
    // A write the index did not see (it is closed): the next open reads that one document only.
    second.index.close();
    await second.db.contacts.insert(contact('c-late', { firstName: 'Late', lastName: 'Arrival' }));
    await second.db.close();
    open = [];

    const third = await openDatabase(first.indexedDB, first.name);
    expect(await searchIds(third.index, 'arrival')).toEqual(['c-late']);
    expect(third.index.status$.value.caughtUp).toBe(1);
  });

  it("serves a collection's totals once it has caught up, while another collection still catches up", async () => {
    const first = await openDatabase();
    await first.db.leads.insert({ id: 'l-1', firstName: 'A', status: 'New', value: 10 } as never);
    await first.index.settled();
    // Written while the index is closed: the next open catches up with them.
    first.index.close();
    await first.db.contacts.bulkInsert(people);
    await first.db.close();
    open = [];

    const db = await createCrmDatabase({
      name: first.name,
      storage: getRxStorageDexie({ indexedDB: first.indexedDB, IDBKeyRange }),
    });
    open.push(db);
    // The contacts' catch-up reads wait until released (100,000 contacts take their time).
    let release = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const contacts = db.contacts.storageInstance;
    const query = contacts.query.bind(contacts);
    contacts.query = async (prepared) => {
      await held;
      return query(prepared);
    };
    const index = searchIndexOf(db, { indexedDB: first.indexedDB, IDBKeyRange });
    const leadTotals = await firstValueFrom(index.totals$('leads').pipe(filter((totals) => totals !== null)));
    expect(leadTotals?.byStatus.get('New')?.count).toBe(1);
    expect(index.status$.value).toMatchObject({ ready: false, readyCollections: ['leads'] });
    release();
    await index.settled();
    expect(index.status$.value).toMatchObject({ ready: true, caughtUp: people.length });
    expect((await index.totals('contacts')).byStatus.get('Active')?.count).toBe(people.length);
  });

  it('takes over the store opened ahead of its database: its IndexedDB is opened once', async () => {
    const indexedDB = new IDBFactory();
    const name = `search-early-${Math.random().toString(36).slice(2)}`;
    const opens = vi.spyOn(indexedDB, 'open');
    openSearchStoreEarly(name, { indexedDB, IDBKeyRange });
    const { db, index } = await openDatabase(indexedDB, name);
    await db.contacts.bulkInsert(people);
    expect(await searchIds(index, 'elodie')).toEqual(['c-elodie']);
    const storeOpens = opens.mock.calls.filter(
      ([opened]: [string, number?]) => opened === `fieldbook-search-${name}`,
    );
    expect(storeOpens).toHaveLength(1);
  });

  it('keeps per-status totals through inserts, moves, value edits and deletions', async () => {
    const { db, index } = await openDatabase();
    await db.leads.bulkInsert([
      { id: 'l-1', firstName: 'A', status: 'New', value: 100 },
      { id: 'l-2', firstName: 'B', status: 'New', value: 50 },
      { id: 'l-3', firstName: 'C', status: 'Won', value: null },
    ] as never[]);
    await (await db.leads.findOne('l-1').exec())?.incrementalPatch({ status: 'Contacted', value: 120 });
    await (await db.leads.findOne('l-2').exec())?.remove();
    await db.contacts.bulkInsert(people);
    await (await db.contacts.findOne('c-ada').exec())?.incrementalPatch({ status: 'Prospect' });
    await index.settled();
    const { byStatus, statusOf } = await index.totals('leads', ['l-1', 'l-2']);
    expect(byStatus.get('New') ?? { count: 0, value: 0 }).toMatchObject({ count: 0, value: 0 });
    expect(byStatus.get('Contacted')).toMatchObject({ count: 1, value: 120 });
    expect(byStatus.get('Won')).toMatchObject({ count: 1, value: 0 });
    // The status each asked-for lead is counted under (a deleted one is not counted).
    expect([...statusOf]).toEqual([['l-1', 'Contacted']]);
    const contacts = (await index.totals('contacts')).byStatus;
    expect(contacts.get('Active')?.count).toBe(people.length - 1);
    expect(contacts.get('Prospect')?.count).toBe(1);
  });

  it('indexes a bulk larger than one slice completely, totals included', async () => {
    const { db, index } = await openDatabase();
    await db.leads.bulkInsert(
      Array.from({ length: 130 }, (_, n) => ({
        id: `l-${n}`,
        firstName: `Bulk${n}`,
        status: 'New',
        value: 2,
      })) as never[],
    );
    await index.settled();
    expect((await index.search('leads', 'bulk129', 10)).ids).toEqual(['l-129']);
    expect((await index.totals('leads')).byStatus.get('New')).toMatchObject({ count: 130, value: 260 });
  });

  it('resumes a bulk that a closed session indexed only in part from its first unindexed document', async () => {
    const first = await openDatabase();
    await first.index.settled();
    const store = `idb://fieldbook-search-${first.name}/leads`;
    let slicesWritten = 0;
    // Dexie reports each committed transaction before the code awaiting it continues: closing the index
    // there ends the session between the bulk's first and second slice, as quitting the app would.
    const closeAfterFirstSlice = (parts: Record<string, unknown>) => {
      if (!Object.keys(parts).some((part) => part.startsWith(store))) return;
      slicesWritten += 1;
      if (slicesWritten === 1) first.index.close();
    };
    Dexie.on('storagemutated', closeAfterFirstSlice);
    try {
      await first.db.leads.bulkInsert(
        Array.from({ length: 130 }, (_, n) => ({
          id: `l-${n}`,
          firstName: `Bulk${n}`,
          status: 'New',
        })) as never[],
      );
      await first.index.settled();
    } finally {
      Dexie.on('storagemutated').unsubscribe(closeAfterFirstSlice);
    }
    expect(slicesWritten).toBe(1);
    await first.db.close();
    open = [];

    // The checkpoint goes with the bulk's last slice only: the next session reads the bulk again.
    const second = await openDatabase(first.indexedDB, first.name);
    await second.index.settled();
    expect(second.index.status$.value.caughtUp).toBe(130);
    expect((await second.index.search('leads', 'bulk129', 10)).ids).toEqual(['l-129']);
    expect((await second.index.totals('leads')).byStatus.get('New')?.count).toBe(130);
  });
});
