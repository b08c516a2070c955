import type { DexieOptions } from 'dexie';
import Dexie, { type Table } from 'dexie';
import {
  type MangoQuerySelector,
  normalizeMangoQuery,
  prepareQuery,
  type RxCollection,
  type RxStorageInstance,
} from 'rxdb';
import {
  auditTime,
  BehaviorSubject,
  combineLatest,
  distinctUntilChanged,
  filter,
  from,
  map,
  type Observable,
  of,
  Subject,
  type Subscription,
  startWith,
  switchMap,
} from 'rxjs';
import type { CrmDatabase } from '../database';
import { messageOf } from '../errors';
import { perDatabase } from '../per-database';
import {
  DIGITS,
  NAME,
  OTHER,
  parseQuery,
  rankOf,
  type SearchableCollection,
  type SearchEntry,
  searchableCollections,
  searchEntryOf,
} from './search-tokens';

/** Bump when `searchEntryOf` or the totals change: stored entries are then rebuilt once. */
const TOKENS_VERSION = 2;
/** Documents read per storage query while catching up. */
const CATCH_UP_BATCH = 1000;
/**
 * Documents indexed per transaction. Storing an entry (its tokens go into a multiEntry index) is
 * synchronous work of the window; a bulk of 1,000 pulled or imported documents is therefore indexed in
 * slices, each its own short task, so the window never freezes while it catches up.
 */
const APPLY_SLICE = 50;
/** Keys read per token range: beyond this a search is "too broad" and the caller pages the database instead. */
const RANGE_LIMIT = 5000;

type Checkpoint = { id: string; lwt: number };
type IndexState = { collection: SearchableCollection; checkpoint: Checkpoint | null; tokensVersion: number };
type StoredDocument = Record<string, unknown> & { id: string; _deleted?: boolean };

export type SearchResult = {
  /** Matching ids, best first (rank, then name), at most the requested number. */
  ids: string[];
  /** How many records match; a lower bound when `complete` is false. */
  total: number;
  /** False when a search word is so short it matches more than one token range holds. */
  complete: boolean;
};

export type SearchIndexStatus = {
  /** True once the index holds every document stored before it was opened. */
  ready: boolean;
  /**
   * The collections whose entries and totals hold every document stored before the index was opened: each
   * is ready on its own (the board's counts need the leads only, not 100,000 contacts caught up first).
   */
  readyCollections: readonly SearchableCollection[];
  /** Documents read from the database to catch up since the last session (0 when nothing was missed). */
  caughtUp: number;
  error: string | null;
};

/**
 * Records and summed value of one status of a collection (a pipeline column, a status filter), kept up to
 * date with every write: the lists and the board count from these rows instead of counting an index.
 */
export type StatusTotal = { key: string; status: string; count: number; value: number };
const totalKey = (collection: SearchableCollection, status: string) => `${collection}/${status}`;
export type StatusTotals = {
  byStatus: ReadonlyMap<string, StatusTotal>;
  /** The status the totals count each asked-for record under (absent: not counted). */
  statusOf: ReadonlyMap<string, string>;
};
/** Re-read the totals at most this often while many writes arrive (an import, a first sync). */
const TOTALS_INTERVAL_MS = 100;

class SearchStore extends Dexie {
  contacts!: Table<SearchEntry, string>;
  leads!: Table<SearchEntry, string>;
  totals!: Table<StatusTotal, string>;
  state!: Table<IndexState, string>;
  constructor(name: string, options: SearchIndexOptions) {
    super(name, options);
    this.version(1).stores({
      contacts: 'id, *tokens',
      leads: 'id, *tokens',
      leadTotals: 'status',
      state: 'collection',
    });
    // 2: totals per status of contacts too (TOKENS_VERSION 2 rebuilds the entries and totals).
    this.version(2).stores({ leadTotals: null, totals: 'key' });
  }
}

export type SearchIndexOptions = {
  indexedDB?: DexieOptions['indexedDB'];
  IDBKeyRange?: DexieOptions['IDBKeyRange'];
};

