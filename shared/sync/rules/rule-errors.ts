import type { RuleId } from '@shared/schemas';
import type { Observable } from 'rxjs';
import { v7 as uuidv7 } from 'uuid';
import type { CrmDatabase } from '../crm-database';
import { localList } from '../local-list';

export type RuleErrorTarget = { collection: 'contacts' | 'leads'; id: string };

/** A rule that could not be applied to the linked document; the user's own write was kept (docs/link-rules.md). */
export type RuleError = {
  id: string;
  at: number;
  rule: RuleId;
  /** The document whose local write triggered the rule (for `reconcile`: the pair's other document). */
  trigger: RuleErrorTarget;
  /** The linked document the rule failed to write. */
  target: RuleErrorTarget;
  message: string;
  /**
   * What the failed write meant to do, so `reconcile` can retry it while neither document has changed
   * since (the trigger still at `triggerUpdatedAt`, the target not written after `at`).
   */
  retry?: { triggerUpdatedAt: number; patch?: Record<string, unknown>; create?: Record<string, unknown> };
};

/** Oldest entries are dropped beyond this; the reconciler repairs the pairs anyway. */
const MAX_ENTRIES = 500;

const ruleErrorLog = (db: CrmDatabase) => localList<RuleError>(db, 'rule-errors', { maxItems: MAX_ENTRIES });

export function recordRuleError(db: CrmDatabase, error: Omit<RuleError, 'id' | 'at'>): Promise<void> {
  // The same failure again (e.g. each reconcile after every sync) replaces its entry instead of piling up.
  return ruleErrorLog(db).add(
    { id: uuidv7(), at: Date.now(), ...error },
    (entry) =>
      entry.rule === error.rule &&
      entry.trigger.id === error.trigger.id &&
      entry.target.id === error.target.id &&
      entry.message === error.message,
  );
}

/** The rule-error log, oldest first; emits on every change. */
export function ruleErrors$(db: CrmDatabase): Observable<RuleError[]> {
  return ruleErrorLog(db).items$;
}

export function getRuleErrors(db: CrmDatabase): Promise<RuleError[]> {
  return ruleErrorLog(db).all();
}

/** The user dismisses one entry. */
export function dismissRuleError(db: CrmDatabase, id: string): Promise<void> {
  return ruleErrorLog(db).remove([id]);
}

/** Drops the given entries (failures `reconcile` has retried, or found superseded). */
export function removeRuleErrors(db: CrmDatabase, ids: Iterable<string>): Promise<void> {
  return ruleErrorLog(db).remove(ids);
}

/** Empties the log (e.g. after the user has read it, or after `reconcile` repaired the pairs). */
export function clearRuleErrors(db: CrmDatabase): Promise<void> {
  return ruleErrorLog(db).clear();
}
