import {
  getComposedPrimaryKeyOfDocumentData,
  type RxReplicationWriteToMasterRow,
  type RxStorageInstance,
  type WithDeleted,
} from 'rxdb';
import type { RxReplicationState } from 'rxdb/plugins/replication';

/*
 * The only module that relies on RxDB's replication internals (rxdb 17.6, src/replication-protocol/ and
 * src/plugins/replication/). RxDB has no public API for what these do; rxdb-internals.test.ts runs each
 * against a real replication and fails when an RxDB upgrade changes them. Everything else uses public API.
 */

// biome-ignore lint/suspicious/noExplicitAny: any document and checkpoint type; only the protocol's own state is read.
type AnyReplication = RxReplicationState<any, any>;

/** A replication meta document: per replicated document its assumed master state, plus the checkpoints. */
export type ReplicationMetaDocument = {
  itemId: string;
  isCheckpoint: string;
  docData?: Record<string, unknown>;
  checkpointData?: unknown;
  isResolvedConflict?: string;
};
export type ReplicationMetaInstance = RxStorageInstance<ReplicationMetaDocument, unknown, unknown>;

/** The storage instance where RxDB keeps a replication's assumed master states and checkpoints (after start). */
export function replicationMeta(replication: AnyReplication): ReplicationMetaInstance | undefined {
  return replication.metaInstance as ReplicationMetaInstance | undefined;
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
 * Makes RxDB record `serverRev` in the assumed master state it stores for an accepted pushed row. RxDB
 * builds that meta row from the very object it hands the push handler as `newDocumentState` and writes it
 * after the handler returns, so setting the field here is what it stores. This is how a device knows the
 * revision of its own write without pulling the document back (RxDB offers no hook for it).
 */
export function recordAcceptedRevision(row: RxReplicationWriteToMasterRow<unknown>, serverRev: number): void {
  (row.newDocumentState as WithDeleted<Record<string, unknown>>).serverRev = serverRev;
}

/**
 * RxDB reports a failed pull or push handler call as RC_PULL / RC_PUSH with the handler's own errors in
 * `parameters.errors`; those were already reported by the HTTP client when the request failed.
 */
export function isWrappedHandlerError(error: unknown): boolean {
  return Array.isArray((error as { parameters?: { errors?: unknown } }).parameters?.errors);
}