/**
 * Full-text search of contacts and leads that is there from the first second: an IndexedDB store (Dexie)
 * with one multiEntry index of folded word tokens, kept next to the RxDB database and maintained
 * incrementally. It follows each collection's storage change stream, which carries local writes, rule
 * writes and replicated writes alike (replication bypasses RxDB's hooks but not its storage), and stores
 * the stream's checkpoint in the same transaction as the entries. On open it reads only the documents
 * written after that checkpoint (none after a normal shutdown), so start-up costs nothing per record.
 *
 * Why not tokens inside the RxDB documents: RxDB cannot index an array (no multiEntry), so a token field
 * there could only be scanned. Why hand-written rather than a search library: the libraries (flexsearch,
 * minisearch) keep their index in memory and would have to load or rebuild it at every start.
 */
export class SearchIndex {
  private readonly store: SearchStore;
  private readonly subscriptions: Subscription[] = [];
  /** Index writes run one after another, in the order the database wrote. */
  private tail: Promise<void> = Promise.resolve();
  private closed = false;
  /**
   * Collections still catching up: their live bulks do not move the stored checkpoint, or a session closed
   * mid-way would resume after documents the catch-up has not read yet.
   */
  private readonly catchingUp = new Set<SearchableCollection>(searchableCollections);
  /** Emits the collection whose entries changed. */
  readonly changes$ = new Subject<SearchableCollection>();
  readonly status$ = new BehaviorSubject<SearchIndexStatus>({
    ready: false,
    readyCollections: [],
    caughtUp: 0,
    error: null,
  });
  readonly ready: Promise<void>;

  constructor(
    private readonly db: CrmDatabase,
    options: SearchIndexOptions = {},
  ) {
    this.store = takeStoreOpenedEarly(storeName(db.name)) ?? new SearchStore(storeName(db.name), options);
    // Follow the streams before catching up, so a write made meanwhile is applied after the catch-up.
    for (const collection of searchableCollections) {
      const storage = this.storageOf(collection);
      this.subscriptions.push(
        storage.changeStream().subscribe((bulk) => {
          const documents = bulk.events.map((event) => event.documentData as unknown as StoredDocument);
          this.enqueue(() => this.apply(collection, documents, bulk.checkpoint as Checkpoint));
        }),
      );
    }
    this.ready = this.catchUp();
    this.ready.catch((error: unknown) => this.report(error));
  }

  private storageOf(collection: SearchableCollection): RxStorageInstance<unknown, unknown, unknown> {
    return (this.db.collections[collection] as unknown as RxCollection).storageInstance;
  }

  private report(error: unknown): void {
    if (this.closed) return;
    this.status$.next({
      ...this.status$.value,
      error: `The search index could not be updated: ${messageOf(error)}`,
    });
  }

  private enqueue(work: () => Promise<void>): Promise<void> {
    this.tail = this.tail.then(() => (this.closed ? undefined : work())).catch((error) => this.report(error));
    return this.tail;
  }

  /** The collections catch up side by side; each is ready (for its totals and searches) when it is done. */
  private async catchUp(): Promise<void> {
    await Promise.all(searchableCollections.map((collection) => this.catchUpCollection(collection)));
  }

  private async catchUpCollection(collection: SearchableCollection): Promise<void> {
    let caughtUp = 0;
    let state = await this.store.state.get(collection);
    if (state?.tokensVersion !== TOKENS_VERSION) {
      // New or older tokens: rebuild this collection's entries once, from the start of its history.
      const { totals } = this.store;
      await this.store.transaction(
        'rw',
        [this.store.table(collection), totals, this.store.state],
        async () => {
          await this.store.table(collection).clear();
          await totals.where('key').startsWith(totalKey(collection, '')).delete();
          await this.store.state.put({ collection, checkpoint: null, tokensVersion: TOKENS_VERSION });
        },
      );
      state = undefined;
    }
    let checkpoint = state?.checkpoint ?? null;
    for (;;) {
      const page = await feedPage(this.storageOf(collection), checkpoint, CATCH_UP_BATCH);
      const next = page.checkpoint;
      if (page.documents.length === 0 || next === null || this.closed) break;
      caughtUp += page.documents.length;
      checkpoint = next;
      await this.enqueue(() => this.apply(collection, page.documents, next, true));
    }
    this.catchingUp.delete(collection);
    const status = this.status$.value;
    const readyCollections = [...status.readyCollections, collection];
    this.status$.next({
      ready: readyCollections.length === searchableCollections.length,
      readyCollections,
      caughtUp: status.caughtUp + caughtUp,
      error: status.error,
    });
  }

