import {
  type Checkpoint,
  type ClientWritableCollection,
  type CollectionName,
  clientWritableCollections,
  collectionDefinitions,
  deriveLocalFields,
  type PushResponse,
  type StreamEvent,
  type WireDocument,
} from '@shared/schemas';
import type { RxCollection, RxReplicationPullStreamItem, WithDeleted } from 'rxdb';
import { type RxReplicationState, replicateRxCollection } from 'rxdb/plugins/replication';
import {
  BehaviorSubject,
  combineLatest,
  distinctUntilChanged,
  filter,
  map,
  type Observable,
  Subject,
  type Subscription,
} from 'rxjs';
import type { CrmDatabase } from '../database';
import { detectDuplicates } from '../duplicates/detect';
import { applyEditsOfMergedRecords } from '../duplicates/redirect';
import { messageOf } from '../errors';
import { type ReconcileResult, reconcile } from '../rules/reconcile';
import { ruleErrors$ } from '../rules/rule-errors';
import { carryAssumedRevisions, recordAcceptedRevisions } from './accepted-revisions';
import { conflictHandlerFor } from './conflicts';
import { type FetchFunction, SyncHttpClient, SyncHttpError, SyncNetworkError } from './http';
import { InFlightPushes } from './in-flight-pushes';
import { LiveChanges } from './live-changes';
import { OutboxTracker } from './outbox';
import {
  isReplicationActive,
  isWrappedHandlerError,
  replicationMeta,
  upstreamSettled,
} from './rxdb-internals';
import { ChangeStream } from './stream';
import {
  clearRejected,
  recordDeletedWhileEdited,
  recordMergedWhileEdited,
  recordRejected,
} from './sync-issues';

export type SyncState = 'offline' | 'syncing' | 'synced' | 'error';
export type SyncStatus = {
  state: SyncState;
  pending: number;
  lastError: string | null;
  /** Documents received from the server since this handle started (a first sync's progress). */
  received: number;
  /** True until this handle was in sync once: the app shows `received` as the first sync's progress. */
  firstSync: boolean;
};

export type SyncHandle = {
  status$: Observable<SyncStatus>;
  /**
   * Resolves when every local change is on the server, the server's changes are here and reconcile ran.
   * Waits as long as the sync makes progress (documents pushed or received, reconcile rounds); rejects
   * after `stallMs` without progress (default 30 s) or, when the caller gives one, after `timeoutMs`.
   */
  awaitInSync(timeoutMs?: number, options?: { stallMs?: number }): Promise<void>;
  /** Stops replicating; checkpoints and assumed master states stay, so the next startSync resumes. */
  stop(): Promise<void>;
};

export type StartSyncOptions = {
  url: string;
  token: string;
  /** Defaults to the global fetch; tests pass one that can fail to simulate a network outage. */
  fetch?: FetchFunction;
  /** First retry delay after a failed request; doubles per failure up to `retryMaxMs`. */
  retryBaseMs?: number;
  retryMaxMs?: number;
  pullBatchSize?: number;
  pushBatchSize?: number;
  /** Runs after each sync round; tests replace it (defaults to the link rules' reconcile). */
  reconcile?: (db: CrmDatabase) => Promise<Pick<ReconcileResult, 'documentsWritten'>>;
};

type AnyReplication = RxReplicationState<unknown, Checkpoint>;

const replicatedCollections: readonly CollectionName[] = [...clientWritableCollections, 'teamMembers'];
/** Reconcile rounds in a row that still wrote something before we call it a loop and stop (see runReconcile). */
const maxWritingReconcileRounds = 5;
/** Default time awaitInSync() waits without any progress before it gives up. */
const defaultStallMs = 30_000;

/**
 * Keeps only the fields the local schema knows (the server may add bookkeeping such as `tenantId`) and
 * derives the local ones (sort keys): replicated writes bypass the hooks that do it for local writes.
 */
