/**
 * A Dexie addon for the app's storage (crmStorage): a large bulk read by primary key first lists which of
 * the keys are stored, with one key-only range read, and reads only those.
 *
 * Why: Dexie reads `bulkGet(keys)` as one IndexedDB `get` per key, and in Chromium each request costs the
 * page's main thread about 50 µs (the request, its IPC, its success event) whether the key is stored or not.
 * RxDB's replication reads every pulled page four times by id (the local states, the assumed master states,
 * and each of its two bulk writes reads its rows again for its conflict check). On a fresh device's first
 * pull almost none of those keys is stored: at 100,000 contacts that was 400,000 requests for nothing, a
 * fifth of the pull's main-thread time (bench/README.md, issue 9, profile of 3 Dec 2026).
 *
 * Same answer as Dexie's own read, in the same transaction: the keys listed in the range are exactly the
 * stored ones there. The range listing stops after `storedKeysPerKey` keys per requested key (a small read
 * among many stored documents, where point reads are cheaper); keys past where it stopped are read as before.
 */
import type { DBCore, DBCoreRangeType, DBCoreTable, Dexie } from 'dexie';

/** Below this many keys a bulk read goes to IndexedDB as it is (a get per key). */
const minKeys = 100;
/** The range read lists at most this many stored keys per requested key. */
const storedKeysPerKey = 4;
/** Dexie's DBCoreRangeType.Range (a const enum, not importable as a value). */
const rangeType = 2 as DBCoreRangeType;

export function readingAbsentKeysByRange(db: Dexie): void {
  db.use({
    stack: 'dbcore',
    name: 'AbsentKeysByRange',
    // Below Dexie's own middlewares (the lowest is -1): right above IndexedDB.
    level: -2,
    create: (down: DBCore) => ({ ...down, table: (name: string) => withRangeListing(down.table(name)) }),
  });
}

function withRangeListing(table: DBCoreTable): DBCoreTable {
  return {
    ...table,
    async getMany(request) {
      const { keys } = request;
      // String keys only (RxDB's primary keys): JavaScript orders them as IndexedDB does, by code unit.
      if (keys.length < minKeys || !keys.every((key) => typeof key === 'string'))
        return table.getMany(request);
      const strings = keys as string[];
      let lower = strings[0]!;
      let upper = lower;
      for (const key of strings) {
        if (key < lower) lower = key;
        if (key > upper) upper = key;
      }
      const limit = strings.length * storedKeysPerKey;
      const { result } = await table.query({
        trans: request.trans,
        values: false,
        limit,
        query: { index: table.schema.primaryKey, range: { type: rangeType, lower, upper } },
      });
      const listed = new Set(result as string[]);
      // Up to `covered` the listing is complete; beyond it (the limit was reached) nothing is known.
      const covered = result.length < limit ? upper : (result.at(-1) as string);
      const toRead = strings.filter((key) => listed.has(key) || key > covered);
      if (toRead.length === 0) return strings.map(() => undefined);
      const values = await table.getMany({ ...request, keys: toRead });
      const valueByKey = new Map(toRead.map((key, index) => [key, values[index]]));
      return strings.map((key) => valueByKey.get(key));
    },
  };
}
