import {
  type DexieStorageInternals,
  type FilledMangoQuery,
  getComposedPrimaryKeyOfDocumentData,
  getQueryPlan,
  type RxCollection,
  type RxConflictHandler,
  type RxDatabase,
  type RxDocumentData,
  type RxJsonSchema,
  type RxQueryPlan,
  type RxReplicationWriteToMasterRow,
  type RxStorage,
  type RxStorageDefaultCheckpoint,
  type RxStorageInstance,
  type WithDeleted,
} from 'rxdb';
import { REPLICATION_STATE_BY_COLLECTION, type RxReplicationState } from 'rxdb/plugins/replication';
import {
  dexieReplaceIfStartsWithPipe,
  fromDexieToStorage,
  getKeyRangeByQueryPlan,
  RX_STORAGE_NAME_DEXIE,
} from 'rxdb/plugins/storage-dexie';
import { adaptingEachInstance } from '../storage-instances';

/*
 * The only module that relies on RxDB's replication internals (rxdb 17.6, src/replication-protocol/ and
 * src/plugins/replication/). RxDB has no public API for what these do; rxdb-internals.test.ts runs each
 * against a real replication and fails when an RxDB upgrade changes them. Everything else uses public API.
 */

/**
 * RxDB's Dexie storage has no change feed of its own: `getChangedDocumentsSince` (RxDB's upstream walking the
 * fork, the outbox, reconcile's scope) falls back to a Mango query, which that storage runs as an IndexedDB
 * cursor — one round trip per document (bench/README.md, issue 9: the push's largest cost). This reads the
 * same page from the `[_meta.lwt+<primary key>]` index RxDB creates for exactly this purpose, with one
 * `getAll` (Dexie's `limit` on a plain key range). Same order, same checkpoint shape, deleted documents
 * included. Storages other than Dexie are returned as they are.
 */
export function withIndexedChangeFeed<Internals, Options>(
  storage: RxStorage<Internals, Options>,
): RxStorage<Internals, Options> {
  if (storage.name !== RX_STORAGE_NAME_DEXIE) return storage;
  return adaptingEachInstance(storage, (instance) => {
    const internals = instance.internals as unknown as DexieStorageInternals;
    const primaryPath = (instance as unknown as { primaryPath: string }).primaryPath;
    const index = `[_meta.lwt+${dexieReplaceIfStartsWithPipe(primaryPath)}]`;
    instance.getChangedDocumentsSince = async (limit, checkpoint) => {
      const { dexieTable, booleanIndexes } = await internals;
      const since = checkpoint as RxStorageDefaultCheckpoint | undefined;
      // [lwt, id] above the checkpoint's: lwt > since.lwt, or the same lwt and a greater id (RxDB's query).
      const rows = await dexieTable
        .where(index)
        .above([since?.lwt ?? 0, since?.id ?? ''])
        .limit(limit)
        .toArray();
      const documents = rows.map((row: unknown) =>
        fromDexieToStorage<unknown>(booleanIndexes, row),
      ) as RxDocumentData<never>[];
      const last = documents.at(-1) as RxDocumentData<Record<string, unknown>> | undefined;
      const next: RxStorageDefaultCheckpoint = last
        ? { id: String(last[primaryPath]), lwt: last._meta.lwt }
        : (since ?? { id: '', lwt: 0 });
      return { documents, checkpoint: next as never };
    };
  });
}

/**
 * The ids of the documents the change feed (`withIndexedChangeFeed`) would return after `checkpoint`, `limit`
 * at a time and in its order, with the checkpoint after the last: read from the same `[_meta.lwt+<primary
 * key>]` index with a key-only cursor, so no document is read or decoded. The outbox's start-up count needs
 * only the ids of documents never pushed (bench/README.md, issue 9: at 20,000 imported contacts it read
 * every one of them beside RxDB's upstream reading them too). `undefined` when not stored by Dexie.
 */
export async function changedIdsSince(
  collection: RxCollection,
  limit: number,
  checkpoint: RxStorageDefaultCheckpoint | undefined,
): Promise<{ ids: string[]; checkpoint: RxStorageDefaultCheckpoint } | undefined> {
  const found = await dexieIndex(collection, ['_meta.lwt', collection.schema.primaryPath as string]);
  if (!found) return undefined;
  const keys = (await found.table
    .where(found.index)
    .above([checkpoint?.lwt ?? 0, checkpoint?.id ?? ''])
    .limit(limit)
    .keys()) as unknown as [number, string][];
  const last = keys.at(-1);
  return {
    ids: keys.map(([, id]) => id),
    checkpoint: last ? { lwt: last[0], id: last[1] } : (checkpoint ?? { id: '', lwt: 0 }),
  };
}

