/**
 * A list kept on this device only (never replicated): rule errors, sync issues, any later local log. Each
 * item is its own RxDB local document (`<list>/<item id>`), so adding or dismissing one item writes that
 * item alone instead of rewriting a whole list, and no RxDB collection is spent (the app may open six).
 * Changes to one list are applied in order, so "add, replacing matching items" and trimming to `maxItems`
 * never interleave.
 */
import { createRevision, normalizeMangoQuery, now, prepareQuery } from 'rxdb';
import { getLocalDocStateByParent } from 'rxdb/plugins/local-documents';
import { defer, filter, type Observable, startWith, switchMap } from 'rxjs';
import type { CrmDatabase } from './crm-database';
import { perDatabase } from './per-database';
import { isClosing } from './replication/rxdb-internals';

export type LocalListItem = { id: string; at: number };

export type LocalList<T extends LocalListItem> = {
  /** The items, oldest first; emits the current list on subscribe and again after every change. */
  items$: Observable<T[]>;
  /** The items, oldest first, after every change made so far. */
  all(): Promise<T[]>;
  get(id: string): Promise<T | undefined>;
  /** Stores `item` (replacing an item with its id, and every item `replaces` matches). */
  add(item: T, replaces?: (existing: T) => boolean): Promise<void>;
  /** Stores every item (replacing items with their ids) in one storage write. */
  addAll(items: readonly T[]): Promise<void>;
  /** Dismisses the items with these ids (unknown ids are ignored). */
  remove(ids: Iterable<string>): Promise<void>;
  clear(): Promise<void>;
};

const byTime = (a: LocalListItem, b: LocalListItem) =>
  a.at - b.at || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** Changes per database and list, applied one after another. */
const changeQueues = perDatabase(() => new Map<string, Promise<unknown>>());

/** The list `name` of a database; `maxItems` drops the oldest items beyond it. */
export function localList<T extends LocalListItem>(
  db: CrmDatabase,
  name: string,
  { maxItems = Number.POSITIVE_INFINITY }: { maxItems?: number } = {},
): LocalList<T> {
  const prefix = `${name}/`;
  const keyOf = (id: string) => `${prefix}${id}`;

  const inOrder = <R>(change: () => Promise<R>): Promise<R> => {
    const queues = changeQueues(db);
    const next = (queues.get(name) ?? Promise.resolve()).then(change, change);
    queues.set(
      name,
      next.catch(() => undefined),
    );
    return next;
  };

  const read = async (): Promise<T[]> => {
    if (isClosing(db)) return [];
    const { storageInstance } = await getLocalDocStateByParent(db as never);
    const selector = { id: { $gte: prefix, $lt: `${prefix}\uffff` }, _deleted: { $eq: false } };
    const { documents } = await storageInstance.query(
      prepareQuery(
        storageInstance.schema,
        normalizeMangoQuery(storageInstance.schema, { selector } as never),
      ),
    );
    return documents.map((document) => document.data as T).sort(byTime);
  };

  /**
   * Writes items (or, with `undefined`, tombstones) straight to the local documents' storage in one bulk
   * write: RxDB has no bulk API for local documents, and one `upsertLocal` per item cost a transaction each
   * (a detection pass listing 10,000 pairs spent 30–38 s there in the sync bench). The local-documents
   * plugin follows its storage's change stream, so `getLocal` and `items$` see these writes.
   */
  const writeNow = async (entries: { key: string; item: T | undefined }[]) => {
    if (entries.length === 0 || isClosing(db)) return;
    const { storageInstance } = await getLocalDocStateByParent(db as never);
    const stored = new Map(
      (
        await storageInstance.findDocumentsById(
          entries.map((entry) => entry.key),
          true,
        )
      ).map((document) => [document.id, document]),
    );
    const rows = entries.flatMap(({ key, item }) => {
      const previous = stored.get(key);
      if (item === undefined && (previous === undefined || previous._deleted)) return [];
      const document = {
        id: key,
        data: item ?? previous?.data ?? {},
        _deleted: item === undefined,
        _attachments: {},
        _meta: { lwt: now() },
        _rev: createRevision(db.token, previous),
      };
      return [previous ? { previous, document } : { document }];
    });
    if (rows.length === 0) return;
    const { error } = await storageInstance.bulkWrite(rows as never, 'local-list');
    if (error.length > 0)
      throw new Error(`The local list "${name}" could not store ${error.length} of ${rows.length} items.`);
  };

  /** One read finds which of the ids are stored (a push clears issues of all its documents, most have none). */
  const removeNow = (ids: Iterable<string>) =>
    writeNow([...ids].map((id) => ({ key: keyOf(id), item: undefined })));

  const addNow = async (item: T, replaces?: (existing: T) => boolean) => {
    if (isClosing(db)) return;
    if (replaces || Number.isFinite(maxItems)) {
      const others = (await read()).filter((existing) => existing.id !== item.id);
      const replaced = replaces ? others.filter(replaces) : [];
      const kept = others.filter((existing) => !replaced.includes(existing));
      const overflow = kept.slice(0, Math.max(0, kept.length + 1 - maxItems));
      await removeNow([...replaced, ...overflow].map((existing) => existing.id));
    }
    await db.upsertLocal(keyOf(item.id), item);
  };

  return {
    items$: defer(() =>
      db.eventBulks$.pipe(
        filter(
          (bulk) =>
            bulk.isLocal &&
            !bulk.collectionName &&
            bulk.events.some((event) => event.documentId.startsWith(prefix)),
        ),
        startWith(null),
        switchMap(read),
      ),
    ),
    all: () => inOrder(read),
    get: async (id) =>
      isClosing(db) ? undefined : ((await db.getLocal<T>(keyOf(id)))?.toJSON().data as T | undefined),
    add: (item, replaces) => inOrder(() => addNow(item, replaces)),
    addAll: (items) =>
      inOrder(async () => {
        if (Number.isFinite(maxItems)) for (const item of items) await addNow(item);
        else await writeNow(items.map((item) => ({ key: keyOf(item.id), item })));
      }),
    remove: (ids) => inOrder(() => removeNow(ids)),
    clear: () =>
      inOrder(async () => {
        await removeNow((await read()).map((item) => item.id));
      }),
  };
}
