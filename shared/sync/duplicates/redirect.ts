/**
 * Edits that arrived for a record merged away elsewhere (docs/duplicates.md, "Convergence"): after a sync
 * round, each kept edit is applied to the record its target was merged into, as a normal local write (the
 * link rules and validation run), and its sync issue becomes a note saying where the edit went.
 */
import type { RxCollection } from 'rxdb';
import type { StoredDocument } from '../change-feed';
import type { CrmDatabase } from '../crm-database';
import { messageOf } from '../errors';
import { type SyncIssue, syncIssueList } from '../replication/sync-issues';
import { effectivePatch } from '../rules/mapping';
import { fullName } from '../rules/rules';
import type { DuplicateCollection } from './pairs';

/** Merges of merges: how many `mergedInto` steps are followed before giving up (a loop, or bad data). */
const MAX_HOPS = 5;

type Stored = Record<string, unknown> & { id: string; _deleted?: boolean; mergedInto?: string };

/**
 * The live record `id` ends in by following `mergedInto`; `missing` while a step is not stored here yet or
 * the chain runs in a cycle not repaired yet.
 */
async function survivorOf(
  collection: RxCollection,
  id: string,
): Promise<{ live: Stored | null; missing: boolean }> {
  let current = id;
  const visited = new Set<string>();
  for (let hop = 0; hop <= MAX_HOPS; hop++) {
    // A cycle (opposite survivors chosen at once) is repaired by detection (`merge-cycles.ts`): wait for it.
    if (visited.has(current)) return { live: null, missing: true };
    visited.add(current);
    const [stored] = (await collection.storageInstance.findDocumentsById(
      [current],
      true,
    )) as unknown as Stored[];
    if (!stored) return { live: null, missing: true };
    if (!stored._deleted) return { live: stored, missing: false };
    if (!stored.mergedInto) return { live: null, missing: false };
    current = stored.mergedInto;
  }
  return { live: null, missing: false };
}

/** Applies the kept edits whose survivor is here; returns how many records it wrote. */
export async function applyEditsOfMergedRecords(db: CrmDatabase): Promise<number> {
  const list = syncIssueList(db);
  const waiting = (await list.all()).filter((issue) => issue.kind === 'merged-while-edited' && issue.edit);
  let written = 0;
  for (const issue of waiting) {
    const collection = db.collections[issue.collection as DuplicateCollection] as unknown as RxCollection;
    const { live, missing } = await survivorOf(collection, issue.documentId);
    if (missing) continue; // the survivor arrives with a later round
    const edited = fullName(issue.localState as { firstName: string; lastName: string });
    if (!live) {
      await list.add({
        ...issue,
        reason: `Your edit to ${edited} was not applied: the record it was merged into has been deleted.`,
      });
      continue;
    }
    const survivorName = fullName(live as unknown as { firstName: string; lastName: string });
    if (Object.keys(issue.edit ?? {}).length === 0) {
      // Only rule-managed fields changed (a link the rules or reconcile wrote): nothing of the person's to note.
      await list.remove([issue.id]);
      continue;
    }
    try {
      const document = await collection.findOne(live.id).exec();
      // Only what differs is written (the no-op rule): an edit the survivor already holds, e.g. the same
      // merge values from a merge made on two devices, writes nothing.
      const changes = document
        ? effectivePatch(document.toJSON() as Record<string, unknown>, issue.edit ?? {})
        : {};
      if (document && Object.keys(changes).length > 0) {
        await document.incrementalPatch(changes);
        written += 1;
      }
      const note: SyncIssue = {
        ...issue,
        reason: `Your edit to ${edited} arrived after it was merged into ${survivorName}; it was applied to ${survivorName}.`,
        edit: null,
        targetId: live.id,
      };
      await list.add(note);
    } catch (error) {
      // Kept with the edit: the person sees why (e.g. the email is taken) and can restore it as a new record.
      await list.add({
        ...issue,
        kind: 'deleted-while-edited',
        reason: `Your edit to ${edited} could not be applied to ${survivorName}, which it was merged into: ${messageOf(error)}`,
        edit: null,
      });
    }
  }
  return written;
}

/**
 * Timeline entries and tasks among `activities` that point at a record merged away: moved to the record it
 * was merged into (the merge's own late audit entries). Returns how many it moved.
 */
export async function moveEntriesOfMergedRecords(
  db: CrmDatabase,
  activities: readonly StoredDocument[],
): Promise<number> {
  let moved = 0;
  for (const [collection, field] of [
    ['contacts', 'contactId'],
    ['leads', 'leadId'],
  ] as const) {
    const pointing = activities.filter((activity) => !activity._deleted && activity[field]);
    if (pointing.length === 0) continue;
    const records = db.collections[collection] as unknown as RxCollection;
    const targets = [...new Set(pointing.map((activity) => String(activity[field])))];
    const stored = (await records.storageInstance.findDocumentsById(targets, true)) as unknown as Stored[];
    const mergedAway = new Set(
      stored.filter((record) => record._deleted && record.mergedInto).map((record) => record.id),
    );
    for (const activity of pointing) {
      const target = String(activity[field]);
      if (!mergedAway.has(target)) continue;
      const { live } = await survivorOf(records, target);
      const entry = live ? await db.activities.findOne(activity.id).exec() : null;
      if (!live || entry?.get(field) !== target) continue;
      await entry.incrementalPatch({ [field]: live.id });
      moved += 1;
    }
  }
  return moved;
}