/**
 * RxDB's Dexie storage answers every query with an IndexedDB cursor, one round trip per document, even a
 * page of a list read in index order (rxdb 17.6, plugins/storage-dexie/dexie-query.ts). When the query
 * plan says the index alone selects and orders the documents and the query has a limit (a list's page, a
 * pipeline column), this reads the page with one `getAll` on the same index and key range instead (Dexie's
 * `limit` on a plain key range): the same documents in the same order. Any other query goes to RxDB's own
 * implementation. Storages other than Dexie are returned as they are.
 */
export function withPagedIndexQueries<Internals, Options>(
  storage: RxStorage<Internals, Options>,
): RxStorage<Internals, Options> {
  if (storage.name !== RX_STORAGE_NAME_DEXIE) return storage;
  return adaptingEachInstance(storage, (instance) => {
    const internals = instance.internals as unknown as DexieStorageInternals;
    const cursorQuery = instance.query.bind(instance);
    instance.query = async (prepared) => {
      const { skip = 0, limit } = prepared.query;
      if (typeof limit !== 'number') return cursorQuery(prepared);
      const reversed = reversedIndexPlan(instance.schema, prepared.query);
      const plan = reversed ?? prepared.queryPlan;
      if (!plan.selectorSatisfiedByIndex || !plan.sortSatisfiedByIndex) return cursorQuery(prepared);
      const { dexieDb, dexieTable, booleanIndexes } = await internals;
      let range: { lower: unknown; upper: unknown; lowerOpen: boolean; upperOpen: boolean };
      try {
        range = getKeyRangeByQueryPlan(booleanIndexes, plan, dexieDb._options.IDBKeyRange);
      } catch (error) {
        // As RxDB's query: bounds IndexedDB cannot compare match nothing.
        if ((error as { name?: string }).name === 'DataError') return { documents: [] };
        throw error;
      }
      const index = `[${plan.index.map((field) => dexieReplaceIfStartsWithPipe(field)).join('+')}]`;
      const inRange = dexieTable
        .where(index)
        .between(range.lower, range.upper, !range.lowerOpen, !range.upperOpen);
      const rows = await (reversed ? inRange.reverse() : inRange).limit(skip + limit).toArray();
      return {
        documents: rows
          .slice(skip)
          .map((row: unknown) => fromDexieToStorage<unknown>(booleanIndexes, row)) as RxDocumentData<never>[],
      };
    };
  });
}

/**
 * A query sorted descending on every field (the primary key included) is the reverse of the ascending one:
 * the ascending query's plan, to be read backwards, when the index alone selects and orders it. RxDB's
 * planner never uses an index for a descending sort (rxdb 17.6, query-planner.ts), so without this a list
 * sorted newest-first read and sorted every document for each page (22.7 s for a company sort at 100,000).
 */
export function reversedIndexPlan<T>(
  schema: RxJsonSchema<RxDocumentData<T>>,
  query: FilledMangoQuery<T>,
): RxQueryPlan | null {
  if (query.sort.length === 0 || query.sort.some((part) => Object.values(part)[0] !== 'desc')) return null;
  const ascending = getQueryPlan(schema, {
    ...query,
    sort: query.sort.map((part) => ({ [Object.keys(part)[0]!]: 'asc' })) as FilledMangoQuery<T>['sort'],
  });
  return ascending.selectorSatisfiedByIndex && ascending.sortSatisfiedByIndex ? ascending : null;
}

/**
 * The Dexie table of a collection and the name of the `[_deleted+<field>+<primary key>]` index RxDB's Dexie
 * storage keeps for a schema index on `field`; `undefined` when the collection is not stored by Dexie or
 * has no such index.
 */
async function indexOnField(collection: RxCollection, field: string) {
  return dexieIndex(collection, ['_deleted', field, collection.schema.primaryPath as string]);
}

/** The Dexie table of a collection and the name of its compound index on `fields`, if it is stored by Dexie. */
async function dexieIndex(collection: RxCollection, fields: string[]) {
  const internals = (await collection.storageInstance.internals) as
    | Partial<Awaited<DexieStorageInternals>>
    | undefined;
  const table = internals?.dexieTable;
  const index = `[${fields.map((field) => dexieReplaceIfStartsWithPipe(field)).join('+')}]`;
  return table?.schema.idxByName[index] ? { table, index } : undefined;
}