function toLocalDocument(collection: CollectionName, document: WireDocument): WithDeleted<unknown> {
  const { schema, defaults } = collectionDefinitions[collection];
  const local: Record<string, unknown> = { _deleted: Boolean(document._deleted) };
  for (const key of Object.keys(schema.shape)) {
    if (document[key] !== undefined) local[key] = document[key];
    // A document written by an app version older than the schema lacks the newer fields.
    else if (key in defaults) local[key] = (defaults as Record<string, unknown>)[key];
  }
  return deriveLocalFields(collection, local) as WithDeleted<unknown>;
}

type BrowserLike = {
  addEventListener(type: string, listener: () => void): void;
  removeEventListener(type: string, listener: () => void): void;
  navigator?: { onLine?: boolean };
};
type ConnectivityEvents = {
  listen(type: 'online' | 'offline', listener: () => void): void;
  unlisten(type: 'online' | 'offline', listener: () => void): void;
  isOnline(): boolean;
};

/** The window's online/offline events in a browser or renderer; undefined in Node (failed requests are retried). */
function connectivityEvents(): ConnectivityEvents | undefined {
  const candidate = globalThis as unknown as Partial<BrowserLike>;
  if (typeof candidate.addEventListener !== 'function' || typeof candidate.navigator?.onLine !== 'boolean') {
    return undefined;
  }
  const browser = candidate as BrowserLike;
  const { navigator } = browser;
  return {
    listen: browser.addEventListener.bind(browser),
    unlisten: browser.removeEventListener.bind(browser),
    isOnline: () => navigator?.onLine !== false,
  };
}

/**
 * Replicates the CRM collections with the sync server (docs/replication.md) through RxDB's replication protocol:
 * pull by `{seq}` checkpoint, push with the assumed master state, live changes from ONE shared SSE
 * connection, per-field merge of conflicts, sync issues for rejected documents and for edits that met
 * a deletion, and `reconcile(db)` after each sync round (replicated writes bypass the link rules).
 */
/** One handle per database: two would run two replications over the same checkpoints and meta data. */
const syncingDatabases = new WeakSet<CrmDatabase>();

