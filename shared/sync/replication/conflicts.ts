import type { CollectionName } from '@shared/schemas';
import type { RxConflictHandler } from 'rxdb';
import type { CrmDatabase } from '../crm-database';
import { queueReplacedEdits } from '../rules/audit-log';
import { crmConflictHandler, lostEdits, type MergeInput, syncedDocumentsEqual } from './merge';
import { comparingPulledStatesWithAssumed } from './rxdb-internals';

function serverRevOf(state: unknown): number | undefined {
  const serverRev = (state as { serverRev?: unknown } | undefined)?.serverRev;
  return typeof serverRev === 'number' ? serverRev : undefined;
}

/**
 * Whether a pulled state leaves the local document (which holds no unsent change) as it is. The revision
 * the device has is its assumed master state's: accepted pushes record it there and not in the local
 * document (docs/replication.md). A pulled state the server numbered before that one is older than what the
 * device has and never replaces it (a pull page answered before this device pushed the record and persisted
 * after the push was accepted: no later pull would bring the device's own state back); a later one always
 * does; one of the same revision does when its data differs (the server changed what was pushed).
 */
export function pulledStateKeepsLocal(
  pulled: Record<string, unknown>,
  local: Record<string, unknown>,
  assumed: Record<string, unknown> | undefined,
): boolean {
  const pulledRev = serverRevOf(pulled);
  const knownRev = serverRevOf(assumed) ?? serverRevOf(local);
  if (pulledRev !== undefined && knownRev !== undefined && pulledRev !== knownRev)
    return pulledRev < knownRev;
  return syncedDocumentsEqual(pulled, local);
}

/**
 * The conflict handler of one replicated collection of `db`: the per-field merge of `merge.ts`, and for
 * contacts and leads a timeline entry for each of this device's edits the merge replaced with another
 * device's later edit, so the person who made it can read what happened to it. A pulled state is weighed
 * against the local document with the assumed master state's revision (pulledStateKeepsLocal).
 */
export function conflictHandlerFor(db: CrmDatabase, collection: CollectionName): RxConflictHandler<unknown> {
  return comparingPulledStatesWithAssumed(mergeFor(db, collection), (pulled, local, assumed) =>
    pulledStateKeepsLocal(
      pulled as Record<string, unknown>,
      local as Record<string, unknown>,
      assumed as Record<string, unknown> | undefined,
    ),
  );
}

function mergeFor(db: CrmDatabase, collection: CollectionName): RxConflictHandler<unknown> {
  if (collection !== 'contacts' && collection !== 'leads') return crmConflictHandler;
  return {
    isEqual: crmConflictHandler.isEqual,
    resolve(input, context) {
      const merge = input as unknown as MergeInput;
      const lost = lostEdits(merge);
      if (lost.length > 0) {
        const master = merge.realMasterState;
        queueReplacedEdits(db, collection, {
          record: merge.newDocumentState as Record<string, unknown> & { id: string },
          lost,
          replacedBy: String(master.updatedBy ?? ''),
          serverRev: master.serverRev,
        });
      }
      return crmConflictHandler.resolve(input, context);
    },
  };
}
