/**
 * The device's list of possible duplicates, kept up to date incrementally (docs/duplicates.md): a pass
 * reads what changed since its own checkpoint in the storage change feed and looks up the partners of each
 * changed record with one exact index query per key. The list is local (each device derives it from the
 * synced records); "Not a duplicate" is a synced activity (`dismiss.ts`).
 */
import { type DuplicateKeys, duplicateKeysOf } from '@shared/schemas';
import { changeFeed, type StoredDocument, withoutStorageFields } from '../change-feed';
import type { CrmDatabase } from '../crm-database';
import { perDatabase } from '../per-database';
import { idsSharingIndexedValue, isClosing } from '../replication/rxdb-internals';
import { repairMergeCycles } from './merge-cycles';
import { pairList } from './pair-list';
import {
  type DuplicateCandidate,
  type DuplicateCollection,
  type DuplicatePair,
  dismissalIdOf,
  findDuplicatePairs,
  isDetectable,
  pairOf,
} from './pairs';

const duplicateCollections = ['contacts', 'leads'] as const satisfies readonly DuplicateCollection[];
const lookupKeys = [
  'emailKey',
  'nameCompanyKey',
  'phoneKey',
] as const satisfies readonly (keyof DuplicateKeys)[];

/** Local document holding the feed positions up to which detection has looked. */
const CHECKPOINT_DOCUMENT = 'duplicates-checkpoint';
/** Beyond this many changed documents a pass reads every contact and lead once instead. */
const maxChangedDocuments = 2000;

export type DetectionResult =
  /** Held (`holdDuplicateDetection`): the pass runs when the hold is released. */
  | { deferred: true }
  | {
      deferred: false;
      /** Whether the pass read every contact and lead (no checkpoint yet, or too much changed). */
      full: boolean;
      /** Changed records whose partners were looked up. */
      checked: number;
      pairs: number;
    };

/** Passes of one database run one after another (two would race on the list and the checkpoint). */
const running = perDatabase<{ last: Promise<unknown> }>(() => ({ last: Promise.resolve() }));

/** Holds on detection of one database that are not released yet. */
const holdsOf = perDatabase(() => ({ count: 0 }));

export type DetectOptions = {
  /** A pass the user asked for (a dismissal, a merge) shows its effect at once, even during an import. */
  evenWhileHeld?: boolean;
};

/** Brings the list of possible duplicates up to date with every write since the last pass. */
export function detectDuplicates(db: CrmDatabase, options: DetectOptions = {}): Promise<DetectionResult> {
  const state = running(db);
  const pass = () =>
    holdsOf(db).count > 0 && !options.evenWhileHeld ? { deferred: true as const } : detectOnce(db);
  const next = state.last.then(pass, pass);
  state.last = next.catch(() => undefined);
  return next;
}

/**
 * Defers detection passes until the returned release is called; the release runs one pass over everything
 * written meanwhile. An import holds it while its worker writes: a pass after every pause in the writes
 * (each chunk's transaction, under load) would read the changed records and their partners beside the
 * import's own transactions, and once more than `maxChangedDocuments` are behind, read whole key indexes.
 */
export function holdDuplicateDetection(db: CrmDatabase): () => Promise<DetectionResult> {
  const holds = holdsOf(db);
  holds.count += 1;
  let released = false;
  return () => {
    if (!released) {
      released = true;
      holds.count -= 1;
    }
    return detectDuplicates(db);
  };
}

async function detectOnce(db: CrmDatabase): Promise<DetectionResult> {
  if (isClosing(db)) return { deferred: false, full: false, checked: 0, pairs: 0 };
  const feed = changeFeed(db, CHECKPOINT_DOCUMENT, [...duplicateCollections, 'activities'] as const);
  const changes = await feed.changes(maxChangedDocuments);
  if (!changes) {
    const checkpoints = feed.startingNow();
    const pairs = await detectAll(db);
    await feed.commit(checkpoints);
    return { deferred: false, full: true, checked: 0, pairs };
  }
  // Opposite survivors chosen on two devices at once: one record is revived first (detected next pass).
  await repairMergeCycles(db, changes.documents);
  const touched = { contacts: new Map<string, StoredDocument | null>(), leads: new Map() };
  for (const collection of duplicateCollections) {
    for (const document of changes.documents[collection]) touched[collection].set(document.id, document);
  }
  // A dismissal written here or synced from elsewhere: its record's pairs are looked at again.
  for (const activity of changes.documents.activities) {
    if (activity.kind !== 'not-duplicate') continue;
    const collection = activity.contactId ? 'contacts' : 'leads';
    const id = String(activity.contactId || activity.leadId);
    if (id && !touched[collection].has(id)) touched[collection].set(id, null);
  }
  let checked = 0;
  const found: DuplicatePair[] = [];
  for (const collection of duplicateCollections) {
    const records = await recordsOf(db, collection, touched[collection]);
    checked += records.length;
    found.push(...(await partnersOf(db, collection, records)));
  }
  const kept = await withoutDismissed(db, found);
  const list = pairList(db);
  const isTouched = (pair: DuplicatePair) => pair.ids.some((id) => touched[pair.collection].has(id));
  const listed = await list.all();
  const keptIds = new Set(kept.map((pair) => pair.id));
  await list.remove(listed.filter((pair) => isTouched(pair) && !keptIds.has(pair.id)).map((pair) => pair.id));
  const at = Date.now();
  const listedById = new Map(listed.map((pair) => [pair.id, pair]));
  await list.addAll(
    kept.flatMap((pair) => {
      const current = listedById.get(pair.id);
      return current?.reasons.join() === pair.reasons.join() ? [] : [{ ...pair, at: current?.at ?? at }];
    }),
  );
  await feed.commit(changes.checkpoints);
  return { deferred: false, full: false, checked, pairs: (await list.all()).length };
}

