/**
 * Reads of the rule engine that go straight to storage (cheaper than RxQuery with its cache and document
 * objects on the hot path of every local write), batched per tick.
 */
import { normalizeMangoQuery, prepareQuery, type RxCollection } from 'rxdb';
import type { StoredDocument } from '../change-feed';
import type { CrmDatabase } from '../crm-database';
import { perDatabase } from '../per-database';

export type LinkedCollection = 'contacts' | 'leads';

/** A live document holding an email (what a duplicate-email message names). */
export type EmailHolder = { id: string; firstName: string; lastName: string };

/** Per collection: the by-id reads of the current tick, answered by one storage call. */
const liveReadsOf = new WeakMap<RxCollection, (id: string) => Promise<unknown>>();

/**
 * Reads the live document with this id straight from storage (cheaper than a query), or null. The reads
 * of one tick share one storage call (the pre hooks of a re-import chunk's contact updates each read
 * their linked lead).
 */
export async function findLive<T>(collection: RxCollection<T>, id: string): Promise<T | null> {
  if (!id) return null;
  let read = liveReadsOf.get(collection as RxCollection);
  if (!read) {
    const primaryPath = collection.schema.primaryPath;
    read = tickBatcher(async (ids) => {
      const docs = await collection.storageInstance.findDocumentsById(ids, false);
      return new Map(docs.map((doc) => [String(doc[primaryPath]), doc]));
    });
    liveReadsOf.set(collection as RxCollection, read);
  }
  return ((await read(id)) as T | undefined) ?? null;
}

/**
 * Coalesces the lookups issued within one tick into one storage call: the pre hooks of a bulkInsert of
 * 10,000 contacts run side by side, and one `$in` query answers all of their email checks. A single write
 * waits one microtask.
 */
export function tickBatcher<V>(lookup: (keys: string[]) => Promise<Map<string, V>>) {
  type Waiter = { resolve: (value: V | undefined) => void; reject: (error: unknown) => void };
  let pending: Map<string, Waiter[]> | null = null;
  return (key: string): Promise<V | undefined> =>
    new Promise((resolve, reject) => {
      if (!pending) {
        const batch = new Map<string, Waiter[]>();
        pending = batch;
        queueMicrotask(() => {
          pending = null;
          lookup([...batch.keys()]).then(
            (found) => {
              for (const [batchKey, waiters] of batch)
                for (const waiter of waiters) waiter.resolve(found.get(batchKey));
            },
            (error) => {
              for (const waiters of batch.values()) for (const waiter of waiters) waiter.reject(error);
            },
          );
        });
      }
      const waiters = pending.get(key) ?? [];
      waiters.push({ resolve, reject });
      pending.set(key, waiters);
    });
}

/**
 * RxDB answers `$in` by scanning the index between the smallest and the largest key, loading every document
 * in between; one exact lookup per key costs a transaction each instead. The scan wins while the collection
 * holds fewer than this many live documents per key looked up (about what one transaction costs in documents
 * read, in Chromium); beyond it (an import slice into a large database) each key is looked up exactly.
 */
const SCAN_DOCUMENTS_PER_KEY = 50;

function storageQuery(target: RxCollection, selector: object) {
  const schema = target.schema.jsonSchema;
  return prepareQuery(schema, normalizeMangoQuery(schema, { selector } as never));
}

/**
 * The stored tombstones of records merged into another (`mergedInto` set), which a full reconcile pass
 * checks for merge cycles: one query over the deleted documents (no index holds `mergedInto`).
 */
export async function storedMergedAway(
  db: CrmDatabase,
  collection: LinkedCollection,
): Promise<StoredDocument[]> {
  const target = db[collection] as RxCollection;
  const selector = { _deleted: { $eq: true }, mergedInto: { $ne: '' } };
  const { documents } = await target.storageInstance.query(storageQuery(target, selector));
  return documents as unknown as StoredDocument[];
}

const lookupsOf = perDatabase((db) => {
  const holdersIn = (collection: LinkedCollection) =>
    tickBatcher<EmailHolder[]>(async (keys) => {
      const target = db[collection] as RxCollection;
      const live = { _deleted: { $eq: false } };
      const scan =
        keys.length === 1 ||
        (await target.storageInstance.count(storageQuery(target, live))).count <=
          keys.length * SCAN_DOCUMENTS_PER_KEY;
      const selectors = scan
        ? [{ emailKey: keys.length === 1 ? keys[0] : { $in: keys }, ...live }]
        : keys.map((key) => ({ emailKey: key, ...live }));
      const results = await Promise.all(
        selectors.map((selector) => target.storageInstance.query(storageQuery(target, selector))),
      );
      const docs = results.flatMap((result) => result.documents) as unknown as (EmailHolder & {
        emailKey: string;
      })[];
      const byKey = new Map<string, EmailHolder[]>();
      for (const doc of docs) byKey.set(doc.emailKey, [...(byKey.get(doc.emailKey) ?? []), doc]);
      return byKey;
    });
  return {
    emailHolders: { contacts: holdersIn('contacts'), leads: holdersIn('leads') },
    storedLead: tickBatcher<true>(async (ids) => {
      const docs = await db.leads.storageInstance.findDocumentsById(ids, true);
      return new Map(docs.map((doc) => [doc.id, true as const]));
    }),
  };
});

/** Live documents of `collection` using `emailKey` (indexed query, batched per tick). */
export async function emailHolders(
  db: CrmDatabase,
  collection: LinkedCollection,
  emailKey: string,
): Promise<EmailHolder[]> {
  return (await lookupsOf(db).emailHolders[collection](emailKey)) ?? [];
}

/** Whether a lead with this id is stored, live or deleted (batched per tick). */
export async function isLeadIdTaken(db: CrmDatabase, id: string): Promise<boolean> {
  return (await lookupsOf(db).storedLead(id)) === true;
}

/**
 * Live documents of `collection` whose reference `field` holds one of `ids`: one indexed `$eq` query per
 * id. (An `$in` query would scan the index between the smallest and the largest id, which on a large
 * database is most of it.)
 */
export async function documentsPointingAt(
  db: CrmDatabase,
  collection: LinkedCollection,
  field: 'leadId' | 'contactId',
  ids: readonly string[],
): Promise<Record<string, unknown>[]> {
  const target = db[collection] as RxCollection;
  const schema = target.schema.jsonSchema;
  const results = await Promise.all(
    ids.map((id) =>
      target.storageInstance.query(
        prepareQuery(
          schema,
          normalizeMangoQuery(schema, { selector: { [field]: id, _deleted: { $eq: false } } } as never),
        ),
      ),
    ),
  );
  return results.flatMap((result) => result.documents as unknown as Record<string, unknown>[]);
}
