import {
  deriveLocalFields,
  deviceHeader,
  type PullResponse,
  type PushResponse,
  rxJsonSchemaOf,
  type StreamEvent,
  type WireDocument,
} from '@shared/schemas';
import { EventSource } from 'eventsource';
import {
  createRxDatabase,
  type RxCollection,
  type RxDatabase,
  type RxJsonSchema,
  type RxReplicationPullStreamItem,
} from 'rxdb';
import { type RxReplicationState, replicateRxCollection } from 'rxdb/plugins/replication';
import { getRxStorageDexie } from 'rxdb/plugins/storage-dexie';
import { Subject } from 'rxjs';
import { uniqueName } from './local-core';
import { now, type StoredDocument, whenArrived, wireState } from './sync-floors';

/*
 * (Issue 9) The live delay's floor with RxDB itself: in each page a bare RxDB 17.6 database on RxDB's Dexie
 * storage (the storage the app's crmStorage() adapts; its adapters act on the app's hooks and start-up
 * reads only) with one `contacts` collection of the app's schema, replicated with RxDB's own
 * replicateRxCollection through the same server. Only what any RxDB client of this server must do:
 * - pull: GET …/pull?seq=N from RxDB's checkpoint `{seq}`;
 * - push: POST …/push of RxDB's rows (new state + assumed master state), the server's conflicts returned;
 * - live: the server's stream `/api/sync/stream`, whose event carries the committed documents and the
 *   sequence before and after them; an event continuing the sequence this client reached goes to RxDB's
 *   `pull.stream$` as documents + checkpoint, anything else (a gap, a large write without documents, the
 *   stream (re)opened or failed) is a RESYNC, i.e. a pull;
 * - the device header (the storage token), so the server leaves a device's own writes out of its pulls
 *   and stream;
 * - the schema's local derived fields (sort keys) computed for each received document: the schema
 *   requires them and the server keeps only the wire fields.
 * None of the app's: no hooks, validation, link rules, audit log, reconcile, duplicates, outbox or accepted
 * revisions (an update after a push would need the server's `serverRev` as the assumed master state; this
 * floor only inserts).
 */

type Checkpoint = { seq: number };
type PushTimes = { pushSentAt: number; answeredAt: number };

type RxdbFloorSide = {
  db: RxDatabase;
  contacts: RxCollection;
  replication: RxReplicationState<unknown, Checkpoint>;
  stream: EventSource;
  /** Writing page: when each id's push went out and (once it is) when its answer was read. */
  pushes: Map<string, Promise<PushTimes>>;
  /** Receiving page: when each id's stream event reached the page and when RxDB stored it (`insert$`). */
  streamed: Map<string, number>;
  /** Receiving page: when RxDB's downstream began to read each id's local state, and to write it. */
  readStarted: Map<string, number>;
  writeStarted: Map<string, number>;
  arrivals: Map<string, number>;
  waiters: Map<string, () => void>;
  /** Pull requests (the first pull's included) and RESYNCs after the first pull: the live path should add none. */
  counts: { pulls: number; resyncs: number };
};
let rxdbFloor: RxdbFloorSide | null = null;

/** The received document as the collection stores it: with the schema's derived local fields. */
const local = (document: WireDocument) => deriveLocalFields('contacts', { ...document });

/**
 * Opens this page's side (both pages replicate both ways, as any device does) and waits until it is in sync;
 * the pulls and RESYNCs so far.
 */