export function startSync(db: CrmDatabase, options: StartSyncOptions): SyncHandle {
  if (syncingDatabases.has(db)) {
    throw new Error('This database is already syncing; stop() its handle before starting another one.');
  }
  syncingDatabases.add(db);
  const baseUrl = options.url.replace(/\/+$/, '');
  const retryBaseMs = options.retryBaseMs ?? 1000;
  const retryMaxMs = options.retryMaxMs ?? 30_000;
  const runReconcileOnce = options.reconcile ?? reconcile;
  const abort = new AbortController();
  const baseFetch = options.fetch ?? globalThis.fetch.bind(globalThis);
  // Requests still in flight when the handle stops are abandoned, not awaited until a server timeout;
  // a caller's own signal (the SSE client aborts its request on close) keeps working too.
  const fetchWithAbort: FetchFunction = (input, init) =>
    baseFetch(input, {
      ...init,
      signal: init?.signal ? AbortSignal.any([init.signal, abort.signal]) : abort.signal,
    });

  let stopped = false;
  let lastError: Error | null = null;
  let browserOffline = false;
  let retryTime = retryBaseMs;
  /** Documents received from the server; with `progressAt`, what awaitInSync() watches. */
  let received = 0;
  let progressAt = Date.now();
  let firstSync = true;
  const noteProgress = () => {
    progressAt = Date.now();
  };
  const statusChanges = new Subject<void>();
  const subscriptions: Subscription[] = [];
  const replications = new Map<CollectionName, AnyReplication>();
  const outboxes = new Map<CollectionName, OutboxTracker>();
  const eachOutbox = () => [...outboxes.values()];

  const reportError = (error: Error) => {
    if (stopped) return;
    lastError = error;
    statusChanges.next();
  };

  const setRetryTime = (next: number) => {
    retryTime = next;
    for (const replication of replications.values()) replication.retryTime = next;
  };

  const client = new SyncHttpClient({
    url: baseUrl,
    token: options.token,
    fetch: fetchWithAbort,
    onOutcome: (error) => {
      if (stopped) return;
      if (error) {
        // Exponential backoff shared by all collections: they talk to the same server.
        setRetryTime(Math.min(retryMaxMs, retryTime * 2));
        reportError(error);
      } else if (lastError || retryTime !== retryBaseMs) {
        setRetryTime(retryBaseMs);
        lastError = null;
        statusChanges.next();
      }
    },
  });

  const streams = new Map<CollectionName, Subject<RxReplicationPullStreamItem<unknown, Checkpoint>>>();
  /** Per collection, live events waiting for the pull handler (see LiveChanges). */
  const liveChanges = new Map<CollectionName, LiveChanges>();
  /** Per collection: hands the buffered live events to RxDB's downstream without a pull round; false when it cannot. */
  const handOvers = new Map<CollectionName, () => boolean>();
  const receive = (collection: CollectionName, event: StreamEvent) => {
    if (liveChanges.get(collection)?.add(event) && handOvers.get(collection)?.()) return;
    streams.get(collection)?.next('RESYNC');
  };
  /**
   * Whether the replication may have written to the collections since reconcile last ran (see runReconcile):
   * documents received (a pull page, live events handed over) or a push's conflicts. True at the start: the
   * first round reconciles whatever the database holds.
   */
  let reconcileDue = true;
  /** Failed rule writes wait in the rule-error log for reconcile to retry them. */
  let ruleWritesToRetry = false;
  /** Documents received from the server (a pull page or live events handed over), in local form. */
  const receivedPage = (collection: CollectionName, documents: readonly WireDocument[]) => {
    if (documents.length > 0) reconcileDue = true;
    received += documents.length;
    noteProgress();
    statusChanges.next();
    return documents.map((document) => toLocalDocument(collection, document));
  };
  const changeStream = new ChangeStream({
    url: baseUrl,
    headers: () => client.headers,
    fetch: fetchWithAbort,
    retryBaseMs,
    retryMaxMs,
    // A (re)opened stream may have missed changes: every collection pulls from its checkpoint (and re-pushes).
    onOpen: () => {
      for (const stream of streams.values()) stream.next('RESYNC');
    },
    onChange: receive,
    onError: (error) => {
      // A dropped stream means live changes stop arriving (server down, network gone); a refused one (401)
      // is an error whoever notices it first. A request's error is not overwritten by a mere disconnect.
      // The next successful request clears either.
      if (!lastError || error instanceof SyncHttpError) reportError(error);
    },
  });

  for (const name of replicatedCollections) {
    const collection = db.collections[name] as unknown as RxCollection;
    // The merge is a replication concern, so it is installed here rather than in createCrmDatabase;
    // RxDB reads `collection.conflictHandler` when a replication starts.
    collection.conflictHandler = conflictHandlerFor(db, name);
    const stream = new Subject<RxReplicationPullStreamItem<unknown, Checkpoint>>();
    streams.set(name, stream);
    const writable = (clientWritableCollections as readonly string[]).includes(name);
    const inFlight = new InFlightPushes(() => stream.next('RESYNC'));
    const live = new LiveChanges();
    liveChanges.set(name, live);
    const pullBatchSize = options.pullBatchSize ?? 1000;
    /** The pull checkpoint RxDB's downstream reached, as far as this handle knows; undefined: unknown. */
    let downCheckpoint: number | undefined;
    const replication: AnyReplication = replicateRxCollection<unknown, Checkpoint>({
      // Stable per (server, collection): a restart resumes from the stored checkpoint and assumed master states.
      replicationIdentifier: `fieldbook-sync:${baseUrl}:${name}`,
      collection,
      live: true,
      retryTime,
      autoStart: false,
      // RxDB would otherwise elect one leader per origin through BroadcastChannel. The desktop app has
      // one window per database (its only other instance is the import's writer worker, which never
      // replicates) and Node has no tabs, so there is nobody to elect and waiting would only delay or
      // block the start.
      waitForLeadership: false,
      // docs/replication.md: keep replicating while the window is hidden.
      toggleOnDocumentVisible: false,
      pull: {
        batchSize: pullBatchSize,
        stream$: stream.asObservable(),
        handler: async (checkpoint, batchSize) => {
          const from = live.start(checkpoint?.seq ?? 0);
          // Live events continuing the checkpoint answer without a request; anything else asks the server.
          const response: { documents: WireDocument[]; checkpoint: number } =
            live.take(from, batchSize) ??
            (await client.pull(name, from, batchSize).then((pulled) => ({
              documents: pulled.documents as WireDocument[],
              checkpoint: pulled.checkpoint.seq,
            })));
          const page = inFlight.cut(response.documents, { seq: response.checkpoint }, { seq: from });
          if (page.documents.length === 0) live.nothingBetween(from, page.checkpoint.seq);
          downCheckpoint = page.checkpoint.seq;
          return { documents: receivedPage(name, page.documents), checkpoint: page.checkpoint };
        },
      },
      push: writable
        ? {
            // The server's cost per push is mostly per request (transaction, tenant lock, commit): measured in
            // process on PGlite, 1,000 documents per request took 2,700 docs/s against 1,700 with 300
            // (bench/README.md, issue 9). A request of 1,000 contacts is ≈ 0.7 MB, far below BODY_LIMIT_BYTES.
            batchSize: options.pushBatchSize ?? 1000,
            handler: async (rows) => {
              const ids = rows.map((row) => (row.newDocumentState as WireDocument).id);
              carryAssumedRevisions(rows);
              inFlight.begin(ids);
              let response: PushResponse;
              try {
                response = await client.push(name, {
                  rows: rows.map((row) => ({
                    newDocumentState: row.newDocumentState as WireDocument,
                    assumedMasterState: (row.assumedMasterState as WireDocument | undefined) ?? null,
                  })),
                });
              } catch (error) {
                inFlight.end(ids);
                throw error;
              }
              noteProgress();
              // RxDB stores the push's outcome after this handler returns, inside its upstream queue.
              // (A failure in that queue is RxDB's to report, on error$; here it only has to release the ids.)
              void upstreamSettled(replication)
                .catch(() => undefined)
                .then(() => inFlight.end(ids));
              // RxDB writes the conflicts' resolutions to the collection, bypassing the link rules.
              if (response.conflicts.length > 0) reconcileDue = true;
              recordAcceptedRevisions(rows, response.accepted);
              outboxes.get(name)?.notePushed(rows);
              await recordPushOutcome(db, name as ClientWritableCollection, rows, response);
              return response.conflicts.map((document) => toLocalDocument(name, document as WireDocument));
            },
          }
        : undefined,
    });
    replication.retryTime = retryTime;
    replications.set(name, replication);
    // A live event reaching an idle replication goes to RxDB's downstream as documents + checkpoint, which
    // RxDB writes at once. A RESYNC would first make RxDB's upstream re-read its checkpoint and the local
    // change feed, and its downstream wait for that, re-read its own checkpoint and call the pull handler:
    // three IndexedDB round trips on the live path for nothing (bench/README.md, live delay). Only when
    // nothing can interleave: the replication is running and idle (no pull, no push, nothing queued: RxDB
    // holds stream items back while a push runs, then judges them against assumed master states the push's
    // answer has not updated yet; see live-changes.ts) and the events continue the checkpoint RxDB reached.
    // Anything else resyncs and pulls, through the buffer.
    handOvers.set(name, () => {
      if (downCheckpoint === undefined || !inFlight.idle) return false;
      if (replication.isStoppedOrPaused() || isReplicationActive(replication)) return false;
      let handed = false;
      for (;;) {
        const from = live.start(downCheckpoint);
        const page = live.take(from, pullBatchSize);
        if (page === null) break;
        handed = true;
        downCheckpoint = page.checkpoint;
        // Nothing for this device (its own writes): RxDB keeps no checkpoint from an empty page.
        if (page.documents.length === 0) live.nothingBetween(from, page.checkpoint);
        else
          stream.next({
            documents: receivedPage(name, page.documents),
            checkpoint: { seq: page.checkpoint },
          });
      }
      // Events left in the buffer follow a gap: the pull fills it.
      if (handed && live.holdsEvents) stream.next('RESYNC');
      return handed;
    });
    subscriptions.push(
      replication.error$.subscribe((error) => {
        // A failed write may have left RxDB's checkpoint behind the one handed over: the next event pulls.
        downCheckpoint = undefined;
        // Failed handler calls come back wrapped (RC_PULL / RC_PUSH with `errors`): already reported by the client.
        if (!isWrappedHandlerError(error)) reportError(new Error(messageOf(error)));
      }),
      replication.active$.subscribe(() => statusChanges.next()),
    );
    if (writable) {
      const outbox = new OutboxTracker(
        db,
        collection,
        replication as RxReplicationState<unknown, unknown>,
        reportError,
      );
      outboxes.set(name, outbox);
      subscriptions.push(
        outbox.pending$.subscribe(() => statusChanges.next()),
        outbox.counting$.subscribe(() => statusChanges.next()),
      );
    }
  }

  // Reconcile after each completed round that may have written to the collections: replicated writes bypass
  // the link rules, and a merge can leave a pair inconsistent. A round that only pushed this device's own
  // writes, all accepted, wrote nothing here (the writes went through the rules when they were made), so it
  // skips reconcile, unless failed rule writes wait for a retry: on the writing device that pass ran beside
  // the user's next write (bench/README.md, live delay). Those writes are read by the next pass that runs,
  // from the change feed. Duplicate detection runs after every round. reconcile() writes only when something
  // is wrong, so the round its writes cause ends with a reconcile that writes nothing; a counter guards
  // against a reconciler that never settles.
  let reconcileRunning: Promise<void> = Promise.resolve();
  let reconcilePending = false;
  let writingRounds = 0;
  /** Set when the loop guard trips; unlike request errors, a later successful request does not clear it. */
  let reconcileHalted: Error | null = null;
  const runReconcile = () => {
    if (reconcilePending || stopped) return;
    reconcilePending = true;
    reconcileRunning = reconcileRunning.then(async () => {
      reconcilePending = false;
      if (stopped || db.closed) return;
      if (writingRounds >= maxWritingReconcileRounds) return;
      let written = 0;
      try {
        if (reconcileDue || ruleWritesToRetry) {
          // What the replication writes from here on is read by this pass or makes the next one due.
          reconcileDue = false;
          written = (await runReconcileOnce(db)).documentsWritten;
          // Edits that met a merged-away record go to its survivor.
          written += await applyEditsOfMergedRecords(db);
        }
        // The round's duplicates are listed (local writes too: a merge's, in a process without the app's
        // detection after local writes).
        await detectDuplicates(db);
        noteProgress();
      } catch (error) {
        reconcileDue = true;
        reportError(new Error(`Reconcile after sync failed: ${messageOf(error)}`));
      }
      writingRounds = written > 0 ? writingRounds + 1 : 0;
      // A pass that wrote checks its writes in the next round's pass (the one its pushes end).
      if (written > 0) reconcileDue = true;
      if (writingRounds >= maxWritingReconcileRounds) {
        reconcileHalted = new Error(
          'Reconcile keeps rewriting documents after sync; stopped running it automatically.',
        );
        statusChanges.next();
      }
    });
  };
  const anyActive$ = combineLatest([...replications.values()].map((replication) => replication.active$)).pipe(
    map((actives) => actives.some(Boolean)),
    distinctUntilChanged(),
  );
  subscriptions.push(
    ruleErrors$(db).subscribe({
      next: (errors) => {
        // The entries reconcile retries (retryFailedWrites): its own failures are not retried.
        ruleWritesToRetry = errors.some((error) => error.retry !== undefined && error.rule !== 'reconcile');
      },
      // Unreadable log (database closing): every round reconciles, as it did before this check.
      error: () => {
        ruleWritesToRetry = true;
      },
    }),
    anyActive$.pipe(filter((active) => !active)).subscribe(() => runReconcile()),
  );

  const pendingCount = () => eachOutbox().reduce((sum, outbox) => sum + outbox.pending.size, 0);
  const isActive = () => [...replications.values()].some(isReplicationActive);
  const computeStatus = (): SyncStatus => {
    const pending = pendingCount();
    const progress = { pending, received, firstSync };
    const lastErrorMessage = lastError ? lastError.message : null;
    if (stopped || browserOffline) return { state: 'offline', ...progress, lastError: lastErrorMessage };
    if (reconcileHalted) return { state: 'error', ...progress, lastError: reconcileHalted.message };
    if (lastError) {
      const unreachable = lastError instanceof SyncNetworkError;
      return { state: unreachable ? 'offline' : 'error', ...progress, lastError: lastErrorMessage };
    }
    const busy = isActive() || pending > 0 || eachOutbox().some((outbox) => outbox.counting);
    return { state: busy ? 'syncing' : 'synced', ...progress, lastError: null };
  };
  const status = new BehaviorSubject<SyncStatus>({
    state: 'syncing',
    pending: 0,
    lastError: null,
    received: 0,
    firstSync: true,
  });
  subscriptions.push(
    statusChanges.subscribe(() => {
      const next = computeStatus();
      const current = status.getValue();
      if (
        next.state !== current.state ||
        next.pending !== current.pending ||
        next.lastError !== current.lastError ||
        next.received !== current.received ||
        next.firstSync !== current.firstSync
      ) {
        status.next(next);
      }
    }),
  );

  const pauseAll = () => Promise.all([...replications.values()].map((replication) => replication.pause()));
  const resumeAll = () => Promise.all([...replications.values()].map((replication) => replication.start()));

  const browser = connectivityEvents();
  const onOffline = () => {
    browserOffline = true;
    changeStream.suspend();
    pauseAll().catch(reportError);
    statusChanges.next();
  };
  const onOnline = () => {
    browserOffline = false;
    changeStream.reconnect();
    resumeAll().catch(reportError);
    statusChanges.next();
  };

  const started = (async () => {
    client.device = await db.storageToken;
    // Start even when offline: the replication state opens RxDB's meta data, which the outbox reads.
    await resumeAll();
    // Stored documents and checkpoints are progress too: RxDB writes a large pull after its last request,
    // and walks a large fork for its upstream without a request, each for longer than the stall limit on
    // a loaded machine.
    for (const replication of replications.values()) {
      const writes = [replication.collection.storageInstance, replicationMeta(replication)];
      for (const storage of writes)
        if (storage) subscriptions.push(storage.changeStream().subscribe(noteProgress));
    }
    await Promise.all(eachOutbox().map((outbox) => outbox.start()));
    if (stopped) return;
    if (browser) {
      browser.listen('offline', onOffline);
      browser.listen('online', onOnline);
      if (!browser.isOnline()) {
        onOffline();
        return;
      }
    }
    changeStream.open();
    statusChanges.next();
  })();
  started.catch((error) => {
    for (const outbox of eachOutbox()) outbox.endCount();
    reportError(error instanceof Error ? error : new Error(String(error)));
  });

  const allSettled = async () => {
    await Promise.all([...replications.values()].map((replication) => replication.awaitInSync()));
    await reconcileRunning;
    await Promise.all(eachOutbox().map((outbox) => outbox.settled()));
  };

  return {
    status$: status.asObservable(),

    async awaitInSync(timeoutMs?: number, { stallMs = defaultStallMs }: { stallMs?: number } = {}) {
      const startedAt = Date.now();
      progressAt = Math.max(progressAt, startedAt);
      let timer: ReturnType<typeof setInterval> | undefined;
      // Checked every 100 ms rather than one timer: progress pushes the stall deadline back.
      const limits = new Promise<never>((_, reject) => {
        timer = setInterval(
          () => {
            const reason = lastError ? `: ${lastError.message}` : '';
            if (timeoutMs !== undefined && Date.now() - startedAt >= timeoutMs) {
              reject(new Error(`Not in sync after ${timeoutMs} ms${reason}`));
            } else if (Date.now() - progressAt >= stallMs) {
              reject(new Error(`Sync made no progress for ${Math.round(stallMs / 1000)} s${reason}`));
            }
          },
          Math.min(100, stallMs, timeoutMs ?? 100),
        );
      });
      try {
        await Promise.race([
          (async () => {
            await started;
            // Reconcile writes and conflict rounds start new pushes: settle until a round changes nothing.
            for (;;) {
              await allSettled();
              if (!isActive() && !reconcilePending && pendingCount() === 0) break;
              await new Promise((resolve) => setTimeout(resolve, 20));
            }
            if (firstSync) {
              firstSync = false;
              statusChanges.next();
            }
          })(),
          limits,
        ]);
      } finally {
        clearInterval(timer);
      }
    },

    async stop() {
      if (stopped) return;
      stopped = true;
      browser?.unlisten('offline', onOffline);
      browser?.unlisten('online', onOnline);
      changeStream.close();
      for (const outbox of eachOutbox()) outbox.stop();
      abort.abort();
      await started.catch(() => undefined); // a failed start was reported on the status already
      // cancel(), never remove(): checkpoints and assumed master states are what lets a later start resume.
      await Promise.all([...replications.values()].map((replication) => replication.cancel()));
      await reconcileRunning;
      syncingDatabases.delete(db);
      status.next({ state: 'offline', pending: pendingCount(), lastError: null, received, firstSync });
      for (const subscription of subscriptions) subscription.unsubscribe();
      status.complete();
    },
  };
}

