/**
 * Rule work still running after the write that started it: post hooks of incremental writes (RxDB does not
 * wait for them) and the delayed audit flush. Tracked so `whenRulesSettled` and `db.close()` can wait.
 */
import type { CrmDatabase } from '../crm-database';
import { perDatabase } from '../per-database';

type TrackedWork = {
  done: Promise<void>;
  /** Asks delayed work to start now (e.g. the audit flush waiting for more entries). */
  hurry?: () => void;
};

const inFlightOf = perDatabase(() => new Set<TrackedWork>());

/** Keeps `work` observable until it ends; `hurry`, if given, is called by `whenRulesSettled`. */
export function track(db: CrmDatabase, work: Promise<void>, hurry?: () => void): Promise<void> {
  const inFlight = inFlightOf(db);
  const tracked: TrackedWork = { done: work.finally(() => inFlight.delete(tracked)), hurry };
  inFlight.add(tracked);
  return tracked.done;
}

/**
 * Resolves when every rule started so far has written its linked document and audit entries. Needed only
 * after `incrementalPatch`/`incrementalModify`/`incrementalRemove`, whose promises RxDB resolves before
 * the post hooks finish; `insert`, `patch`, `modify` and `remove` already wait for them.
 */
export async function whenRulesSettled(db: CrmDatabase): Promise<void> {
  const inFlight = inFlightOf(db);
  while (inFlight.size > 0) {
    const pending = [...inFlight];
    for (const work of pending) work.hurry?.();
    await Promise.all(pending.map((work) => work.done));
  }
}

/**
 * Resolves when the rule work running now, other than delayed work (work with a `hurry`: the audit flush),
 * has ended: the linked writes and leads of the user writes made so far. The audit flush waits for them,
 * because the user's promise waits for those writes and not for the audit entries, and IndexedDB runs an
 * origin's transactions largely one after another.
 */
export async function whenPromptWorkSettled(db: CrmDatabase): Promise<void> {
  const prompt = [...inFlightOf(db)].filter((work) => !work.hurry);
  await Promise.all(prompt.map((work) => work.done));
}
