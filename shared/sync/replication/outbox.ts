import type { ClientWritableCollection } from '@shared/schemas';
import {
  getChangedDocumentsSince,
  type RxCollection,
  type RxDocumentData,
  type RxReplicationWriteToMasterRow,
  type RxStorageDefaultCheckpoint,
} from 'rxdb';
import type { RxReplicationState } from 'rxdb/plugins/replication';
import { BehaviorSubject, type Observable, type Subscription } from 'rxjs';
import type { CrmDatabase } from '../database';
import { syncedDocumentsEqual } from './merge';
import {
  assumedMasterKey,
  changedIdsSince,
  checkpointKey,
  type ReplicationMetaDocument,
  type ReplicationMetaInstance,
  replicationMeta,
} from './rxdb-internals';

/**
 * Outbox per record: which documents hold local changes the server has not acknowledged.
 *
 * RxDB exposes no such list, but it persists the exact fact we need: the replication meta instance
 * keeps, per document, the "assumed master state" (what the server acknowledged or sent last). A
 * document is pending when it has no assumed master state yet or when its local state differs from it
 * in synced data (`syncedDocumentsEqual`). A conflict's resolution is no exception: RxDB stores the
 * server's state as the assumed master state and writes the resolution to the collection, so it is
 * pending exactly when it differs from the server's state, which is also when RxDB pushes it. (RxDB marks
 * that assumed master state with the resolution's revision, `isResolvedConflict`, to push it even when
 * equal; with rxdb 17.6 the mark never equals the stored `_rev`, which the collection's storage wrapper
 * writes itself, so RxDB's upstream decides by the data comparison as well.) Deriving it from RxDB's own
 * bookkeeping, instead of counting pushes ourselves, keeps it right across restarts, retries and conflict
 * rounds.
 * Recomputed per id when the local document or its meta entry changes, from the states the storage change
 * events carry (see `StateCache`): an accepted push batch costs the outbox no storage read.
 *
 * Rejected documents are not pending: RxDB records their pushed state as sent; they are listed in
 * sync issues instead (the user must change them, waiting will not help).
 */
const outboxesByDatabase = new WeakMap<CrmDatabase, Map<string, BehaviorSubject<ReadonlySet<string>>>>();
/** Between a stop and the next start, every local write is unacknowledged by definition: tracked here. */
const offlineTracking = new WeakMap<RxCollection, Subscription>();

function outboxSubject(db: CrmDatabase, collection: string): BehaviorSubject<ReadonlySet<string>> {
  let outboxes = outboxesByDatabase.get(db);
  if (!outboxes) {
    outboxes = new Map();
    outboxesByDatabase.set(db, outboxes);
  }
  let subject = outboxes.get(collection);
  if (!subject) {
    subject = new BehaviorSubject<ReadonlySet<string>>(new Set());
    outboxes.set(collection, subject);
  }
  return subject;
}

/**
 * Ids of `collection` documents with local changes not yet acknowledged by the server. Computed from
 * RxDB's meta data once a sync handle started in this session (the app starts one at launch, also
 * offline: no network needed) and kept current after it stops; empty before the first start.
 */
export function pendingIds$(
  db: CrmDatabase,
  collection: ClientWritableCollection,
): Observable<ReadonlySet<string>> {
  return outboxSubject(db, collection).asObservable();
}

/** Beyond this many documents the caches stop growing and the outbox reads the states it lacks. */
const maxCachedStates = 20_000;

type ForkDocument = RxDocumentData<Record<string, unknown>>;

/**
 * The latest known state per id, for the ids the outbox is tracking (pending, or being recomputed): every
 * write to a tracked id reaches the outbox through a storage change event carrying the written state, so
 * the cache is as current as a read. `fill` takes a read's results only for ids no event has set meanwhile
 * (the event is newer than the read). `null` = known not to exist.
 */
class StateCache<T> {
  private readonly states = new Map<string, T | null>();

  get(id: string): T | null | undefined {
    return this.states.get(id);
  }