/**
 * Groups of ids of live documents whose indexed `field` holds the same non-empty value, read from the
 * `[_deleted+<field>+<primary key>]` index RxDB's Dexie storage keeps for a schema index on `field`, with a
 * key-only cursor: no document is read or decoded. A full duplicate pass over 100,000 contacts then costs
 * index keys plus the few documents that share a value (docs/duplicates.md), instead of reading every
 * document. `undefined` when the collection is not stored by Dexie or has no such index: the caller reads
 * the documents instead.
 */
export async function idsSharingIndexedValue(
  collection: RxCollection,
  field: string,
): Promise<string[][] | undefined> {
  const found = await indexOnField(collection, field);
  if (!found) return undefined;
  // Keys are [_deleted ('0' = live, as the storage indexes booleans), value, id]. In IndexedDB's key order
  // an array sorts after every string, so this range is: live documents, value after '' (non-empty).
  const keys = (await found.table
    .where(found.index)
    .between(['0', '', []], ['0', []], false, false)
    .keys()) as unknown as [string, string, string][];
  const groups: string[][] = [];
  for (let start = 0; start < keys.length; ) {
    let end = start + 1;
    while (end < keys.length && keys[end]![1] === keys[start]![1]) end++;
    if (end - start > 1) groups.push(keys.slice(start, end).map((key) => key[2]));
    start = end;
  }
  return groups;
}

/** A stored document (live or deleted) as an index on one of its fields lists it. */
export type IndexEntry = { id: string; deleted: boolean; value: string };

/**
 * Every stored document's id, deletion and indexed `field` value, deleted documents included, `limit` at
 * a time in index order after `after` (null: from the start), read from the `[_deleted+<field>+<primary
 * key>]` index with a key-only cursor: no document is read or decoded (the rules' in-memory keys load from
 * it, rules/stored-keys.ts). `undefined` when the collection is not stored by Dexie or has no such index.
 */
export async function indexEntriesAfter(
  collection: RxCollection,
  field: string,
  after: IndexEntry | null,
  limit: number,
): Promise<IndexEntry[] | undefined> {
  const found = await indexOnField(collection, field);
  if (!found) return undefined;
  // [] sorts before every key of the index (arrays of [_deleted, value, id]).
  const lower = after ? [after.deleted ? '1' : '0', after.value, after.id] : [];
  const keys = (await found.table.where(found.index).above(lower).limit(limit).keys()) as unknown as [
    string,
    string,
    string,
  ][];
  return keys.map(([deleted, value, id]) => ({ id, deleted: deleted === '1', value }));
}

/**
 * Whether `close()` has started. RxDB drops the database's local-document state at the start of `close()`
 * (its `preCloseRxDatabase` hook) but sets `db.closed` only at the end, after the `onClose` callbacks (the
 * rule engine settles there): in between, a local-document read or write throws RxDB's LD8.
 */
export function isClosing(db: Pick<RxDatabase, 'closed'>): boolean {
  return db.closed || (db as unknown as { closePromise: Promise<boolean> | null }).closePromise !== null;
}

// biome-ignore lint/suspicious/noExplicitAny: any document and checkpoint type; only the protocol's own state is read.
type AnyReplication = RxReplicationState<any, any>;

/** A replication meta document: per replicated document its assumed master state, plus the checkpoints. */
export type ReplicationMetaDocument = {
  itemId: string;
  isCheckpoint: string;
  docData?: Record<string, unknown>;
  checkpointData?: unknown;
};
export type ReplicationMetaInstance = RxStorageInstance<ReplicationMetaDocument, unknown, unknown>;

/** The storage instance where RxDB keeps a replication's assumed master states and checkpoints (after start). */
export function replicationMeta(replication: AnyReplication): ReplicationMetaInstance | undefined {
  return replication.metaInstance as ReplicationMetaInstance | undefined;
}

/** The replications running for `collection` now, from RxDB's registry (a cancelled one leaves it). */
export function replicationsOf(collection: RxCollection): AnyReplication[] {
  return [...(REPLICATION_STATE_BY_COLLECTION.get(collection) ?? [])];
}

/**
 * The assumed master state `replication` keeps for each of `ids` (absent: none): the server's state the
 * device last received or had acknowledged, with the server's revision of it (docs/replication.md).
 */
