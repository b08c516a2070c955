import type { AcceptedRevision } from '@shared/schemas';
import {
  createRevision,
  type RxCollection,
  type RxDocumentData,
  type RxReplicationWriteToMasterRow,
} from 'rxdb';
import type { RxReplicationState } from 'rxdb/plugins/replication';
import { syncedDocumentsEqual } from './merge';
import { recordAcceptedRevision, writeAsMasterState } from './rxdb-internals';

/**
 * Takes the server's answer to a push as the device's record of its own writes, so they never have to come
 * back in a pull (the server leaves them out): RxDB stores each accepted row's state, now carrying its
 * new `serverRev`, as the assumed master state, and the local document gets the same `serverRev` in one
 * storage write per batch, written as RxDB's downstream writes a pulled state (writeAsMasterState: no link
 * rule runs again, RxDB's upstream and reconcile do not read the documents again for it).
 * A document edited again since it was pushed keeps its newer state: its next push carries the new
 * revision in its assumed master state and is accepted; only its `serverRev` field waits for that push.
 */
export async function recordAcceptedRevisions(
  replication: RxReplicationState<unknown, unknown>,
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
      document: { ...document, _rev: createRevision(collection.database.token, previous) },
    });
  }
  if (writes.length === 0) return;
  const errors = await writeAsMasterState(replication, collection, writes);
  // A 409 is a local edit that came in meanwhile (handled as above); anything else is a storage failure.
  const failed = errors.filter((error) => error.status !== 409);
  if (failed.length > 0) {
    throw new Error(
      `Could not record the server's revision of ${failed.length} ${collection.name} on this device`,
    );
  }
}