  set(id: string, state: T | null): void {
    if (this.states.has(id) || this.states.size < maxCachedStates) this.states.set(id, state);
  }

  fill(id: string, state: T | null): void {
    if (!this.states.has(id)) this.set(id, state);
  }

  delete(id: string): void {
    this.states.delete(id);
  }
}

/** Keeps one collection's outbox current from RxDB's replication meta instance. */
export class OutboxTracker {
  private readonly subject: BehaviorSubject<ReadonlySet<string>>;
  private readonly subscriptions: Subscription[] = [];
  private readonly dirtyIds = new Set<string>();
  private readonly computing = new Set<string>();
  private readonly forkStates = new StateCache<ForkDocument>();
  private readonly metaStates = new StateCache<ReplicationMetaDocument>();
  private scanning = false;
  /** True from construction (a status computed before the start must not say in sync) to the start's count's end. */
  private readonly countingState = new BehaviorSubject(true);
  private queue: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(
    db: CrmDatabase,
    private readonly collection: RxCollection,
    private readonly replication: RxReplicationState<unknown, unknown>,
    private readonly onError: (error: Error) => void,
  ) {
    this.subject = outboxSubject(db, collection.name);
  }

  get pending(): ReadonlySet<string> {
    return this.subject.getValue();
  }

  get pending$(): Observable<ReadonlySet<string>> {
    return this.subject.asObservable();
  }

  /**
   * Whether the start's count of unacknowledged documents is still running: until it ends, `pending` holds
   * what it has found so far (it grows page by page), so "nothing pending" does not mean in sync yet.
   */
  get counting(): boolean {
    return this.countingState.getValue();
  }

  get counting$(): Observable<boolean> {
    return this.countingState.asObservable();
  }

  async start(): Promise<void> {
    await this.replication.startPromise;
    const meta = replicationMeta(this.replication);
    if (!meta || this.stopped) {
      this.endCount();
      return;
    }
    offlineTracking.get(this.collection)?.unsubscribe();
    offlineTracking.delete(this.collection);
    // Only two kinds of change can turn a document pending: a local write, or a conflict resolution (also
    // a fork write). Downstream writes put the server's state in place and meta writes record progress:
    // they can only clear a pending document, so they are looked at for pending ids only. This keeps a
    // large initial pull from costing a second read per document.
    this.subscriptions.push(
      this.collection.storageInstance.changeStream().subscribe((bulk) => {
        const fromServer = bulk.context.startsWith('replication-downstream');
        for (const event of bulk.events) {
          if (fromServer && !this.mayBePending(event.documentId)) continue;
          this.dirtyIds.add(event.documentId);
          this.forkStates.set(event.documentId, (event.documentData as ForkDocument | undefined) ?? null);
        }
        this.schedule(meta);
      }),
      meta.changeStream().subscribe((bulk) => {
        for (const event of bulk.events) {
          const data = event.documentData as ReplicationMetaDocument | undefined;
          if (data?.isCheckpoint !== '0' || !this.mayBePending(data.itemId)) continue;
          this.dirtyIds.add(data.itemId);
          this.metaStates.set(data.itemId, data);
        }
        this.schedule(meta);
      }),
    );
    this.scanning = true;
    this.queue = this.queue
      .then(() => this.recomputeAll(meta))
      .catch((error) => this.fail(error))
      .finally(() => {
        this.scanning = false;
        this.endCount();
      });
    await this.queue;
  }

  /**
   * The states a push is sending are the local states of their documents (RxDB read them for it) unless a
   * storage event brought a newer one: kept for the ids the outbox tracks, so when RxDB records the push's
   * outcome in its meta data the outbox compares without reading the documents (an accepted push writes
   * nothing to them: accepted-revisions.ts). A conflict's resolution is written to the collection, and its
   * event replaces the pushed state.
   */
  notePushed(rows: readonly RxReplicationWriteToMasterRow<unknown>[]): void {
    const primaryPath = this.collection.schema.primaryPath as string;
    for (const row of rows) {
      const state = row.newDocumentState as Record<string, unknown>;
      const id = String(state[primaryPath]);
      if (this.mayBePending(id)) this.forkStates.fill(id, state as ForkDocument);
    }
  }