export async function assumedMasterStates(
  replication: AnyReplication,
  ids: readonly string[],
): Promise<Map<string, Record<string, unknown>>> {
  const meta = replicationMeta(replication);
  if (!meta || ids.length === 0) return new Map();
  const stored = await meta.findDocumentsById(
    ids.map((id) => assumedMasterKey(meta, id)),
    true,
  );
  return new Map(stored.flatMap((doc) => (doc.docData ? [[doc.itemId, doc.docData] as const] : [])));
}

/** Primary key of the meta document holding `documentId`'s assumed master state. */
export function assumedMasterKey(meta: ReplicationMetaInstance, documentId: string): string {
  return getComposedPrimaryKeyOfDocumentData(meta.schema, { itemId: documentId, isCheckpoint: '0' } as never);
}

/** Primary key of the meta document holding the upstream ('up') or downstream ('down') checkpoint. */
export function checkpointKey(meta: ReplicationMetaInstance, direction: 'up' | 'down'): string {
  return getComposedPrimaryKeyOfDocumentData(meta.schema, { itemId: direction, isCheckpoint: '1' } as never);
}

/** Whether the replication is pulling or pushing right now (RxDB's `active$` lags behind its queues). */
export function isReplicationActive(replication: AnyReplication): boolean {
  const internal = replication.internalReplicationState;
  return !!internal && (internal.events.active.down.getValue() || internal.events.active.up.getValue());
}

/**
 * Resolves when RxDB has stored the outcome of the push running now (its new assumed master states): the
 * push handler runs inside RxDB's upstream queue, which writes the meta data after the handler returned.
 */
export function upstreamSettled(replication: AnyReplication): Promise<void> {
  return replication.internalReplicationState?.streamQueue.up.then(() => undefined) ?? Promise.resolve();
}

/**
 * Sets the `serverRev` of a pushed row's state, which RxDB stores as the document's assumed master state
 * unless the row comes back as a conflict: RxDB builds that meta row from the very object it hands the push
 * handler as `newDocumentState` and writes it after the handler returns, so the field set here is what it
 * stores. An accepted row gets the server's new revision (how a device knows the revision of its own write
 * without pulling the document back; RxDB offers no hook for it), any other row its assumed master state's
 * (accepted-revisions.ts).
 */
export function setPushedRevision(row: RxReplicationWriteToMasterRow<unknown>, serverRev: number): void {
  (row.newDocumentState as WithDeleted<Record<string, unknown>>).serverRev = serverRev;
}

/**
 * RxDB reports a failed pull or push handler call as RC_PULL / RC_PUSH with the handler's own errors in
 * `parameters.errors`; those were already reported by the HTTP client when the request failed.
 */
export function isWrappedHandlerError(error: unknown): boolean {
  return Array.isArray((error as { parameters?: { errors?: unknown } }).parameters?.errors);
}

/** The `context`s RxDB's downstream gives `isEqual`: first its assumed master state, then a pulled state, each against the local document. */
const assumedAgainstLocalContext = 'downstream-check-if-equal-0';
const pulledAgainstLocalContext = 'downstream-check-if-equal-1';

/**
 * RxDB's downstream writes a pulled state over the local document when the local document equals its
 * assumed master state (no unsent change) and `isEqual(pulled, local)` is false; that comparison gets only
 * the two states. The device's current server revision is in the assumed master state alone (the accepted
 * pushes record it there, not in the local document: docs/replication.md), and it decides whether a
 * pulled state is older than what the device has. RxDB compares the assumed master state with the very
 * same local-state object just before, in the same synchronous step, whenever both exist (context `-0`):
 * this remembers that pairing (keyed by the object, so nothing outlives the comparison) and hands
 * `pulledEqualsLocal` the assumed master state too (undefined when RxDB has none). Every other comparison
 * goes to `handler`.
 */
export function comparingPulledStatesWithAssumed<T>(
  handler: RxConflictHandler<T>,
  pulledEqualsLocal: (
    pulled: WithDeleted<T>,
    local: WithDeleted<T>,
    assumed: WithDeleted<T> | undefined,
  ) => boolean,
): RxConflictHandler<T> {
  const assumedOf = new WeakMap<object, WithDeleted<T>>();
  return {
    isEqual: (a, b, context) => {
      if (context === pulledAgainstLocalContext) return pulledEqualsLocal(a, b, assumedOf.get(b));
      if (context === assumedAgainstLocalContext) assumedOf.set(b, a);
      return handler.isEqual(a, b, context);
    },
    resolve: (input, context) => handler.resolve(input, context),
  };
}
