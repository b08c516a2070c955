import type { LeadStatus } from '@shared/schemas';
import type { CrmDatabase } from '@shared/sync';
import type { PositionPatch } from './board';

export type LeadMove = {
  leadId: string;
  status: LeadStatus;
  /** From `planPositions`: the moved card's patch first, then neighbours that need a key. */
  positions: PositionPatch[];
};

/**
 * Writes a Kanban move locally: status and position of the moved lead in one write (the rules in
 * shared/sync then move the linked contact), then keys for neighbours that did not have a usable one.
 * Rejects with the database's error (validation, missing lead) so the board can show it. `onStored` is
 * called once the lead's own write is stored (before the rules' writes that follow it).
 */
export async function moveLead(
  db: CrmDatabase,
  move: LeadMove,
  { onStored }: { onStored?: () => void } = {},
): Promise<void> {
  const [own, ...neighbours] = move.positions;
  if (!own || own.id !== move.leadId) throw new Error('A move needs the moved lead’s own position first');
  // Read by bench/ from the performance timeline: when the lead's own write was stored (its storage
  // change event follows the committed transaction), and when the move resolved (after the link rules'
  // writes that follow it).
  const started = performance.now();
  const stored = db.leads.storageInstance.changeStream().subscribe((bulk) => {
    if (!bulk.events.some((event) => event.documentId === move.leadId)) return;
    performance.measure('fieldbook:pipeline-move-stored', { start: started, end: performance.now() });
    stored.unsubscribe();
    onStored?.();
  });
  try {
    const lead = await db.leads.findOne(move.leadId).exec();
    if (!lead) throw new Error('This lead no longer exists (it may have been deleted on another device).');
    await lead.incrementalPatch({ status: move.status, position: own.position });
  } finally {
    stored.unsubscribe();
  }
  performance.measure('fieldbook:pipeline-move', { start: started, end: performance.now() });
  for (const neighbour of neighbours) {
    const doc = await db.leads.findOne(neighbour.id).exec();
    // A neighbour deleted meanwhile needs no key; every other failure surfaces to the caller.
    await doc?.incrementalPatch({ position: neighbour.position });
  }
}