  /** Pending, or about to be (re)computed from reads that a change arriving now could make stale. */
  private mayBePending(id: string): boolean {
    return this.scanning || this.pending.has(id) || this.dirtyIds.has(id) || this.computing.has(id);
  }

  /** Resolves once every change seen so far is reflected in the outbox. */
  settled(): Promise<void> {
    return this.queue;
  }

  stop(): void {
    this.stopped = true;
    for (const subscription of this.subscriptions) subscription.unsubscribe();
    // No replication writes happen while stopped, so whatever is written now is a pending local change.
    const subject = this.subject;
    offlineTracking.get(this.collection)?.unsubscribe();
    offlineTracking.set(
      this.collection,
      this.collection.storageInstance.changeStream().subscribe((bulk) => {
        const next = new Set(subject.getValue());
        for (const event of bulk.events) next.add(event.documentId);
        subject.next(next);
      }),
    );
  }

  /** Ends the start-up count; also called when the sync could not start, so the status does not wait on it. */
  endCount(): void {
    this.countingState.next(false);
  }

  private fail(error: unknown): void {
    if (!this.stopped) this.onError(error instanceof Error ? error : new Error(String(error)));
  }

  private schedule(meta: ReplicationMetaInstance): void {
    this.queue = this.queue
      .then(async () => {
        if (this.stopped || this.dirtyIds.size === 0) return;
        const ids = [...this.dirtyIds];
        this.dirtyIds.clear();
        for (const id of ids) this.computing.add(id);
        try {
          const changes = await this.pendingStates(meta, ids);
          const next = new Set(this.subject.getValue());
          for (const [id, isPending] of changes) {
            if (isPending) next.add(id);
            else next.delete(id);
            // No longer tracked: its events stop updating the caches, so a later look reads it again.
            if (!isPending && !this.dirtyIds.has(id)) this.forget(id);
          }
          this.publish(next);
        } finally {
          this.computing.clear();
        }
      })
      .catch((error) => this.fail(error));
  }

  /**
   * Reads every document written since RxDB's upstream checkpoint: RxDB advances that checkpoint only
   * after a push round succeeded, so nothing older can be pending (a start with 100,000 synced documents
   * reads the handful written since the last push, not all of them).
   */
  private async recomputeAll(meta: ReplicationMetaInstance): Promise<void> {
    const next = new Set<string>();
    const [upCheckpoint] = await meta.findDocumentsById([checkpointKey(meta, 'up')], false);
    let checkpoint: unknown = upCheckpoint?.checkpointData;
    for (;;) {
      if (this.stopped) return;
      const page = await this.changedSince(meta, checkpoint);
      if (!page) break;
      checkpoint = page.checkpoint;
      for (const [id, isPending] of page.states) {
        if (isPending) next.add(id);
        else if (!this.dirtyIds.has(id)) this.forget(id);
      }
      // Shown as it is found (a start after importing 20,000 contacts counts for tens of seconds): only
      // growing while the count runs, since ids listed before the start are confirmed or dropped at its end.
      this.publish(new Set([...this.subject.getValue(), ...next]));
    }
    this.publish(next);
  }

  /**
   * One page of the documents written since `checkpoint`, with whether each is pending; null at the end.
   * With Dexie, from the change feed's index keys: a document with no assumed master state (never pushed)
   * is pending without reading it, and only the others are read to be compared.
   */
  private async changedSince(
    meta: ReplicationMetaInstance,
    checkpoint: unknown,
  ): Promise<{ states: Map<string, boolean>; checkpoint: unknown } | null> {
    const keys = await changedIdsSince(
      this.collection,
      1000,
      checkpoint as RxStorageDefaultCheckpoint | undefined,
    );
    if (keys) {
      if (keys.ids.length === 0) return null;
      return { states: await this.pendingAmongStored(meta, keys.ids), checkpoint: keys.checkpoint };
    }
    const page = await getChangedDocumentsSince(this.collection.storageInstance, 1000, checkpoint);
    if (page.documents.length === 0) return null;
    const primaryPath = this.collection.schema.primaryPath as string;
    const states = await this.pendingStates(
      meta,
      page.documents.map((doc) => String((doc as Record<string, unknown>)[primaryPath])),
      page.documents as RxDocumentData<Record<string, unknown>>[],
    );
    return { states, checkpoint: page.checkpoint };
  }

