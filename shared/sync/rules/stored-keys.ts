/**
 * What the pre hooks of a local write need to know about the stored documents, kept in memory so that a
 * write waits for no IndexedDB read: the emails of the live contacts and leads (email uniqueness) and every
 * stored id, deleted ones included (the id of a lead R1/R2 create). IndexedDB runs one transaction
 * after another, and these reads were a round of their own before the contact's write (bench/README.md,
 * "Local core": three rounds against the floor's two).
 *
 * Loaded page by page from the keys of the collections' email index (a key-only cursor: no document is read
 * or decoded), on the first user write to contacts or leads (not at start-up, where the app's first screen
 * waits for IndexedDB); a new database has them from the start. Reading every document instead kept
 * IndexedDB and the main thread busy for seconds at 100,000 contacts, and the user's next writes (a pipeline
 * drag) waited behind it (issue 10's figure). From the moment loading starts the index follows the storage
 * change stream of both collections, which sees every write — local, replicated, or made by another
 * instance of the same database (the import's writer worker, over RxDB's BroadcastChannel) — and a storage
 * write emits its events before it resolves, so the index is current when a write's post hook runs. Until
 * it is loaded (or on a storage without index keys), the callers read storage as before.
 *
 * Limit: a write by another instance reaches this one's index a moment after it is stored (the broadcast);
 * an email taken in that moment by both instances is not refused. Email uniqueness is per device and
 * best-effort across instances anyway (docs/link-rules.md): two instances checking IndexedDB at the same
 * time did not see each other's reservations either.
 */
import { normalizeMangoQuery, prepareQuery, type RxCollection, type RxStorageChangeEvent } from 'rxdb';
import type { Subscription } from 'rxjs';
import type { CrmDatabase } from '../crm-database';
import { perDatabase } from '../per-database';
import { type IndexEntry, indexEntriesAfter } from '../replication/rxdb-internals';
import type { LinkedCollection } from './storage-reads';

/**
 * Index keys read per storage call while loading: one IndexedDB transaction each, short enough that a
 * user's write to the same collection never waits long behind it.
 */
const LOAD_PAGE = 2000;

type StoredDocument = { id: string; emailKey?: string; _deleted?: boolean };

/** One collection's stored ids (value: the live document's email key, null for a deletion) and email holders. */
class CollectionKeys {
  private readonly emailOf = new Map<string, string | null>();
  private readonly holders = new Map<string, Set<string>>();

  /** Whether a document with this id is stored, live or deleted. */
  has(id: string): boolean {
    return this.emailOf.has(id);
  }

  holdersOf(emailKey: string): ReadonlySet<string> {
    return this.holders.get(emailKey) ?? NONE;
  }

  set(document: StoredDocument): void {
    const previous = this.emailOf.get(document.id);
    const emailKey = document._deleted ? null : (document.emailKey ?? '');
    if (previous) this.holders.get(previous)?.delete(document.id);
    if (previous && this.holders.get(previous)?.size === 0) this.holders.delete(previous);
    this.emailOf.set(document.id, emailKey);
    if (!emailKey) return;
    const holders = this.holders.get(emailKey) ?? new Set<string>();
    holders.add(document.id);
    this.holders.set(emailKey, holders);
  }
}

const NONE: ReadonlySet<string> = new Set();

export type StoredKeys = Record<LinkedCollection, CollectionKeys>;

type IndexState = {
  keys: StoredKeys;
  ready: boolean;
  /** Where each collection's reading stands: the last index entry read (null: not started). */
  read: Record<LinkedCollection, { after: IndexEntry | null; done: boolean }> | null;
  /** Ids written since reading began: the change stream has their latest state, a page read may be older. */
  changedWhileLoading: Set<string>;
  /** The reading running now, and the full load once asked for. */
  running: Promise<void>;
  fullLoad: Promise<void> | null;
  /** Reading failed or the database closed: the index stays unused. */
  stopped: boolean;
  subscriptions: Subscription[];
};

const COLLECTIONS: readonly LinkedCollection[] = ['contacts', 'leads'];