export async function rxdbFloorOpen(options: { url: string; token: string }) {
  if (rxdbFloor !== null) throw new Error('RxDB floor already open in this page');
  const db = await createRxDatabase({
    name: uniqueName('rxdb-floor'),
    storage: getRxStorageDexie(),
    multiInstance: false,
  });
  await db.addCollections({
    contacts: { schema: rxJsonSchemaOf('contacts') as unknown as RxJsonSchema<unknown> },
  });
  const contacts = db.collections.contacts as RxCollection;
  const headers = { authorization: `Bearer ${options.token}`, [deviceHeader]: await db.storageToken };
  const request = async <T>(path: string, init: RequestInit = {}): Promise<T> => {
    const response = await fetch(`${options.url}${path}`, {
      ...init,
      headers: { ...headers, ...(init.headers as Record<string, string> | undefined) },
    });
    if (!response.ok) throw new Error(`RxDB floor ${path}: ${response.status} ${await response.text()}`);
    return (await response.json()) as T;
  };
  const counts = { pulls: 0, resyncs: 0 };
  const pushes = new Map<string, Promise<PushTimes>>();
  const events = new Subject<RxReplicationPullStreamItem<unknown, Checkpoint>>();
  /** The server's sequence this client has reached (pulls and stream events); undefined until the first pull. */
  let reached: number | undefined;
  const replication = replicateRxCollection<unknown, Checkpoint>({
    replicationIdentifier: `rxdb-floor:${options.url}:contacts`,
    collection: contacts,
    live: true,
    waitForLeadership: false,
    pull: {
      batchSize: 1000,
      stream$: events.asObservable(),
      handler: async (checkpoint, batchSize) => {
        counts.pulls += 1;
        const pulled = await request<PullResponse>(
          `/api/sync/contacts/pull?seq=${checkpoint?.seq ?? 0}&limit=${batchSize}`,
        );
        reached = pulled.checkpoint.seq;
        return { documents: pulled.documents.map(local), checkpoint: pulled.checkpoint };
      },
    },
    push: {
      batchSize: 1000,
      handler: async (rows) => {
        const pushSentAt = now();
        const answered = request<PushResponse>('/api/sync/contacts/push', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ rows }),
        }).then((answer) => ({ answer, answeredAt: now() }));
        const times = answered.then(
          ({ answeredAt }) => ({ pushSentAt, answeredAt }),
          () => ({ pushSentAt, answeredAt: Number.NaN }),
        );
        for (const row of rows) pushes.set((row.newDocumentState as WireDocument).id, times);
        return (await answered).answer.conflicts.map(local);
      },
    },
  });
  const resync = () => {
    if (reached !== undefined) counts.resyncs += 1;
    events.next('RESYNC');
  };
  const streamed = new Map<string, number>();
  const stream = new EventSource(`${options.url}/api/sync/stream`, {
    fetch: (input, init) => globalThis.fetch(input, { ...init, headers: { ...init.headers, ...headers } }),
  });
  stream.addEventListener('change', (message) => {
    const streamedAt = now();
    const event = JSON.parse(message.data) as StreamEvent;
    if (event.collection !== 'contacts') return;
    if (event.documents === undefined || reached === undefined || event.since !== reached) {
      resync();
      return;
    }
    reached = event.seq;
    for (const document of event.documents) streamed.set(document.id, streamedAt);
    // An event of this device's own writes carries none: nothing to store, the sequence moves on.
    if (event.documents.length > 0)
      events.next({ documents: event.documents.map(local), checkpoint: { seq: event.seq } });
  });
  // Whatever the stream missed while it was closed (and before it first opened) is pulled.
  stream.addEventListener('open', resync);
  stream.addEventListener('error', resync);
  // Where B's time goes after the event: RxDB's downstream reads the local states (beside the assumed
  // master states), then writes the fork; the first of each per id is noted (both pages do it alike).
  const readStarted = new Map<string, number>();
  const writeStarted = new Map<string, number>();
  const storage = contacts.storageInstance;
  const findDocumentsById = storage.findDocumentsById.bind(storage);
  storage.findDocumentsById = (ids, withDeleted) => {
    for (const id of ids) if (!readStarted.has(id)) readStarted.set(id, now());
    return findDocumentsById(ids, withDeleted);
  };
  const bulkWrite = storage.bulkWrite.bind(storage);
  storage.bulkWrite = (rows, context) => {
    for (const row of rows) {
      const id = String((row.document as { id: string }).id);
      if (!writeStarted.has(id)) writeStarted.set(id, now());
    }
    return bulkWrite(rows, context);
  };
  const side: RxdbFloorSide = {
    db,
    contacts,
    replication,
    stream,
    pushes,
    streamed,
    readStarted,
    writeStarted,
    arrivals: new Map(),
    waiters: new Map(),
    counts,
  };
  contacts.insert$.subscribe((event) => {
    side.arrivals.set(event.documentId, now());
    side.waiters.get(event.documentId)?.();
  });
  replication.error$.subscribe((error) => console.error(`[bench] RxDB floor replication: ${String(error)}`));
  rxdbFloor = side;
  await new Promise<void>((resolve, reject) => {
    stream.addEventListener('open', () => resolve(), { once: true });
    stream.addEventListener('error', (event) => reject(new Error(`RxDB floor stream: ${event.message}`)), {
      once: true,
    });
  });
  await replication.awaitInSync();
  return { ...counts };
}

/** The writing page: inserts `document` (a contact as the app stored it) under `id`; when it began and when the insert resolved. */
export async function rxdbFloorWrite(options: { id: string; document: StoredDocument }) {
  const side = rxdbFloor;
  if (side === null) throw new Error('rxdbFloorOpen first');
  const { _deleted, ...fields } = wireState(options.document);
  const sentAt = now();
  await side.contacts.insert({ ...fields, id: options.id });
  return { sentAt, writtenAt: now() };
}

/** The writing page: when `id`'s push went out and was answered (asked once B has it, so the push went out). */
export async function rxdbFloorPushTimes(id: string): Promise<PushTimes | undefined> {
  return rxdbFloor?.pushes.get(id);
}

/** The receiving page: when `id`'s event reached it and when RxDB stored it. */
export async function rxdbFloorArrival(options: { id: string; timeoutMs: number }) {
  const side = rxdbFloor;
  if (side === null) throw new Error('rxdbFloorOpen first');
  const arrival = () => ({
    streamedAt: side.streamed.get(options.id),
    readStartedAt: side.readStarted.get(options.id),
    writeStartedAt: side.writeStarted.get(options.id),
    committedAt: side.arrivals.get(options.id)!,
  });
  return whenArrived({ arrived: side.arrivals, waiters: side.waiters, what: 'RxDB floor' }, options, arrival);
}

/** Closes this page's side; how many pulls and RESYNCs it made (none on the live path once in sync). */
export async function rxdbFloorClose(): Promise<{ pulls: number; resyncs: number } | undefined> {
  if (rxdbFloor === null) return undefined;
  const side = rxdbFloor;
  rxdbFloor = null;
  side.stream.close();
  await side.replication.cancel();
  await side.db.remove();
  return side.counts;
}