  /**
   * Writes the entries of `documents`, a slice per transaction, and with the last slice the checkpoint they
   * reach. A session closed between slices leaves the checkpoint behind them: the next start applies
   * them again, which changes nothing (totals move from each stored entry to its new one).
   */
  private async apply(
    collection: SearchableCollection,
    documents: readonly StoredDocument[],
    checkpoint: Checkpoint,
    fromCatchUp = false,
  ): Promise<void> {
    for (let start = 0; start < documents.length; start += APPLY_SLICE) {
      if (this.closed) return;
      const last = start + APPLY_SLICE >= documents.length;
      await this.applySlice(
        collection,
        documents.slice(start, start + APPLY_SLICE),
        last ? checkpoint : null,
        fromCatchUp,
      );
    }
    this.changes$.next(collection);
  }

  /** Writes the entries of `documents` and, unless `null`, the checkpoint they reach, in one transaction. */
  private async applySlice(
    collection: SearchableCollection,
    documents: readonly StoredDocument[],
    checkpoint: Checkpoint | null,
    fromCatchUp: boolean,
  ): Promise<void> {
    const keepCheckpoint = checkpoint !== null && (fromCatchUp || !this.catchingUp.has(collection));
    const table = this.store.table<SearchEntry, string>(collection);
    await this.store.transaction('rw', [table, this.store.totals, this.store.state], async () => {
      const removed = documents.filter((document) => document._deleted).map((document) => document.id);
      const entries = documents
        .filter((document) => !document._deleted)
        .map((document) => searchEntryOf(collection, document));
      await this.updateTotals(
        collection,
        documents.map((document) => document.id),
        entries,
      );
      if (removed.length > 0) await table.bulkDelete(removed);
      if (entries.length > 0) await table.bulkPut(entries);
      if (!keepCheckpoint) return;
      const state = await this.store.state.get(collection);
      // A catch-up page and a live bulk may overlap; the checkpoint only moves forward.
      if (!state?.checkpoint || isAfter(checkpoint, state.checkpoint))
        await this.store.state.put({ collection, checkpoint, tokensVersion: TOKENS_VERSION });
    });
  }

  /**
   * Moves the per-status totals from the stored entries to their new ones (`entries`; an id without one
   * was deleted). Runs inside `apply`'s transaction, so totals and entries never disagree.
   */
  private async updateTotals(
    collection: SearchableCollection,
    ids: readonly string[],
    entries: readonly SearchEntry[],
  ): Promise<void> {
    const previous = await this.store.table<SearchEntry, string>(collection).bulkGet([...ids]);
    const next = new Map(entries.map((entry) => [entry.id, entry]));
    const deltas = new Map<string, { count: number; value: number }>();
    const add = (entry: SearchEntry | undefined, sign: 1 | -1) => {
      if (entry?.status === undefined) return;
      const delta = deltas.get(entry.status) ?? { count: 0, value: 0 };
      delta.count += sign;
      delta.value += sign * (entry.value ?? 0);
      deltas.set(entry.status, delta);
    };
    ids.forEach((id, position) => {
      add(previous[position], -1);
      add(next.get(id), 1);
    });
    const statuses = [...deltas.keys()];
    const totals = await this.store.totals.bulkGet(statuses.map((status) => totalKey(collection, status)));
    await this.store.totals.bulkPut(
      statuses.map((status, position) => {
        const total = totals[position] ?? { key: totalKey(collection, status), status, count: 0, value: 0 };
        const delta = deltas.get(status)!;
        return { ...total, count: total.count + delta.count, value: total.value + delta.value };
      }),
    );
  }