const stateOf = perDatabase(
  (): IndexState => ({
    keys: { contacts: new CollectionKeys(), leads: new CollectionKeys() },
    ready: false,
    read: null,
    changedWhileLoading: new Set(),
    running: Promise.resolve(),
    fullLoad: null,
    stopped: false,
    subscriptions: [],
  }),
);

/** The index, once loaded; null before (the caller then reads storage). */
export function storedKeys(db: CrmDatabase): StoredKeys | null {
  const state = stateOf(db);
  return state.ready ? state.keys : null;
}

/**
 * At open: a database without contacts and leads (a new one) has its keys at once; any other loads them on
 * its first user write. Whether a collection is empty is one document read (a query with limit 1), not a
 * count: IndexedDB counts by walking every index entry, and that walk held the first screen (about 0.6 s
 * at 100,000 contacts). Start-up reads only what changed (docs/architecture.md).
 */
export async function openStoredKeys(db: CrmDatabase): Promise<void> {
  const stored = await Promise.all(
    COLLECTIONS.map(async (collection) => {
      const storage = (db[collection] as RxCollection).storageInstance;
      const schema = storage.schema;
      // Any stored document, deleted ones included (their ids stay taken).
      const query = normalizeMangoQuery(schema, { selector: {}, limit: 1 });
      const { documents } = await storage.query(prepareQuery(schema, query));
      return documents.length > 0;
    }),
  );
  if (!stored.includes(true)) await readPages(db, 1);
}

/** Loads the rest of the index (once per database); resolves when it is loaded. A failed load leaves it unused. */
export function loadStoredKeys(db: CrmDatabase): Promise<void> {
  const state = stateOf(db);
  state.fullLoad ??= readPages(db, Number.POSITIVE_INFINITY);
  return state.fullLoad;
}

function readPages(db: CrmDatabase, pages: number): Promise<void> {
  const state = stateOf(db);
  state.running = state.running.then(() =>
    state.ready || state.stopped ? undefined : read(db, state, pages).catch(() => stop(state)),
  );
  return state.running;
}

/** Without the index every check reads storage, as it did before the index existed: slower, not wrong. */
function stop(state: IndexState): void {
  state.stopped = true;
  state.ready = false;
  for (const subscription of state.subscriptions) subscription.unsubscribe();
  state.subscriptions = [];
}

function follow(db: CrmDatabase, state: IndexState): void {
  for (const collection of COLLECTIONS) {
    const keys = state.keys[collection];
    const storage = (db[collection] as RxCollection).storageInstance;
    state.subscriptions.push(
      storage.changeStream().subscribe((bulk) => {
        for (const event of bulk.events as RxStorageChangeEvent<StoredDocument>[]) {
          keys.set(event.documentData);
          if (!state.ready) state.changedWhileLoading.add(`${collection}:${event.documentId}`);
        }
      }),
    );
  }
  db.onClose.push(() => stop(state));
}

async function read(db: CrmDatabase, state: IndexState, pages: number): Promise<void> {
  if (!state.read) {
    follow(db, state);
    state.read = {
      contacts: { after: null, done: false },
      leads: { after: null, done: false },
    };
  }
  for (const collection of COLLECTIONS) {
    const position = state.read[collection];
    for (let page = 0; page < pages && !position.done; page++) {
      if (db.closed) return;
      const entries = await indexEntriesAfter(
        db[collection] as RxCollection,
        'emailKey',
        position.after,
        LOAD_PAGE,
      );
      // A storage without index keys: the callers keep reading storage.
      if (!entries) return stop(state);
      for (const { id, deleted, value } of entries) {
        if (!state.changedWhileLoading.has(`${collection}:${id}`))
          state.keys[collection].set({ id, emailKey: value, _deleted: deleted });
      }
      position.after = entries.at(-1) ?? position.after;
      position.done = entries.length < LOAD_PAGE;
    }
  }
  if (COLLECTIONS.every((collection) => state.read?.[collection].done)) {
    state.changedWhileLoading.clear();
    state.ready = true;
  }
}
