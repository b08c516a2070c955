import { map, type Observable } from 'rxjs';
import { v7 as uuidv7 } from 'uuid';
import type { RuleId } from '../../schemas';
import type { CrmDatabase } from '../database';

export type RuleErrorTarget = { collection: 'contacts' | 'leads'; id: string };

/** A rule that could not be applied to the linked document; the user's own write was kept (SPEC §3.4). */
export type RuleError = {
  id: string;
  at: number;
  rule: RuleId;
  /** The document whose local write triggered the rule (for `reconcile`: the pair's other document). */
  trigger: RuleErrorTarget;
  /** The linked document the rule failed to write. */
  target: RuleErrorTarget;
  message: string;
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
    const entries = await readEntries(db);
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

/** Empties the log (e.g. after the user has read it, or after `reconcile` repaired the pairs). */
export function clearRuleErrors(db: CrmDatabase): Promise<void> {
  return enqueue(db, async () => {
    await db.upsertLocal<LogData>(LOG_ID, { entries: [] });
  });
}
