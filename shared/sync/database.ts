import {
  activityDefaults,
  type CollectionName,
  collectionDefinitions,
  collectionNames,
  type DocumentTypes,
  deriveEmailKey,
  deriveLocalFields,
  rxJsonSchemaOf,
} from '@shared/schemas';
import {
  addRxPlugin,
  createRxDatabase,
  type DexieSettings,
  type RxCollection,
  type RxJsonSchema,
  type RxStorage,
} from 'rxdb';
import { RxDBLocalDocumentsPlugin } from 'rxdb/plugins/local-documents';
import { RxDBMigrationSchemaPlugin } from 'rxdb/plugins/migration-schema';
import { getRxStorageDexie } from 'rxdb/plugins/storage-dexie';
import { readingAbsentKeysByRange } from './absent-key-reads';
import type { CrmCollections, CrmContext, CrmDatabase, TimelineEntry } from './crm-database';
import { CrmValidationError, fieldIssuesOf } from './errors';
import { withIndexedChangeFeed, withPagedIndexQueries } from './replication/rxdb-internals';
import { installLinkRules } from './rules/hooks';
import { withLeadsAlongsideContacts } from './rules/lead-alongside';
import { reconcile } from './rules/reconcile';
import { openStoredKeys } from './rules/stored-keys';
import { nextUpdatedAt } from './write-time';

addRxPlugin(RxDBMigrationSchemaPlugin);
addRxPlugin(RxDBLocalDocumentsPlugin);

export type { CrmCollections, CrmContext, CrmDatabase, TimelineEntry } from './crm-database';

export type CreateCrmDatabaseOptions = {
  name: string;
  /** Defaults to `crmStorage()` (Dexie over the platform's IndexedDB). */
  storage?: RxStorage<unknown, unknown>;
  userId?: string;
  /**
   * Another JavaScript realm opens the same database (the import's writer worker opens it beside the
   * window): each instance's writes then reach the others' change streams over a BroadcastChannel, so their
   * queries, search index and replication see them. Off by default (Node, tests, the bench's databases).
   */
  multiInstance?: boolean;
};

const { subject, body, dueAt, doneAt, assignedTo, changes, replacedBy } = activityDefaults;
const activityDefaultsV2 = { subject, body, dueAt, doneAt, assignedTo, changes, replacedBy };

/** Later schema versions add their migration here (version → old doc → new doc). */
const migrationStrategies: Record<CollectionName, Record<number, (doc: unknown) => unknown>> = {
  // 1: derived sort keys (and the leads' Kanban order key). 2: `mergedInto` and the duplicate lookup keys.
  contacts: {
    1: (doc) => deriveLocalFields('contacts', doc as Record<string, unknown>),
    2: (doc) => deriveLocalFields('contacts', { mergedInto: '', ...(doc as Record<string, unknown>) }),
  },
  leads: {
    1: (doc) => deriveLocalFields('leads', doc as Record<string, unknown>),
    2: (doc) => deriveLocalFields('leads', { mergedInto: '', ...(doc as Record<string, unknown>) }),
  },
  departments: {},
  teamMembers: {},
  activities: {
    // v1: the `imported` kind joins the enum; stored entries are unchanged.
    1: (doc) => doc,
    // v2: work entries arrived; every older entry is an audit entry.
    2: (doc) => ({ ...(doc as object), ...activityDefaultsV2 }),
  },
  teamSettings: {},
};

/** Fills defaults and managed fields, normalizes and validates a document about to be written locally. */
export function prepareLocalWrite<K extends CollectionName>(
  name: K,
  data: Record<string, unknown>,
  previous: Record<string, unknown> | undefined,
  context: CrmContext,
): DocumentTypes[K] {
  const definition = collectionDefinitions[name];
  for (const [key, value] of Object.entries(definition.defaults)) {
    if (data[key] === undefined) data[key] = Array.isArray(value) ? [...value] : value;
  }
  const now = nextUpdatedAt(previous?.updatedAt as number | undefined);
  data.createdAt ??= previous?.createdAt ?? now;
  const keepsTime =
    previous === undefined &&
    typeof data.updatedAt === 'number' &&
    context.keepTimesOf.has(data.id as string);
  if (!keepsTime) data.updatedAt = now;
  data.updatedBy = context.userId;
  data.serverRev ??= previous?.serverRev ?? 0;
  // zod validates the email key with the other fields; the local derived fields (not in the zod schema)
  // are derived once, from the normalized values.
  const parsed = definition.schema.safeParse(deriveEmailKey(name, data));
  if (!parsed.success) throw new CrmValidationError('validation', fieldIssuesOf(parsed.error));
  // Keep RxDB's own keys (_deleted, _meta, …) while taking zod's normalized values (trimmed strings); the
  // derived fields follow the normalized values.
  return deriveLocalFields(name, Object.assign(data, parsed.data)) as DocumentTypes[K];
}

