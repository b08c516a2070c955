import { deviceHeader } from '@shared/schemas';
import { EventSource } from 'eventsource';
import { uniqueName } from './local-core';
import { dropRawDatabase, openRawDatabase, openRawStore, type RawDatabase, type RawStore } from './raw-dexie';

/*
 * Floors of the replication figures that RxDB's protocol cannot go below on IndexedDB, measured with raw
 * Dexie and fetch in the bench page against the same real server (bench/README.md, issue 9). The pull's
 * floor is `replicationProtocolFloor` in sync.ts.
 */

/** A document as the storage holds it (RxDB's `RxDocumentData`: the fields plus `_deleted`, `_meta`, `_rev`, …). */
export type StoredDocument = Record<string, unknown> & { id: string; _meta: { lwt: number } };

/** Wall time of `now()` in ms, comparable between pages of one browser. */
export const now = () => performance.timeOrigin + performance.now();

/** What RxDB's upstream sends for a stored state (`writeDocToDocState`): the document without its storage metadata. */
export function wireState(document: StoredDocument): Record<string, unknown> {
  const { _meta, _rev, _attachments, ...state } = document;
  return state;
}

type PushAnswer = {
  accepted: { id: string; serverRev: number }[];
  conflicts: unknown[];
  rejected: unknown[];
};

