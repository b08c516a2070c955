/**
 * Tells the rule engine's own writes ("engine writes": a linked document, a lead R1/R2 create, the manual
 * link) apart from user writes, per write rather than per document: a user write to the same document at
 * the same moment is still a user write and runs its rules.
 *
 * The mark is a symbol-keyed property on the data of the write itself. RxDB hands the hooks a flat copy of
 * that object (spread and `Object.assign` keep symbol keys), while the deep clone it makes of stored data
 * for every later write (`patch`, `modify`, `incremental*`) drops them, and storage never keeps them. The
 * first pre hook that sees a mark claims it, so a copy of the data (e.g. a `toJSON()` spread into an
 * insert) never counts as the engine's a second time.
 */
import type { RxDocument } from 'rxdb';

const ENGINE_WRITE = Symbol('fieldbook.engineWrite');

type Marked = { [ENGINE_WRITE]?: { claimed: boolean } };

/** `data` marked as the data of one engine write (the object itself, for chaining). */
export function asEngineWrite<T extends object>(data: T): T {
  (data as Marked)[ENGINE_WRITE] = { claimed: false };
  return data;
}

/**
 * In a pre hook: true when this write is an engine write. The mark is claimed (so it counts once) and
 * removed from the data, so it never reaches the stored state's objects.
 */
export function claimEngineWrite(data: object): boolean {
  const mark = (data as Marked)[ENGINE_WRITE];
  if (!mark) return false;
  delete (data as Marked)[ENGINE_WRITE];
  if (mark.claimed) return false;
  mark.claimed = true;
  return true;
}

/** Patches `doc` as an engine write (validated and stamped by the hooks, no rules run). */
export function patchAsEngine<T>(doc: RxDocument<T>, changes: Partial<T>): Promise<RxDocument<T>> {
  return doc.modify((data) => asEngineWrite(Object.assign(data, changes)));
}