/** Turns the server's verdicts on a pushed batch into sync issues (and clears the ones now resolved). */
async function recordPushOutcome(
  db: CrmDatabase,
  collection: ClientWritableCollection,
  rows: readonly { newDocumentState: WithDeleted<unknown>; assumedMasterState?: WithDeleted<unknown> }[],
  response: {
    conflicts: WireDocument[];
    rejected: { id: string; reason: string; issues: { field: string; message: string }[] }[];
  },
): Promise<void> {
  const rowsById = new Map(rows.map((row) => [(row.newDocumentState as WireDocument).id, row]));
  const conflictIds = new Set(response.conflicts.map((document) => document.id));
  const rejectedIds = new Set(response.rejected.map((rejected) => rejected.id));
  const writes: Promise<void>[] = [];
  for (const rejected of response.rejected) {
    const row = rowsById.get(rejected.id);
    writes.push(
      recordRejected(db, collection, rejected, (row?.newDocumentState ?? {}) as Record<string, unknown>),
    );
  }
  for (const conflict of response.conflicts) {
    const row = rowsById.get(conflict.id);
    const local = row?.newDocumentState as WireDocument | undefined;
    // Only pushed rows differ from the assumed master: a live local state meeting a tombstone is a lost
    // edit, unless the record was merged into another: then the edit goes to that one (docs/duplicates.md).
    if (conflict._deleted && local && !local._deleted) {
      const basedOn = row?.assumedMasterState as Record<string, unknown> | undefined;
      writes.push(
        conflict.mergedInto
          ? recordMergedWhileEdited(db, collection, local, basedOn)
          : recordDeletedWhileEdited(db, collection, local),
      );
    }
  }
  const acceptedIds = [...rowsById.keys()].filter((id) => !conflictIds.has(id) && !rejectedIds.has(id));
  writes.push(clearRejected(db, collection, acceptedIds));
  await Promise.all(writes);
}
