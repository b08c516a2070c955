import { derivedFieldNames, emailKeyOf, refreshDerivedFields } from '@shared/schemas';
import type { RxConflictHandler, RxConflictHandlerInput, WithDeleted } from 'rxdb';

/** A document as the replication protocol sees it: its fields plus RxDB's deletion flag. */
export type SyncedDocument = Record<string, unknown> & { id: string; _deleted: boolean };

/** RxDB's storage bookkeeping; never part of what is compared or merged. */
const storageKeys = new Set(['_meta', '_rev', '_attachments']);

/**
 * Keys the merge derives instead of merging field by field: the document's clock and author follow
 * the winning timestamp, `serverRev` always comes from the master (the server compares it on the next
 * push), `emailKey` and the local sort keys are recomputed from the merged fields, `id` and `_deleted`
 * are handled apart.
 */
const derivedKeys = new Set([
  'id',
  '_deleted',
  'updatedAt',
  'updatedBy',
  'serverRev',
  'emailKey',
  'createdAt',
  ...derivedFieldNames,
]);

/**
 * Structural equality that ignores key order and keys holding `undefined`.
 * Hand-written because RxDB's `deepEqual` treats `{a: undefined}` and `{}` as different, and
 * PostgreSQL `jsonb` round trips reorder keys, so neither JSON strings nor `deepEqual` fit.
 */
export function structurallyEqual(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((item, index) => structurallyEqual(item, b[index]));
  }
  const recordA = a as Record<string, unknown>;
  const recordB = b as Record<string, unknown>;
  const keys = new Set([...Object.keys(recordA), ...Object.keys(recordB)]);
  for (const key of keys) {
    if (!structurallyEqual(recordA[key], recordB[key])) return false;
  }
  return true;
}

/**
 * Whether two document states hold the same synced data (every field and the deletion flag). `serverRev`
 * is not data but the server's number for a state, and only the assumed master state keeps it current: an
 * accepted push records it there, not in the local document (docs/replication.md, "Own writes never come
 * back"), so a local document and its assumed master state are equal whatever revision each carries.
 */
export function syncedDocumentsEqual(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const key of keys) {
    if (storageKeys.has(key) || key === 'serverRev') continue;
    if (key === '_deleted') {
      if (Boolean(a._deleted) !== Boolean(b._deleted)) return false;
      continue;
    }
    if (!structurallyEqual(a[key], b[key])) return false;
  }
  return true;
}

function withoutStorageKeys(doc: Record<string, unknown>): SyncedDocument {
  const copy: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(doc)) {
    if (!storageKeys.has(key)) copy[key] = value;
  }
  copy._deleted = Boolean(doc._deleted);
  return copy as SyncedDocument;
}

function timestampOf(doc: Record<string, unknown>): number {
  return typeof doc.updatedAt === 'number' ? doc.updatedAt : 0;
}

type FieldOutcome = {
  key: string;
  localValue: unknown;
  masterValue: unknown;
  /** Both sides changed the field since the base (always so without a base). */
  changedOnBoth: boolean;
  takeLocal: boolean;
};

/** The merge's choice for every merged field whose values differ (both sides not deleted). */
function fieldOutcomes(
  local: SyncedDocument,
  master: SyncedDocument,
  base: SyncedDocument | undefined,
): FieldOutcome[] {
  const localIsLater = timestampOf(local) > timestampOf(master);
  const outcomes: FieldOutcome[] = [];
  for (const key of new Set([...Object.keys(local), ...Object.keys(master)])) {
    if (derivedKeys.has(key)) continue;
    const localValue = local[key];
    const masterValue = master[key];
    if (structurallyEqual(localValue, masterValue)) continue;
    const localChanged = base === undefined || !structurallyEqual(localValue, base[key]);
    const masterChanged = base === undefined || !structurallyEqual(masterValue, base[key]);
    outcomes.push({
      key,
      localValue,
      masterValue,
      changedOnBoth: localChanged && masterChanged,
      takeLocal: localChanged && (!masterChanged || localIsLater),
    });
  }
  return outcomes;
}

