import type { AcceptedRevision } from '@shared/schemas';
import {
  createRevision,
  type RxCollection,
  type RxDocumentData,
  type RxReplicationWriteToMasterRow,
} from 'rxdb';
import { syncedDocumentsEqual } from './merge';
import { recordAcceptedRevision } from './rxdb-internals';

/** Context of the storage write that gives local documents their new `serverRev` (the outbox reads contexts). */
export const acceptedRevisionsContext = 'replication-accepted-revisions';

/**
 * Takes the server's answer to a push as the device's record of its own writes, so they never have to come
 * back in a pull (the server leaves them out): RxDB stores each accepted row's state, now carrying its
 * new `serverRev`, as the assumed master state, and the local document gets the same `serverRev` in one
 * storage write per batch (written directly, like replicated documents, so no link rule runs again).
 * A document edited again since it was pushed keeps its newer state: its next push carries the new
 * revision in its assumed master state and is accepted; only its `serverRev` field waits for that push.
 */
export async function recordAcceptedRevisions(
  collection: RxCollection,
  rows: readonly RxReplicationWriteToMasterRow<unknown>[],
  accepted: readonly AcceptedRevision[],
): Promise<void> {
  if (accepted.length === 0) return;
  const rowsById = new Map(
    rows.map((row) => [String((row.newDocumentState as unknown as { id: unknown }).id), row]),
  );
  const revisions = new Map<string, number>();
  for (const { id, serverRev } of accepted) {
    const row = rowsById.get(id);
    if (!row) continue;
    recordAcceptedRevision(row, serverRev);
    revisions.set(id, serverRev);
  }
  const current = (await collection.storageInstance.findDocumentsById(
    [...revisions.keys()],
    true,
  )) as RxDocumentData<Record<string, unknown>>[];
  const writes = [];
  for (const previous of current) {
    const id = String(previous.id);
    const serverRev = revisions.get(id);
    const pushed = rowsById.get(id)?.newDocumentState as Record<string, unknown> | undefined;
    if (serverRev === undefined || !pushed || previous.serverRev === serverRev) continue;
    const document = { ...previous, serverRev };
    if (!syncedDocumentsEqual(document, pushed)) continue; // edited since: see above
    writes.push({
      previous,
      document: {
        ...document,
        _meta: { ...previous._meta, lwt: Date.now() },
        _rev: createRevision(collection.database.token, previous),
      },
    });
  }
  if (writes.length === 0) return;
  const result = await collection.storageInstance.bulkWrite(writes, acceptedRevisionsContext);
  // A 409 is a local edit that came in meanwhile (handled as above); anything else is a storage failure.
  const failed = result.error.filter((error) => error.status !== 409);
  if (failed.length > 0) {
    throw new Error(
      `Could not record the server's revision of ${failed.length} ${collection.name} on this device`,
    );
  }
}
