import type { Queryable } from '../db';

/** NOTIFY channel of committed changes; payload = JSON ChangeNotification. */
export const CHANGES_CHANNEL = 'fieldbook_changes';

/**
 * `since`: the collection's newest seq before this write (pushes only; see StreamEvent). `origin`: the one
 * device that wrote every document of it, when there is one (pushes only). `documents`: what it wrote,
 * when small enough to travel in the notification (pushes only).
 */
export type ChangeNotification = {
  tenantId: string;
  collection: string;
  seq: number;
  since?: number;
  origin?: string | null;
  documents?: { seq: number; origin: string | null; doc: Record<string, unknown> }[] | null;
};

/*
 * Why a pull by `seq > checkpoint` never skips a write that commits late
 * ----------------------------------------------------------------------
 * A global sequence (nextval) hands out numbers at write time, not at commit time: transaction A takes 10,
 * B takes 11 and commits first, a client pulls and moves its checkpoint to 11, then A commits 10 — and the
 * client never sees it. Here each tenant's counter lives in its `tenants` row, and a writing transaction
 * locks that row (`SELECT … FOR UPDATE`, or `UPDATE … RETURNING`) BEFORE it reads anything and keeps the lock
 * until COMMIT. So writes of one tenant commit strictly one after the other, in the order of their numbers:
 * while a transaction holds numbers, every number handed out before is already committed and every later
 * one will be greater than its own. A reader therefore sees a prefix of the sequence, and a checkpoint
 * never passes an uncommitted number. Locking first also means the conflict check reads the current state
 * under the lock (READ COMMITTED takes a fresh snapshot per statement), so two pushes of one document cannot
 * both win. Different tenants never wait for each other.
 */

/** Locks the tenant's sequence for the rest of the transaction; returns its last used number (null: no tenant). */
export async function lockTenantSequence(tx: Queryable, tenantId: string): Promise<number | null> {
  // Prepared: it opens every push transaction (see Queryable's `prepared`).
  const [row] = await tx.query<{ seq: string | number }>(
    'SELECT seq FROM tenants WHERE id = $1 FOR UPDATE',
    [tenantId],
    { prepared: 'fieldbook_lock_tenant' },
  );
  return row ? Number(row.seq) : null;
}

/** Takes `count` numbers at once (locking the tenant's row until commit); returns the first of them. */
export async function allocateSeq(tx: Queryable, tenantId: string, count: number): Promise<number> {
  const [row] = await tx.query<{ seq: string | number }>(
    'UPDATE tenants SET seq = seq + $2 WHERE id = $1 RETURNING seq',
    [tenantId, count],
  );
  if (!row) throw new Error(`Unknown tenant ${tenantId}`);
  return Number(row.seq) - count + 1;
}
