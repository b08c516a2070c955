import {
  type ClientWritableCollection,
  derivedFieldNames,
  type FieldIssue,
  managedKeys,
} from '@shared/schemas';
import type { Observable } from 'rxjs';
import { v7 as uuidv7 } from 'uuid';
import type { CrmDatabase } from '../database';
import { CrmValidationError } from '../errors';
import { localList } from '../local-list';
import { perDatabase } from '../per-database';

/**
 * Something replication could not do on its own and the user must see:
 * - `rejected`: the server refused a pushed document (validation); it stays in the local database,
 *   and editing and saving it pushes it again. Cleared when the server accepts the document.
 * - `deleted-while-edited`: this device's unsent edit met a record deleted elsewhere; the deletion
 *   won (no resurrection) and `localState` keeps the lost edit so it can be restored as a new record.
 * - `merged-while-edited`: the unsent edit met a record merged into another (docs/duplicates.md); `edit`
 *   holds what it changed, applied to the survivor after the sync round (`applyEditsOfMergedRecords`);
 *   then the issue stays as a note naming the survivor (`targetId`), without `edit`.
 */
export type SyncIssue = {
  id: string;
  kind: 'rejected' | 'deleted-while-edited' | 'merged-while-edited';
  collection: ClientWritableCollection;
  documentId: string;
  reason: string;
  issues: FieldIssue[];
  at: number;
  localState: Record<string, unknown> | null;
  /** merged-while-edited: the fields the edit changed, until applied. */
  edit?: Record<string, unknown> | null;
  /** merged-while-edited: the record the edit was applied to, once applied. */
  targetId?: string;
};

/** Sync issues are a local list (one local document per issue), never replicated. */
export const syncIssueList = (db: CrmDatabase) => localList<SyncIssue>(db, 'sync-issues');

export function syncIssues$(db: CrmDatabase): Observable<SyncIssue[]> {
  return syncIssueList(db).items$;
}

export function dismissSyncIssue(db: CrmDatabase, issueId: string): Promise<void> {
  return syncIssueList(db).remove([issueId]);
}

export function rejectedIssueId(collection: string, documentId: string): string {
  return `rejected:${collection}:${documentId}`;
}

/**
 * Ids of the `rejected` issues that may be stored (read once per database, then kept up to date by
 * recordRejected; a dismissed one may linger, which costs one harmless removal). Every accepted push batch
 * asks "did any of these documents have a rejected issue?": answered here without a storage read.
 */
const rejectedIssueIds = perDatabase((db) =>
  syncIssueList(db)
    .all()
    .then((issues) => new Set(issues.filter((issue) => issue.kind === 'rejected').map((issue) => issue.id))),
);

export async function recordRejected(
  db: CrmDatabase,
  collection: ClientWritableCollection,
  rejected: { id: string; reason: string; issues: FieldIssue[] },
  localState: Record<string, unknown>,
): Promise<void> {
  const issue: SyncIssue = {
    id: rejectedIssueId(collection, rejected.id),
    kind: 'rejected',
    collection,
    documentId: rejected.id,
    reason: rejected.reason,
    issues: rejected.issues,
    at: Date.now(),
    localState,
  };
  (await rejectedIssueIds(db)).add(issue.id);
  return syncIssueList(db).add(issue);
}

/** Removes the `rejected` issues of documents the server has now accepted; no storage call when there are none. */
export async function clearRejected(
  db: CrmDatabase,
  collection: string,
  acceptedIds: readonly string[],
): Promise<void> {
  const known = await rejectedIssueIds(db);
  const cleared = acceptedIds.map((id) => rejectedIssueId(collection, id)).filter((id) => known.has(id));
  if (cleared.length === 0) return;
  for (const id of cleared) known.delete(id);
  await syncIssueList(db).remove(cleared);
}

export function recordDeletedWhileEdited(
  db: CrmDatabase,
  collection: ClientWritableCollection,
  localState: Record<string, unknown>,
): Promise<void> {
  // One issue per record: a push repeated after a pause meets the same tombstone again.
  const issue: SyncIssue = {
    id: `deleted:${collection}:${String(localState.id)}`,
    kind: 'deleted-while-edited',
    collection,
    documentId: String(localState.id),
    reason: 'This record was deleted on another device while you edited it here; your edit was not applied.',
    issues: [],
    at: Date.now(),
    localState,
  };
  return syncIssueList(db).add(issue);
}

/** Fields an edit never carries over to another record: bookkeeping, derived and rule-managed ones. */
const notCarriedOver = new Set([
  ...managedKeys,
  'id',
  'emailKey',
  'leadId',
  'contactId',
  'isConvertedFromLead',
  'isConvertedToContact',
  'autoCreatedFromContact',
  'conversionDate',
  'mergedInto',
  'position',
]);

/**
 * This device's unsent edit met a record merged into another (the server's tombstone names it in
 * `mergedInto`): keeps the fields the edit changed (against the state it was based on) so that they are
 * applied to the survivor after the round, when the survivor has been pulled too.
 */
export function recordMergedWhileEdited(
  db: CrmDatabase,
  collection: ClientWritableCollection,
  localState: Record<string, unknown>,
  basedOn: Record<string, unknown> | undefined,
): Promise<void> {
  const edit: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(localState)) {
    if (key.startsWith('_') || notCarriedOver.has(key) || derivedFieldNames.has(key)) continue;
    if (basedOn && JSON.stringify(basedOn[key]) === JSON.stringify(value)) continue;
    edit[key] = value;
  }
  const issue: SyncIssue = {
    id: `merged:${collection}:${String(localState.id)}`,
    kind: 'merged-while-edited',
    collection,
    documentId: String(localState.id),
    reason: 'This record was merged into another on another device while you edited it here.',
    issues: [],
    at: Date.now(),
    localState,
    edit,
  };
  return syncIssueList(db).add(issue);
}

/** Link fields a restored record starts without: its old partner may be gone or linked elsewhere. */
const unlinkedValues: Record<ClientWritableCollection, Record<string, unknown>> = {
  contacts: { leadId: '', isConvertedFromLead: false, conversionDate: null },
  leads: { contactId: '', autoCreatedFromContact: false, isConvertedToContact: false, conversionDate: null },
  departments: {},
  activities: {},
  teamSettings: {},
};

/**
 * Restores the edit that met a deleted record as a NEW record (new id, through the normal local write
 * path so validation and the link rules run). A new id because the old one is deleted everywhere and
 * may still be referenced by its former partner (an auto-created lead id is derived from the contact id).
 * Returns the new record's id and removes the issue.
 */
export async function restoreDeletedFromIssue(db: CrmDatabase, issueId: string): Promise<string> {
  const issue = await syncIssueList(db).get(issueId);
  if (issue?.kind !== 'deleted-while-edited' || !issue.localState) {
    throw new CrmValidationError('not-found', [
      { field: '(document)', message: `No restorable sync issue ${issueId}` },
    ]);
  }
  const data: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(issue.localState)) {
    if (key.startsWith('_') || (managedKeys as readonly string[]).includes(key) || key === 'emailKey')
      continue;
    data[key] = value;
  }
  Object.assign(data, unlinkedValues[issue.collection], { id: uuidv7() });
  const collection = db.collections[issue.collection];
  await collection.insert(data as never);
  await dismissSyncIssue(db, issueId);
  return data.id as string;
}