/** The touched records as stored now (the feed's copy when it has one, else one read for the rest). */
async function recordsOf(
  db: CrmDatabase,
  collection: DuplicateCollection,
  touched: Map<string, StoredDocument | null>,
): Promise<DuplicateCandidate[]> {
  const missing = [...touched].filter(([, document]) => document === null).map(([id]) => id);
  const read = missing.length
    ? ((await db[collection].storageInstance.findDocumentsById(
        missing,
        false,
      )) as unknown as StoredDocument[])
    : [];
  return [...[...touched.values()].filter((document) => document !== null), ...read]
    .filter((document) => !document._deleted)
    .map((document) => withoutStorageFields(document) as DuplicateCandidate)
    .filter(isDetectable);
}

/** The pairs each record forms: one exact index query per non-empty key. */
async function partnersOf(
  db: CrmDatabase,
  collection: DuplicateCollection,
  records: DuplicateCandidate[],
): Promise<DuplicatePair[]> {
  const pairs: DuplicatePair[] = [];
  for (const record of records) {
    const keys = duplicateKeysOf(record);
    const partners = new Map<string, DuplicateCandidate>();
    for (const key of lookupKeys) {
      if (keys[key] === '') continue;
      const documents = await db[collection].find({ selector: { [key]: keys[key] } }).exec();
      for (const document of documents)
        if (document.primary !== record.id)
          partners.set(document.primary, document.toJSON() as unknown as DuplicateCandidate);
    }
    for (const partner of partners.values()) {
      const pair = pairOf(collection, record, partner);
      if (pair) pairs.push(pair);
    }
  }
  return pairs;
}

/** `pairs` without those the team dismissed: one read by id of their dismissal activities. */
async function withoutDismissed(db: CrmDatabase, pairs: DuplicatePair[]): Promise<DuplicatePair[]> {
  const unique = [...new Map(pairs.map((pair) => [pair.id, pair])).values()];
  if (unique.length === 0) return [];
  const dismissals = await db.activities.storageInstance.findDocumentsById(
    unique.map((pair) => dismissalIdOf(pair.id)),
    false,
  );
  const dismissed = new Set(dismissals.map((activity) => activity.id));
  return unique.filter((pair) => !dismissed.has(dismissalIdOf(pair.id)));
}

/** Every pair among all live records: the first pass of a database, or after a large sync. */
async function detectAll(db: CrmDatabase): Promise<number> {
  const found: DuplicatePair[] = [];
  for (const collection of duplicateCollections) {
    found.push(...findDuplicatePairs(collection, await recordsSharingAKey(db, collection)));
  }
  const kept = await withoutDismissed(db, found);
  const list = pairList(db);
  await list.clear();
  const at = Date.now();
  await list.addAll(kept.map((pair) => ({ ...pair, at })));
  return kept.length;
}

/**
 * The live records that share a lookup key's value with another record: only they can form a pair. Found
 * from the key indexes alone, then read by id (on a fresh device's first sync this is the difference
 * between reading 125,000 documents and reading the few hundred that matter); every record when the
 * storage cannot list index keys.
 */
async function recordsSharingAKey(
  db: CrmDatabase,
  collection: DuplicateCollection,
): Promise<DuplicateCandidate[]> {
  const ids = new Set<string>();
  for (const key of lookupKeys) {
    const groups = await idsSharingIndexedValue(db[collection], key);
    if (!groups) {
      const records = await db[collection].find().exec();
      return records.map((document) => document.toJSON() as unknown as DuplicateCandidate);
    }
    for (const group of groups) for (const id of group) ids.add(id);
  }
  if (ids.size === 0) return [];
  const documents = (await db[collection].storageInstance.findDocumentsById(
    [...ids],
    false,
  )) as unknown as StoredDocument[];
  return documents.map((document) => withoutStorageFields(document) as DuplicateCandidate);
}
