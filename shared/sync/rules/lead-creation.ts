/** The leads the rules create (R1, R2): their ids, and one bulk insert for the leads of one tick. */
import { autoLeadIdFor, type Lead } from '@shared/schemas';
import type { CrmDatabase } from '../crm-database';
import { perDatabase } from '../per-database';
import { nextUpdatedAt } from '../write-time';
import { asEngineWrite } from './engine-writes';
import { isLeadIdTaken } from './storage-reads';
import { storedKeys } from './stored-keys';

/**
 * Id for a lead the rules create for `contactId`: the deterministic `lead-<contactId>` (two devices create
 * the same lead), unless a document with that id exists already — deleted, or a lead the contact was
 * unlinked from — then `lead-<contactId>-2`, `-3`, …, still deterministic (decision beyond the spec: a
 * deleted lead is not resurrected and an unlinked one is not silently taken back).
 */
export async function freeAutoLeadId(db: CrmDatabase, contactId: string): Promise<string> {
  const base = autoLeadIdFor(contactId);
  for (let attempt = 1; ; attempt++) {
    const candidate = attempt === 1 ? base : `${base}-${attempt}`;
    const taken = storedKeys(db)?.leads.has(candidate) ?? (await isLeadIdTaken(db, candidate));
    if (!taken) return candidate;
  }
}

/**
 * Deletes, without rules, the lead R1 wrote alongside a contact whose own write then failed
 * (lead-alongside.ts), so a failed create leaves nothing behind. Only that very lead: a lead stored under
 * the id by anything else is left alone.
 */
export async function withdrawCreatedLead(db: CrmDatabase, lead: Lead): Promise<void> {
  const stored = await db.leads.findOne(lead.id).exec();
  if (!stored || stored.contactId !== lead.contactId || stored.createdAt !== lead.createdAt) return;
  // A deletion through the save path: the rule hooks and the database layer leave `_deleted` writes alone.
  await stored.incrementalModify((data) => {
    Object.assign(data, {
      _deleted: true,
      updatedAt: nextUpdatedAt(data.updatedAt),
      updatedBy: db.crm.userId,
    });
    return data;
  });
}

type QueuedLead = { lead: Lead; resolve: () => void; reject: (error: unknown) => void };

/** Leads the rules are about to create within the current tick. */
const createQueueOf = perDatabase((): QueuedLead[] => []);

/**
 * Creates a lead as an engine write (each insert attempt carries its own mark). Leads created by the rules within the same tick (e.g. the 5,000 contacts in Lead of one bulkInsert) are
 * inserted with one bulkInsert instead of one transaction each. If the batch is refused as a whole (one
 * document failed its pre-insert check), each lead is retried alone so only the bad one fails.
 */
export function createLeadBatched(db: CrmDatabase, lead: Lead): Promise<void> {
  const queue = createQueueOf(db);
  return new Promise<void>((resolve, reject) => {
    queue.push({ lead, resolve, reject });
    if (queue.length > 1) return;
    queueMicrotask(() => {
      const batch = queue.splice(0);
      void insertLeads(db, batch);
    });
  });
}

/** A refused insert of a batch, with RxDB's `CONFLICT` code when a lead with that id already exists (409). */
function leadNotStored(id: string, status: number): Error {
  return Object.assign(
    new Error(`Lead ${id} not stored (${status})`),
    status === 409 ? { code: 'CONFLICT' } : {},
  );
}

async function insertLeads(db: CrmDatabase, batch: QueuedLead[]): Promise<void> {
  if (batch.length === 1) {
    const [item] = batch as [QueuedLead];
    await db.leads.insert(asEngineWrite({ ...item.lead })).then(() => item.resolve(), item.reject);
    return;
  }
  try {
    const result = await db.leads.bulkInsert(batch.map((item) => asEngineWrite({ ...item.lead })));
    const failed = new Map(result.error.map((error) => [error.documentId, error]));
    for (const item of batch) {
      const error = failed.get(item.lead.id);
      if (error) item.reject(leadNotStored(item.lead.id, error.status));
      else item.resolve();
    }
  } catch {
    await Promise.all(batch.map((item) => insertLeads(db, [item])));
  }
}
