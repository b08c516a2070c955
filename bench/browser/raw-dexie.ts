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

export async function dropRawDatabase(db: RawDatabase): Promise<void> {
  db.close();
  await Dexie.delete(db.name);
}
