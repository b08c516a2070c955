import type { AcceptedRevision } from '@shared/schemas';
import type { RxReplicationWriteToMasterRow } from 'rxdb';
import { setPushedRevision } from './rxdb-internals';

/**
 * Takes the server's answer to a push as the device's record of its own writes, so they never have to come
 * back in a pull (the server leaves them out): RxDB stores each accepted row's state, now carrying its
 * new `serverRev`, as the assumed master state. That is the only place the revision is kept: the local
 * document is not written again for it (a read and a write per pushed document, about half of a large
 * push's time: bench/README.md, issue 9). Its own `serverRev` stays what the last pull or merge wrote;
 * the comparisons of local and server states leave it out (`syncedDocumentsEqual`), and a pulled state is
 * weighed against the assumed master state's revision (`conflicts.ts`).
 */
export function recordAcceptedRevisions(
  rows: readonly RxReplicationWriteToMasterRow<unknown>[],
  accepted: readonly AcceptedRevision[],
): void {
  if (accepted.length === 0) return;
  const rowsById = new Map(
    rows.map((row) => [String((row.newDocumentState as unknown as { id: unknown }).id), row]),
  );
  for (const { id, serverRev } of accepted) {
    const row = rowsById.get(id);
    if (row) setPushedRevision(row, serverRev);
  }
}

/**
 * Gives each pushed state the revision of its assumed master state before it is sent. RxDB stores a row's
 * pushed state as the new assumed master state whenever it is not a conflict, so a row the server rejects
 * would otherwise leave the local document's older `serverRev` there: the next push (the fix) would be
 * weighed against that older revision, come back as a conflict, and the merge would take the rejected
 * state as its base and drop the edits the rejected write carried. The server ignores the field on push.
 */
export function carryAssumedRevisions(rows: readonly RxReplicationWriteToMasterRow<unknown>[]): void {
  for (const row of rows) {
    const serverRev = (row.assumedMasterState as { serverRev?: unknown } | undefined)?.serverRev;
    if (typeof serverRev === 'number') setPushedRevision(row, serverRev);
  }
}
