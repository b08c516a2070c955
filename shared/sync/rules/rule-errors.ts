import type { RuleId } from '@shared/schemas';
import { map, type Observable } from 'rxjs';
import { v7 as uuidv7 } from 'uuid';
import type { CrmDatabase } from '../database';

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

/**
 * The log lives in one RxDB local document: local-only (never replicated) and observable, and it does not
 * take one of the 16 collections the open-source RxDB allows per JavaScript realm.
 */
const LOG_ID = 'fieldbook-rule-errors';
/** Oldest entries are dropped beyond this; the reconciler repairs the pairs anyway. */
const MAX_ENTRIES = 500;

type LogData = { entries: RuleError[] };

/** Appends are serialized per database so concurrent failures never overwrite each other. */
const appendQueues = new WeakMap<CrmDatabase, Promise<unknown>>();

function enqueue<T>(db: CrmDatabase, task: () => Promise<T>): Promise<T> {
  const previous = appendQueues.get(db) ?? Promise.resolve();
  const next = previous.then(task, task);
  appendQueues.set(
    db,
    next.catch(() => undefined),
  );
  return next;
}

async function readEntries(db: CrmDatabase): Promise<RuleError[]> {
  const doc = await db.getLocal<LogData>(LOG_ID);
  return doc ? [...doc.get('entries')] : [];
}

export function recordRuleError(db: CrmDatabase, error: Omit<RuleError, 'id' | 'at'>): Promise<void> {
  return enqueue(db, async () => {
    // The same failure again (e.g. each reconcile after every sync) replaces its entry instead of piling up.
    const entries = (await readEntries(db)).filter(
      (entry) =>
        entry.rule !== error.rule ||
        entry.trigger.id !== error.trigger.id ||
        entry.target.id !== error.target.id ||
        entry.message !== error.message,
    );
    entries.push({ id: uuidv7(), at: Date.now(), ...error });
    await db.upsertLocal<LogData>(LOG_ID, { entries: entries.slice(-MAX_ENTRIES) });
  });
}

/** The rule-error log, oldest first; emits on every change. */
export function ruleErrors$(db: CrmDatabase): Observable<RuleError[]> {
  return db.getLocal$<LogData>(LOG_ID).pipe(map((doc) => (doc ? (doc.get('entries') as RuleError[]) : [])));
}

export function getRuleErrors(db: CrmDatabase): Promise<RuleError[]> {
  return enqueue(db, () => readEntries(db));
}

/** Drops the given entries (e.g. failures `reconcile` has retried successfully). */
export function removeRuleErrors(db: CrmDatabase, ids: ReadonlySet<string>): Promise<void> {
  if (ids.size === 0) return Promise.resolve();
  return enqueue(db, async () => {
    const entries = await readEntries(db);
    await db.upsertLocal<LogData>(LOG_ID, { entries: entries.filter((entry) => !ids.has(entry.id)) });
  });
}

/** Empties the log (e.g. after the user has read it, or after `reconcile` repaired the pairs). */
export function clearRuleErrors(db: CrmDatabase): Promise<void> {
  return enqueue(db, async () => {
    await db.upsertLocal<LogData>(LOG_ID, { entries: [] });
  });
}