  /** Whether each of these stored documents is pending; reads the local state only of those with a server state. */
  private async pendingAmongStored(
    meta: ReplicationMetaInstance,
    ids: string[],
  ): Promise<Map<string, boolean>> {
    const assumed = await this.assumedStates(meta, ids);
    // Pushed or pulled before: pending only if the local state differs from the server's.
    const withAssumedState = ids.filter((id) => assumed.get(id)?.docData);
    const result = new Map(ids.map((id) => [id, true]));
    if (withAssumedState.length > 0) {
      for (const [id, isPending] of await this.pendingStates(meta, withAssumedState))
        result.set(id, isPending);
    }
    return result;
  }

  /** Each id's assumed master state (null: none) from the cache; reads (and caches) only what it lacks. */
  private async assumedStates(
    meta: ReplicationMetaInstance,
    ids: string[],
  ): Promise<Map<string, ReplicationMetaDocument | null>> {
    const missing = ids.filter((id) => this.metaStates.get(id) === undefined);
    const read =
      missing.length > 0
        ? await meta.findDocumentsById(
            missing.map((id) => assumedMasterKey(meta, id)),
            true,
          )
        : [];
    const readById = new Map(read.map((doc) => [doc.itemId, doc]));
    for (const id of missing) this.metaStates.fill(id, readById.get(id) ?? null);
    // A state the cache could not hold (over its size) comes from this call's read.
    return new Map(ids.map((id) => [id, this.metaStates.get(id) ?? readById.get(id) ?? null]));
  }

  private forget(id: string): void {
    this.forkStates.delete(id);
    this.metaStates.delete(id);
  }

  /** Whether each id is pending, from the cached states; reads (and caches) only what no event brought. */
  private async pendingStates(
    meta: ReplicationMetaInstance,
    ids: string[],
    scannedForkDocs?: ForkDocument[],
  ): Promise<Map<string, boolean>> {
    const primaryPath = this.collection.schema.primaryPath as string;
    const scanned = new Map((scannedForkDocs ?? []).map((doc) => [String(doc[primaryPath]), doc]));
    for (const [id, doc] of scanned) this.forkStates.fill(id, doc);
    const forkMissing = ids.filter((id) => this.forkStates.get(id) === undefined && !scanned.has(id));
    const [forkDocs, assumedById] = await Promise.all([
      forkMissing.length > 0
        ? (this.collection.storageInstance.findDocumentsById(forkMissing, true) as Promise<ForkDocument[]>)
        : [],
      this.assumedStates(meta, ids),
    ]);
    const forkById = new Map(forkDocs.map((doc) => [String(doc[primaryPath]), doc]));
    for (const id of forkMissing) this.forkStates.fill(id, forkById.get(id) ?? null);
    const result = new Map<string, boolean>();
    for (const id of ids) {
      // A state the cache could not hold (over its size) comes from this call's read.
      const fork = this.forkStates.get(id) ?? forkById.get(id) ?? scanned.get(id);
      const assumed = assumedById.get(id);
      if (!fork) result.set(id, false);
      else if (!assumed?.docData) result.set(id, true);
      else result.set(id, !syncedDocumentsEqual(assumed.docData, fork));
    }
    return result;
  }

  private publish(next: Set<string>): void {
    const current = this.subject.getValue();
    if (next.size === current.size && [...next].every((id) => current.has(id))) return;
    this.subject.next(next);
  }
}