export type MergeInput = {
  /** The state this device wants to push. */
  newDocumentState: Record<string, unknown>;
  /** The server's current state (returned as a conflict). */
  realMasterState: Record<string, unknown>;
  /** The server state this device's edits were based on; undefined when it never received one. */
  assumedMasterState?: Record<string, unknown> | undefined;
};

/**
 * Per-field three-way merge (docs/replication.md), pure and deterministic so every device resolves a conflict the
 * same way:
 * - a field changed on one side only (compared with the assumed master state) keeps that change;
 * - a field changed on both sides (always the case without a base) takes the value of the document
 *   with the later `updatedAt`; on a tie the master wins, a rule every device applies identically;
 * - a deletion on either side wins (no resurrection); a deleted master is returned as it is;
 * - the result carries the master's `serverRev`, so the push that follows is accepted, and the later
 *   of both `updatedAt` values, so later-wins keeps working for the next conflict.
 */
export function mergeDocumentStates(input: MergeInput): SyncedDocument {
  const local = withoutStorageKeys(input.newDocumentState);
  const master = withoutStorageKeys(input.realMasterState);
  const base = input.assumedMasterState ? withoutStorageKeys(input.assumedMasterState) : undefined;

  if (master._deleted) return master;

  const localIsLater = timestampOf(local) > timestampOf(master);
  if (local._deleted) {
    return {
      ...local,
      serverRev: master.serverRev,
      updatedAt: Math.max(timestampOf(local), timestampOf(master)),
    };
  }

  const merged: Record<string, unknown> = { ...master };
  for (const { key, localValue, takeLocal } of fieldOutcomes(local, master, base)) {
    if (!takeLocal) continue;
    if (localValue === undefined) delete merged[key];
    else merged[key] = localValue;
  }
  merged.updatedAt = Math.max(timestampOf(local), timestampOf(master));
  merged.updatedBy = localIsLater ? local.updatedBy : master.updatedBy;
  merged.serverRev = master.serverRev;
  if ('emailKey' in master || 'emailKey' in local)
    merged.emailKey = emailKeyOf(merged.email as string | undefined);
  merged._deleted = false;
  return refreshDerivedFields(merged) as SyncedDocument;
}

/** A field this device changed that the merge replaced with another device's later value. */
export type LostEdit = { field: string; lost: unknown; kept: unknown };

/**
 * This device's edits that `mergeDocumentStates` does not keep: fields changed on both sides since the
 * state both started from, where the master's edit is the later. Only with a known base: without one,
 * "changed" cannot be told apart from "created independently", and nothing is reported. A deletion on
 * either side is reported by the sync issues, not here.
 */
export function lostEdits(input: MergeInput): LostEdit[] {
  if (!input.assumedMasterState) return [];
  const local = withoutStorageKeys(input.newDocumentState);
  const master = withoutStorageKeys(input.realMasterState);
  if (local._deleted || master._deleted) return [];
  return fieldOutcomes(local, master, withoutStorageKeys(input.assumedMasterState))
    .filter((outcome) => outcome.changedOnBoth && !outcome.takeLocal)
    .map(({ key, localValue, masterValue }) => ({ field: key, lost: localValue, kept: masterValue }));
}

/** The conflict handler installed on every replicated collection. */
export const crmConflictHandler: RxConflictHandler<unknown> = {
  isEqual(a, b) {
    return syncedDocumentsEqual(a as Record<string, unknown>, b as Record<string, unknown>);
  },
  resolve(input: RxConflictHandlerInput<unknown>) {
    return Promise.resolve(
      mergeDocumentStates(input as unknown as MergeInput) as unknown as WithDeleted<unknown>,
    );
  },
};
