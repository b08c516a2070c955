/**
 * The writes the rules make to a linked document. They are engine writes (engine-writes.ts): they pass
 * through the hooks (validation, `updatedAt`/`updatedBy`, email uniqueness) but do not trigger rules again.
 * A failure is recorded in the rule-error log and never reaches the caller of the user's write (docs/link-rules.md).
 */

import type { Contact, Lead, RuleId } from '@shared/schemas';
import type { RxCollection } from 'rxdb';
import type { CrmDatabase } from '../crm-database';
import { isCrmValidationError, messageOf } from '../errors';
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
      try {
        await createLeadBatched(db, write.create);
      } catch (error) {
        // A lead's id is derived from its contact, so a lead already stored under it is this very lead,
        // created on another device and arrived by replication meanwhile: done, not a rule error
        // (reconcile's next pass plans with it).
        if (!isConflict(error)) throw error;
      }
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
      message: failureInWords(write, error),
      retry:
        'create' in write
          ? { triggerUpdatedAt: write.triggerUpdatedAt, create: write.create }
          : { triggerUpdatedAt: write.triggerUpdatedAt, patch: write.patch },
    });
    return false;
  }
}

/** What went wrong with a linked write, for the rule-error list: which record and what happens next, no library dump. */
function failureInWords(write: LinkedWrite, error: unknown): string {
  const record = `${write.target.collection === 'leads' ? 'Lead' : 'Contact'} ${write.target.id}`;
  if (isCrmValidationError(error)) return `${record} could not be saved: ${error.message}.`;
  if (isConflict(error)) {
    return `${record} was being changed by another write at the same moment; it is repaired at the next sync.`;
  }
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string') {
    return `${record} could not be saved (storage error ${code}); it is tried again at the next sync.`;
  }
  return `${record} could not be saved: ${messageOf(error)}`;
}

export function setLinkedWriteFault(db: CrmDatabase, fault: LinkedWriteFault | null): void {
  faultOf(db).fault = fault;
}