  /**
   * Records and value per status, read from a handful of stored rows rather than from every record; with
   * the status each of `ids` is counted under, read in the same transaction (a board adjusts its counts
   * for moves the totals do not hold yet).
   */
  async totals(collection: SearchableCollection, ids: readonly string[] = []): Promise<StatusTotals> {
    const table = this.store.table<SearchEntry, string>(collection);
    return this.store.transaction('r', [this.store.totals, table], async () => {
      const totals = await this.store.totals.where('key').startsWith(totalKey(collection, '')).toArray();
      const entries = await table.bulkGet([...ids]);
      return {
        byStatus: new Map(totals.map((total) => [total.status, total])),
        statusOf: new Map(
          entries.flatMap((entry) => (entry?.status === undefined ? [] : [[entry.id, entry.status]])),
        ),
      };
    });
  }

  /**
   * Whether the index is ready for `collection` (has caught up with it), at once and again after writes to
   * it (at most every `intervalMs` while many arrive): when a reader of the index should read again.
   */
  refreshes$(collection: SearchableCollection, intervalMs: number): Observable<boolean> {
    const ready$ = this.status$.pipe(
      map((status) => status.readyCollections.includes(collection)),
      distinctUntilChanged(),
    );
    const changed$ = this.changes$.pipe(
      filter((changed) => changed === collection),
      auditTime(intervalMs),
      startWith(collection),
    );
    return combineLatest([ready$, changed$]).pipe(map(([ready]) => ready));
  }

  /**
   * The totals of `collection`, again after its writes; null while the index is still catching up with it
   * (then they would be short of the documents not read yet).
   */
  totals$(collection: SearchableCollection, ids: readonly string[] = []): Observable<StatusTotals | null> {
    return this.refreshes$(collection, TOTALS_INTERVAL_MS).pipe(
      switchMap((ready) => (ready ? from(this.totals(collection, ids)) : of(null))),
    );
  }

  /** Ids of the records matching every word of `text` (see search-tokens.ts), ranked; at most `limit`. */
  async search(collection: SearchableCollection, text: string, limit: number): Promise<SearchResult> {
    const query = parseQuery(text);
    if (query.words.length === 0) return { ids: [], total: 0, complete: true };
    const table = this.store.table<SearchEntry, string>(collection);
    let complete = true;
    const idsWithPrefix = async (prefix: string) => {
      const keys = await table.where('tokens').startsWith(prefix).limit(RANGE_LIMIT).primaryKeys();
      if (keys.length === RANGE_LIMIT) complete = false;
      return keys;
    };
    // Every range at once (each its own read transaction, served side by side): one round trip to IndexedDB
    // instead of one per range, which is most of a search's time.
    const [perWord, digitMatches] = await Promise.all([
      Promise.all(
        query.words.map(async (word) => {
          const [names, others] = await Promise.all([
            idsWithPrefix(NAME + word),
            idsWithPrefix(OTHER + word),
          ]);
          return new Set([...names, ...others]);
        }),
      ),
      query.digits === null ? [] : idsWithPrefix(DIGITS + query.digits),
    ]);
    // Rarest word first: the intersection then shrinks from the smallest set.
    perWord.sort((a, b) => a.size - b.size);
    const matched = new Set([...(perWord[0] ?? [])].filter((id) => perWord.every((ids) => ids.has(id))));
    for (const id of digitMatches) matched.add(id);
    if (!complete || matched.size > limit)
      return { ids: [...matched].slice(0, limit), total: matched.size, complete: false };
    // One match (a name typed out) has nothing to rank: no second read.
    if (matched.size <= 1) return { ids: [...matched], total: matched.size, complete: true };
    const entries = (await table.bulkGet([...matched])).filter((entry) => entry !== undefined);
    const ranked = entries
      .map((entry) => ({ entry, rank: rankOf(entry, query) }))
      .sort(
        (a, b) =>
          a.rank - b.rank ||
          compareStrings(a.entry.sortKey, b.entry.sortKey) ||
          compareStrings(a.entry.id, b.entry.id),
      );
    return { ids: ranked.map(({ entry }) => entry.id), total: ranked.length, complete: true };
  }

