import type { ClientWritableCollection } from '@shared/schemas';
import type { Storage } from '../db';
import {
  lockedTenantSeq,
  type PushInput,
  type PushOutcome,
  type PushRow,
  pushDocuments,
  pushInput,
  pushStatement,
} from './repository';

/** Rows of one collection written by one statement of a group (the rest goes to the next statement). */
const maxRowsPerStatement = 2000;

type QueuedPush = {
  collection: ClientWritableCollection;
  rows: readonly PushRow[];
  resolve(outcome: PushOutcome): void;
  reject(error: unknown): void;
};

/** One PUSH_SQL statement of a group: the pushes of one collection it writes, their ids unique. */
type Statement = { collection: ClientWritableCollection; pushes: number[]; ids: Set<string>; rows: number };

/**
 * Group commit of the pushes of one tenant (issue 9). A tenant's writes are serialized anyway (its sequence
 * row is locked until commit, see sequence.ts), and each transaction costs the same fixed round trips
 * (BEGIN, lock, COMMIT) and, on PGlite, a trip into its single WASM thread per statement. So while one
 * transaction of a tenant runs, the pushes that arrive for it wait and are then written together: ONE
 * transaction, the lock taken once, one statement per collection for all their rows (in arrival order, so
 * seqs follow it). A push arriving when nothing runs starts at once: no added latency.
 *
 * Each push's answer is its own: its accepted revisions and conflicts are picked by id. Two pushes of one
 * document in one group go to successive statements, so the second meets the first's write as a conflict,
 * exactly as if they had come one after the other. If the group's transaction fails (e.g. the database
 * refuses a row), nothing of it was committed and each push is applied again on its own through
 * `pushDocuments`, with its row-by-row rejection: per-row semantics are those of a push alone.
 *
 * The grouping is per server process; several processes still serialize on the tenant's lock.
 */
export class PushGroups {
  private readonly waiting = new Map<string, QueuedPush[]>();

  constructor(private readonly storage: Storage) {}

  push(
    tenantId: string,
    collection: ClientWritableCollection,
    rows: readonly PushRow[],
  ): Promise<PushOutcome> {
    return new Promise((resolve, reject) => {
      const queued: QueuedPush = { collection, rows, resolve, reject };
      const queue = this.waiting.get(tenantId);
      if (queue) {
        queue.push(queued);
        return;
      }
      this.waiting.set(tenantId, [queued]);
      void this.drain(tenantId);
    });
  }

  /** Writes the tenant's waiting pushes group by group until none is left. */
  private async drain(tenantId: string): Promise<void> {
    for (;;) {
      const group = this.waiting.get(tenantId) ?? [];
      if (group.length === 0) {
        this.waiting.delete(tenantId);
        return;
      }
      this.waiting.set(tenantId, []);
      await this.write(tenantId, group);
    }
  }

  private async write(tenantId: string, group: QueuedPush[]): Promise<void> {
    if (group.length > 1) {
      try {
        const outcomes = await this.writeTogether(tenantId, group);
        for (const [index, push] of group.entries()) push.resolve(outcomes[index]!);
        return;
      } catch {
        // Nothing of the group was committed: each push alone below, which reports its own errors.
      }
    }
    for (const push of group) {
      await pushDocuments(this.storage, tenantId, push.collection, push.rows).then(push.resolve, push.reject);
    }
  }

  private writeTogether(tenantId: string, group: QueuedPush[]): Promise<PushOutcome[]> {
    return this.storage.transaction(async (tx) => {
      let seq = await lockedTenantSeq(tx, tenantId);
      const outcomes: PushOutcome[] = group.map(() => ({
        conflicts: [],
        accepted: [],
        rejected: [],
        lastSeq: null,
      }));
      for (const statement of statementsOf(group)) {
        const input: PushInput[] = [];
        const owner = new Map<string, number>();
        for (const index of statement.pushes) {
          for (const row of group[index]!.rows) {
            owner.set(row.document.id, index);
            input.push(pushInput(row, input.length));
          }
        }
        const result = await pushStatement(tx, tenantId, statement.collection, input, seq);
        if (result.lastSeq !== null) seq = result.lastSeq;
        for (const revision of result.accepted) {
          const outcome = outcomes[owner.get(revision.id)!]!;
          outcome.accepted.push(revision);
          outcome.lastSeq = revision.serverRev;
        }
        for (const conflict of result.conflicts) outcomes[owner.get(conflict.id)!]!.conflicts.push(conflict);
      }
      return outcomes;
    });
  }
}

/** Splits a group into statements: per collection, ids unique within one, at most maxRowsPerStatement rows. */
function statementsOf(group: readonly QueuedPush[]): Statement[] {
  const statements: Statement[] = [];
  group.forEach((push, index) => {
    const ids = push.rows.map((row) => row.document.id);
    // Only the collection's latest statement may take it: a push sharing an id with an earlier push must
    // be written after it.
    const last = statements.findLast((statement) => statement.collection === push.collection);
    const fits =
      last && last.rows + ids.length <= maxRowsPerStatement && ids.every((id) => !last.ids.has(id));
    if (fits) {
      last.pushes.push(index);
      last.rows += ids.length;
      for (const id of ids) last.ids.add(id);
    } else {
      statements.push({ collection: push.collection, pushes: [index], ids: new Set(ids), rows: ids.length });
    }
  });
  return statements;
}