/** One push request as the app's client sends it (SyncHttpClient.push), answered and parsed; refuses any verdict but "accepted". */
async function push(
  access: { url: string; token: string; device: string },
  collection: string,
  rows: { newDocumentState: Record<string, unknown>; assumedMasterState: Record<string, unknown> | null }[],
): Promise<PushAnswer> {
  const response = await fetch(`${access.url}/api/sync/${collection}/push`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${access.token}`,
      [deviceHeader]: access.device,
    },
    body: JSON.stringify({ rows }),
  });
  if (!response.ok)
    throw new Error(`floor push to ${collection}: ${response.status} ${await response.text()}`);
  const answer = (await response.json()) as PushAnswer;
  if (answer.accepted.length !== rows.length) {
    throw new Error(
      `floor push to ${collection}: ${answer.accepted.length} of ${rows.length} accepted ` +
        `(${answer.conflicts.length} conflicts, ${answer.rejected.length} rejected); the floor must push what the app pushed`,
    );
  }
  return answer;
}

/** RxDB's Dexie store of a replication's meta instance: its primary key, the default index and the change-feed indexes. */
const metaStoreSpec = 'id, [_deleted+id], [_meta.lwt+id], _meta.lwt';

/** The meta document RxDB keeps per replicated document (`getMetaWriteRow`): its assumed master state. */
function assumedMasterDocument(state: Record<string, unknown>, lwt: number) {
  const id = String(state.id);
  return {
    id: `${id}|0`,
    isCheckpoint: '0',
    itemId: id,
    docData: state,
    _attachments: {},
    _deleted: '0',
    _rev: '1-floor',
    _meta: { lwt },
  };
}

/** The fork is only read here, by the change feed's index; its other indexes do not take part. */
const forkStoreSpec = 'id, [_meta.lwt+id]';

export type PushProtocolFloor = {
  /** Wall time of the whole floor (all collections, concurrently as RxDB's replications run). */
  ms: number;
  /** Cumulative time per step, over every batch of every collection (the collections overlap). */
  feedMs: number;
  metaReadMs: number;
  requestMs: number;
  metaWriteMs: number;
  requests: number;
  documents: number;
};

/**
 * (Issue 9) What RxDB 17.6's replication protocol itself must do to push these stored documents (the
 * fork as the import left it), per collection and batch, as its upstream (replication-protocol/upstream.ts)
 * does it, in raw Dexie on the same IndexedDB and with the same HTTP requests to the real server:
 * 1. the change feed's next page of `batchSize` by checkpoint (one `getAll` on `[_meta.lwt+id]`, as the app's
 *    `withIndexedChangeFeed`), read one page ahead of the push as RxDB's upstream reads ahead;
 * 2. the page's assumed master states (`getAssumedMasterState`: one `bulkGet` of `<id>|0` in the meta store);
 * 3. one push request of the page (the app's push handler adds no storage call: accepted-revisions.ts and the
 *    outbox work in memory), the answer parsed;
 * 4. the accepted rows' new assumed master states and the upstream checkpoint written to the meta store
 *    (RxDB writes the checkpoint in a second transaction; one write is the least the protocol must do).
 * Not included (the app's and RxDB's own costs above the floor): RxDB's storage reading each meta document
 * again inside its write (conflict check), the outbox's start-up count, reconcile and duplicate detection;
 * also the downstream's first pull per collection (empty here: the device's own writes are left out), which
 * runs beside the push.
 * The collections (contacts and their audit entries) run concurrently, as their replications do; the
 * batches of one collection in sequence, as RxDB's persistence queue runs them.
 */
export async function pushProtocolFloor(options: {
  url: string;
  token: string;
  batchSize: number;
  collections: Record<string, StoredDocument[]>;
}): Promise<PushProtocolFloor> {
  const access = { url: options.url, token: options.token, device: uniqueName('floor-device') };
  const stores: { collection: string; fork: RawStore; meta: RawStore }[] = [];
  try {
    for (const [collection, documents] of Object.entries(options.collections)) {
      if (documents.length === 0) continue;
      const fork = await openRawStore(uniqueName(`raw-fork-${collection}`), forkStoreSpec);
      const meta = await openRawStore(uniqueName(`raw-meta-${collection}`), metaStoreSpec);
      stores.push({ collection, fork, meta });
      // Setup, not timed: the fork holds the documents as the app's database held them before its push.
      await fork.docs.bulkPut(documents);
    }
    const result: PushProtocolFloor = {
      ms: 0,
      feedMs: 0,
      metaReadMs: 0,
      requestMs: 0,
      metaWriteMs: 0,
      requests: 0,
      documents: 0,
    };
    const timed = async <T>(
      step: 'feedMs' | 'metaReadMs' | 'requestMs' | 'metaWriteMs',
      work: () => Promise<T>,
    ) => {
      const started = performance.now();
      try {
        return await work();
      } finally {
        result[step] += performance.now() - started;
      }
    };
    const pushCollection = async ({ collection, fork, meta }: (typeof stores)[number]) => {
      const readPage = (after: [number, string]) =>
        timed(
          'feedMs',
          async () =>
            (await fork.docs
              .where('[_meta.lwt+id]')
              .above(after)
              .limit(options.batchSize)
              .toArray()) as StoredDocument[],
        );
      let next = readPage([0, '']);
      for (;;) {
        const page = await next;
        const last = page.at(-1);
        if (!last) break;
        next = readPage([last._meta.lwt, last.id]);
        const assumed = await timed('metaReadMs', () => meta.docs.bulkGet(page.map((doc) => `${doc.id}|0`)));
        const rows = page.map((doc, index) => ({
          newDocumentState: wireState(doc),
          assumedMasterState: (assumed[index]?.docData as Record<string, unknown> | undefined) ?? null,
        }));
        const answer = await timed('requestMs', () => push(access, collection, rows));
        result.requests += 1;
        result.documents += rows.length;
        const serverRevs = new Map(answer.accepted.map((accepted) => [accepted.id, accepted.serverRev]));
        const lwt = Date.now();
        const metaDocuments = rows.map(({ newDocumentState }) =>
          assumedMasterDocument(
            { ...newDocumentState, serverRev: serverRevs.get(String(newDocumentState.id)) },
            lwt,
          ),
        );
        const checkpoint = {
          id: 'up|1',
          isCheckpoint: '1',
          itemId: 'up',
          checkpointData: { id: last.id, lwt: last._meta.lwt },
          _attachments: {},
          _deleted: '0',
          _rev: '1-floor',
          _meta: { lwt },
        };
        await timed('metaWriteMs', () => meta.docs.bulkPut([...metaDocuments, checkpoint]));
      }
    };
    const started = performance.now();
    await Promise.all(stores.map(pushCollection));
    result.ms = performance.now() - started;
    return result;
  } finally {
    for (const { fork, meta } of stores) {
      await dropRawDatabase(fork);
      await dropRawDatabase(meta);
    }
  }
}

/** This page's side of the live floor: a raw database and a meta store, and for the receiving page a raw stream. */
type LiveFloorSide = {
  access: { url: string; token: string; device: string };
  raw: RawDatabase;
  meta: RawStore;
  stream: EventSource | null;
  /** Receiving page: the ids to receive as RxDB's protocol would (see liveFloorExpect). */
  protocolIds: Set<string>;
  /** Receiving page: when each id's event reached the page and when it was committed here. */
  arrivals: Map<string, { streamedAt: number; committedAt: number }>;
  waiters: Map<string, () => void>;
};
let liveFloor: LiveFloorSide | null = null;

/**
 * (Issue 9, live delay floor) Opens this page's side of the least a live change costs between two devices:
 * the writing page commits the document to IndexedDB and pushes it (one request); the receiving page takes
 * the server's event from its own stream and commits the document to IndexedDB. A write made with
 * `protocol` also does what RxDB's replication protocol does on that path: the writer reads the document's
 * assumed master state before the push (upstream) and writes the new one after it; the receiver reads the
 * local and the assumed master state before its write (downstream) and writes the assumed master state after
 * it. Raw Dexie and fetch, the same server, a tenant of its own (the app's devices would otherwise receive
 * these writes).
 */
export async function liveFloorOpen(options: { url: string; token: string; receives: boolean }) {
  if (liveFloor !== null) throw new Error('live floor already open in this page');
  const side: LiveFloorSide = {
    access: { url: options.url, token: options.token, device: uniqueName('floor-device') },
    raw: await openRawDatabase(uniqueName('raw-live')),
    meta: await openRawStore(uniqueName('raw-live-meta'), metaStoreSpec),
    stream: null,
    protocolIds: new Set(),
    arrivals: new Map(),
    waiters: new Map(),
  };
  liveFloor = side;
  if (!options.receives) return;
  const stream = new EventSource(`${options.url}/api/sync/stream`, {
    fetch: (input, init) =>
      globalThis.fetch(input, {
        ...init,
        headers: { ...init.headers, authorization: `Bearer ${options.token}` },
      }),
  });
  side.stream = stream;
  const receive = async (document: Record<string, unknown>, streamedAt: number) => {
    const id = String(document.id);
    const protocol = side.protocolIds.has(id);
    if (protocol) await Promise.all([side.raw.contacts.get(id), side.meta.docs.get(`${id}|0`)]);
    await side.raw.contacts.put(document);
    side.arrivals.set(id, { streamedAt, committedAt: now() });
    side.waiters.get(id)?.();
    if (protocol) await side.meta.docs.put(assumedMasterDocument(document, Date.now()));
  };
  stream.addEventListener('change', (event) => {
    const streamedAt = now();
    const data = JSON.parse(event.data) as { documents?: Record<string, unknown>[] };
    for (const document of data.documents ?? []) {
      receive(document, streamedAt).catch((error: unknown) =>
        console.error(`[bench] live floor: storing ${String(document.id)} failed: ${String(error)}`),
      );
    }
  });
  await new Promise<void>((resolve, reject) => {
    stream.addEventListener('open', () => resolve(), { once: true });
    stream.addEventListener('error', (event) => reject(new Error(`live floor stream: ${event.message}`)), {
      once: true,
    });
  });
}

/** The receiving page, before the write: whether `id` is to be received as RxDB's protocol would. */
export function liveFloorExpect(options: { id: string; protocol: boolean }): void {
  if (liveFloor === null) throw new Error('liveFloorOpen first');
  if (options.protocol) liveFloor.protocolIds.add(options.id);
}

/**
 * The writing page: commits `document` (a contact as the app stored it, under the new `id`) to IndexedDB,
 * then pushes it (with `protocol`, between RxDB's reads and writes of its assumed master state). Returns
 * when it began, when the commit ended and when the push was answered.
 */
export async function liveFloorWrite(options: { id: string; document: StoredDocument; protocol: boolean }) {
  const side = liveFloor;
  if (side === null) throw new Error('liveFloorOpen first');
  const document = { ...options.document, id: options.id };
  const sentAt = now();
  await side.raw.contacts.put(document);
  const writtenAt = now();
  const assumed = options.protocol ? await side.meta.docs.get(`${options.id}|0`) : undefined;
  const state = wireState(document);
  const answer = await push(side.access, 'contacts', [
    {
      newDocumentState: state,
      assumedMasterState: (assumed?.docData as Record<string, unknown> | undefined) ?? null,
    },
  ]);
  const answeredAt = now();
  if (options.protocol) {
    await side.meta.docs.put(
      assumedMasterDocument({ ...state, serverRev: answer.accepted[0]?.serverRev }, Date.now()),
    );
  }
  return { sentAt, writtenAt, answeredAt };
}

/**
 * A receiving page's wait for `id`: resolves with `arrival()` once `arrived` holds `id` (at once if it does),
 * rejects after `timeoutMs`. The page's arrival handler calls `waiters.get(id)` when `id` is stored.
 */
export function whenArrived<T>(
  waiting: { arrived: Map<string, unknown>; waiters: Map<string, () => void>; what: string },
  options: { id: string; timeoutMs: number },
  arrival: () => T,
): Promise<T> {
  const { id, timeoutMs } = options;
  if (waiting.arrived.has(id)) return Promise.resolve(arrival());
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      waiting.waiters.delete(id);
      reject(new Error(`${waiting.what}: ${id} did not arrive within ${timeoutMs} ms`));
    }, timeoutMs);
    waiting.waiters.set(id, () => {
      clearTimeout(timer);
      waiting.waiters.delete(id);
      resolve(arrival());
    });
  });
}

/** The receiving page: when `id`'s event reached it and when its document was committed here. */
export async function liveFloorArrival(options: { id: string; timeoutMs: number }) {
  const side = liveFloor;
  if (side === null) throw new Error('liveFloorOpen first');
  return whenArrived(
    { arrived: side.arrivals, waiters: side.waiters, what: 'live floor' },
    options,
    () => side.arrivals.get(options.id)!,
  );
}

export async function liveFloorClose(): Promise<void> {
  if (liveFloor === null) return;
  const side = liveFloor;
  liveFloor = null;
  side.stream?.close();
  await dropRawDatabase(side.raw);
  await dropRawDatabase(side.meta);
}