  /** Resolves once every write made so far is in the index (tests, and the bench's probes). */
  async settled(): Promise<void> {
    await this.ready;
    await this.tail;
  }

  close(): void {
    this.closed = true;
    for (const subscription of this.subscriptions) subscription.unsubscribe();
    this.changes$.complete();
    this.store.close();
  }
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * One page of a collection's storage change feed after `checkpoint` (tombstones included), in feed order.
 * RxDB's `getChangedDocumentsSince` asks with an `$or` that the Dexie storage cannot answer from the
 * `[_meta.lwt, id]` index alone: it reads every document from the checkpoint's time on, then sorts and cuts
 * (measured at 100,000 contacts: every start read the whole last bulk write, 10,000 documents, to find
 * none; a catch-up from scratch read the rest of the feed once per page). Two index ranges instead: the
 * rest of the checkpoint's own time (one bulk write stamps all its documents with one time), then later times.
 */
async function feedPage(
  storage: RxStorageInstance<unknown, unknown, unknown>,
  checkpoint: Checkpoint | null,
  limit: number,
): Promise<{ documents: StoredDocument[]; checkpoint: Checkpoint | null }> {
  const read = async (selector: MangoQuerySelector<unknown>, count: number) => {
    const query = normalizeMangoQuery(storage.schema, {
      selector,
      sort: [{ '_meta.lwt': 'asc' }, { id: 'asc' }],
      skip: 0,
      limit: count,
    } as never);
    const result = await storage.query(prepareQuery(storage.schema, query));
    return result.documents as unknown as StoredDocument[];
  };
  const documents =
    checkpoint === null
      ? []
      : await read({ '_meta.lwt': { $eq: checkpoint.lwt }, id: { $gt: checkpoint.id } } as never, limit);
  if (documents.length < limit)
    documents.push(
      ...(await read({ '_meta.lwt': { $gt: checkpoint?.lwt ?? 0 } } as never, limit - documents.length)),
    );
  const last = documents.at(-1);
  return {
    documents,
    checkpoint: last ? { id: last.id, lwt: (last._meta as { lwt: number }).lwt } : checkpoint,
  };
}

function isAfter(a: Checkpoint, b: Checkpoint): boolean {
  return a.lwt > b.lwt || (a.lwt === b.lwt && a.id > b.id);
}

const indexes = perDatabase<{ index: SearchIndex | null }>(() => ({ index: null }));

const storeName = (databaseName: string) => `fieldbook-search-${databaseName}`;

/** Search stores opened ahead of their index, by store name (`openSearchStoreEarly`). */
const storesOpenedEarly = new Map<string, SearchStore>();

/**
 * Starts opening the search store of the database called `databaseName` now, before the database itself has
 * opened: the store's IndexedDB open then runs beside RxDB's, and the index created once the database is open
 * (`searchIndexOf`) takes it over. At start-up the board's counts wait for the store, whose open otherwise
 * began only after the database's and finished behind the first screen's render. A failure to open shows
 * when the index uses the store.
 */
export function openSearchStoreEarly(databaseName: string, options: SearchIndexOptions = {}): void {
  const name = storeName(databaseName);
  if (storesOpenedEarly.has(name)) return;
  const store = new SearchStore(name, options);
  store.open().catch(() => undefined);
  storesOpenedEarly.set(name, store);
}

function takeStoreOpenedEarly(name: string): SearchStore | undefined {
  const store = storesOpenedEarly.get(name);
  storesOpenedEarly.delete(name);
  return store;
}

/** The search index of `db`, opened on first use and closed with the database. */
export function searchIndexOf(db: CrmDatabase, options: SearchIndexOptions = {}): SearchIndex {
  const state = indexes(db);
  if (state.index === null) {
    const index = new SearchIndex(db, options);
    state.index = index;
    db.onClose.push(() => index.close());
  }
  return state.index;
}
