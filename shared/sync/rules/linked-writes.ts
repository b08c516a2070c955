/**
 * The writes the rules make to a linked document. They are engine writes (engine-writes.ts): they pass
 * through the hooks (validation, `updatedAt`/`updatedBy`, email uniqueness) but do not trigger rules again.
 * A failure is recorded in the rule-error log and never reaches the caller of the user's write (docs/link-rules.md).
 */

import type { Contact, Lead, RuleId } from '@shared/schemas';
import type { RxCollection } from 'rxdb';
import type { CrmDatabase } from '../database';
import { messageOf } from '../errors';
import { perDatabase } from '../per-database';
import { patchAsEngine } from './engine-writes';
import { createLeadBatched } from './lead-creation';
import { type RuleErrorTarget, recordRuleError } from './rule-errors';

/** A write the rules make to a linked document. */
export type LinkedWrite = {
  rule: RuleId;
  trigger: RuleErrorTarget;
  /** `updatedAt` of the trigger's write (lets reconcile tell whether a failed write is still wanted). */
  triggerUpdatedAt: number;
  target: RuleErrorTarget;
} & ({ create: Lead } | { patch: Partial<Contact> | Partial<Lead> });

/** Test seam (see testing.ts): may throw to simulate a failing linked write. */
export type LinkedWriteFault = (write: LinkedWrite) => void;

/** Per database: the test seam, when set. */
const faultOf = perDatabase((): { fault: LinkedWriteFault | null } => ({ fault: null }));

const isConflict = (error: unknown) => (error as { code?: string } | null)?.code === 'CONFLICT';

/**
 * Writes one linked document as an engine write. Patches re-read the document and write only fields whose
 * values differ (the no-op rule); a conflicting concurrent write is retried on the fresh state.
 * Returns false (after recording a rule error) when the write failed.
 */
export async function writeLinked(db: CrmDatabase, write: LinkedWrite): Promise<boolean> {
  const { collection, id } = write.target;
  try {
    faultOf(db).fault?.(write);
    if ('create' in write) {
      await createLeadBatched(db, write.create);
      return true;
    }
    const target = db[collection] as RxCollection;
    for (let attempt = 1; ; attempt++) {
      const doc = await target.findOne(id).exec();
      if (!doc) throw new Error(`${collection === 'leads' ? 'Lead' : 'Contact'} ${id} does not exist`);
      const current = doc.toJSON() as Record<string, unknown>;
      const changes = Object.fromEntries(
        Object.entries(write.patch).filter(([field, value]) => current[field] !== value),
      );
      if (Object.keys(changes).length === 0) return true;
      try {
        await patchAsEngine(doc, changes);
        return true;
      } catch (error) {
        if (attempt >= 3 || !isConflict(error)) throw error;
      }
    }
  } catch (error) {
    await recordRuleError(db, {
      rule: write.rule,
      trigger: write.trigger,
      target: write.target,
      message: messageOf(error),
      retry:
        'create' in write
          ? { triggerUpdatedAt: write.triggerUpdatedAt, create: write.create }
          : { triggerUpdatedAt: write.triggerUpdatedAt, patch: write.patch },
    });
    return false;
  }
}

export function setLinkedWriteFault(db: CrmDatabase, fault: LinkedWriteFault | null): void {
  faultOf(db).fault = fault;
}
