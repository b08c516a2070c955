import Dexie, { type Table } from 'dexie';
import { IDBFactory, IDBKeyRange, IDBObjectStore } from 'fake-indexeddb';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { readingAbsentKeysByRange } from './absent-key-reads';

type Doc = { id: string; n: number };

async function openDocs(withAddon: boolean): Promise<Table<Doc, string>> {
  const db = new Dexie(`absent-keys-${withAddon}`, {
    indexedDB: new IDBFactory(),
    IDBKeyRange,
    addons: withAddon ? [readingAbsentKeysByRange] : [],
  });
  db.version(1).stores({ docs: 'id' });
  await db.open();
  return db.table('docs');
}

const idOf = (n: number) => `doc-${String(n).padStart(6, '0')}`;
const numbers = (from: number, count: number) => Array.from({ length: count }, (_, index) => from + index);

describe('bulk reads by id list the stored keys of their range first (absent-key-reads)', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('a read of 500 keys none of which is stored makes no read per key (a fresh device pulling)', async () => {
    const docs = await openDocs(true);
    await docs.bulkPut(numbers(0, 1000).map((n) => ({ id: idOf(n), n })));
    const gets = vi.spyOn(IDBObjectStore.prototype, 'get');
    const absent = numbers(5000, 500).map(idOf);
    expect(await docs.bulkGet(absent)).toEqual(absent.map(() => undefined));
    // Dexie's own bulkGet: one get per key (500).
    expect(gets).toHaveBeenCalledTimes(0);

    // Half of them stored: only those are read.
    const half = numbers(750, 500).map(idOf);
    expect(await docs.bulkGet(half)).toEqual(
      half.map((id, index) => (index < 250 ? { id, n: 750 + index } : undefined)),
    );
    expect(gets).toHaveBeenCalledTimes(250);
  });

  it('answers every read exactly as Dexie does (absent, stored, repeated, unordered, sparse among many stored)', async () => {
    const plain = await openDocs(false);
    const listed = await openDocs(true);
    // Every third number stored.
    const stored = numbers(0, 3000)
      .filter((n) => n % 3 === 0)
      .map((n) => ({ id: idOf(n), n }));
    await plain.bulkPut(stored);
    await listed.bulkPut(stored);
    let seed = 7;
    const random = (below: number) => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      return seed % below;
    };
    const reads: string[][] = [
      numbers(0, 150).map(idOf), // dense: a third stored
      numbers(0, 150).map((n) => idOf(n * 20)), // spread over 3,000 keys, 1,000 stored: past the listing's limit
      numbers(0, 99).map(idOf), // below the size where the range is listed
      [...numbers(0, 120), ...numbers(0, 120)].map(idOf).reverse(), // repeated and descending
      ...numbers(0, 20).map(() => numbers(0, 100 + random(400)).map(() => idOf(random(3500)))),
    ];
    for (const keys of reads) expect(await listed.bulkGet(keys)).toEqual(await plain.bulkGet(keys));
  });
});
