import { type CollectionName, collectionDefinitions } from '@shared/schemas';
import Dexie, { type Table } from 'dexie';

/**
 * The floor: plain Dexie 4.4.2 (the version rxdb pins) on the same IndexedDB, with a table per collection
 * and the same secondary indexes the RxDB schemas declare. What the app pays above this is the cost of
 * RxDB, validation and the link rules.
 */
export type RawDatabase = Dexie & { [K in CollectionName]: Table<Record<string, unknown>, string> };

function storeSpec(name: CollectionName): string {
  const indexes = collectionDefinitions[name].indexes.map((index) =>
    typeof index === 'string' ? index : `[${index.join('+')}]`,
  );
  return ['id', ...indexes].join(', ');
}

export async function openRawDatabase(name: string): Promise<RawDatabase> {
  const db = new Dexie(name) as RawDatabase;
  db.version(1).stores(
    Object.fromEntries(
      (Object.keys(collectionDefinitions) as CollectionName[]).map((collection) => [
        collection,
        storeSpec(collection),
      ]),
    ),
  );
  await db.open();
  return db;
}

/** Closes and deletes a raw database or store. */
export async function dropRawDatabase(db: Dexie): Promise<void> {
  db.close();
  await Dexie.delete(db.name);
}

/** One store as RxDB's Dexie storage keeps each storage instance: its own IndexedDB database, table `docs`. */
export type RawStore = Dexie & { docs: Table<Record<string, unknown>, string> };

export async function openRawStore(name: string, spec: string): Promise<RawStore> {
  const db = new Dexie(name) as RawStore;
  db.version(1).stores({ docs: spec });
  await db.open();
  return db;
}