/**
 * Inserts new documents keeping the `createdAt` and `updatedAt` they carry, e.g. an import keeping the
 * dates its source CRM recorded. The only sanctioned way around the database layer's time stamp: it
 * applies to these inserts alone; every later write of the documents is stamped "now" as usual (and a
 * later-wins merge therefore still sees the later write).
 */
export async function bulkInsertKeepingTimes<K extends CollectionName>(
  db: CrmDatabase,
  name: K,
  documents: DocumentTypes[K][],
) {
  const ids = documents.map((document) => document.id);
  for (const id of ids) db.crm.keepTimesOf.add(id);
  try {
    return await db[name].bulkInsert(documents as never[]);
  } finally {
    for (const id of ids) db.crm.keepTimesOf.delete(id);
  }
}

/**
 * Runs `write` (user writes: inserts or patches through the collections) with each record's own timeline
 * entry told by `entries` (an import: "Imported from x.csv", one entry per record instead of "created" or
 * "edited" beside an entry of the import's own). Applies to the writes of these ids that start before
 * `write` resolves; the rules' entries (a lead created by R1, a linked change) are written as always.
 */
export async function writingTimelineEntries<T>(
  db: CrmDatabase,
  entries: ReadonlyMap<string, TimelineEntry>,
  write: () => Promise<T>,
): Promise<T> {
  for (const [id, entry] of entries) db.crm.timelineEntryOf.set(id, entry);
  try {
    return await write();
  } finally {
    for (const id of entries.keys()) db.crm.timelineEntryOf.delete(id);
  }
}

/**
 * The app's storage: Dexie over IndexedDB, with an indexed change feed for replication's reads
 * (rxdb-internals.ts), writing the lead R1 creates alongside its contact (rules/lead-alongside.ts), large
 * reads by id listing first which keys are stored (absent-key-reads.ts). `pagedQueries`: pages of index-ordered queries are read with one request each (the window's lists and
 * board, DatabaseProvider); off by default until the Node tests' operation budgets have been checked with
 * it (see issue 10's closing note).
 */
export function crmStorage(
  settings?: DexieSettings,
  { pagedQueries = false }: { pagedQueries?: boolean } = {},
): RxStorage<unknown, unknown> {
  const dexie = getRxStorageDexie({
    ...settings,
    addons: [...(settings?.addons ?? []), readingAbsentKeysByRange],
  });
  return withLeadsAlongsideContacts(
    withIndexedChangeFeed(pagedQueries ? withPagedIndexQueries(dexie) : dexie),
  ) as RxStorage<unknown, unknown>;
}

export async function createCrmDatabase(options: CreateCrmDatabaseOptions): Promise<CrmDatabase> {
  const db = (await createRxDatabase<CrmCollections>({
    name: options.name,
    storage: options.storage ?? crmStorage(),
    multiInstance: options.multiInstance ?? false,
    eventReduce: true,
    localDocuments: true,
    ignoreDuplicate: false,
  })) as CrmDatabase;
  db.crm = { userId: options.userId ?? 'local', keepTimesOf: new Set(), timelineEntryOf: new Map() };

  await db.addCollections(
    Object.fromEntries(
      collectionNames.map((name) => [
        name,
        {
          schema: rxJsonSchemaOf(name) as unknown as RxJsonSchema<DocumentTypes[typeof name]>,
          migrationStrategies: migrationStrategies[name],
        },
      ]),
    ) as never,
  );

  for (const name of collectionNames) {
    const collection = db.collections[name] as RxCollection;
    collection.preInsert((data) => {
      prepareLocalWrite(name, data as Record<string, unknown>, undefined, db.crm);
    }, false);
    collection.preSave((data, previous) => {
      // incrementalRemove() runs the save hooks too; the deletion was stamped in preRemove.
      if ((data as { _deleted?: boolean })._deleted) return;
      prepareLocalWrite(name, data as Record<string, unknown>, previous as Record<string, unknown>, db.crm);
    }, false);
    // A deletion is a write too: it carries its time and author (docs/documents.md).
    collection.preRemove((data) => {
      const doc = data as { updatedAt: number; updatedBy: string };
      doc.updatedAt = nextUpdatedAt(doc.updatedAt);
      doc.updatedBy = db.crm.userId;
    }, false);
  }
  installLinkRules(db);
  // Repair pairs left inconsistent by an interrupted session or by a failed linked write; meanwhile the
  // rules' in-memory keys start (a new database has them before its first write).
  await Promise.all([reconcile(db), openStoredKeys(db)]);
  return db;
}
