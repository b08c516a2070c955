import { autoLeadIdFor, type Contact } from '@shared/schemas';
import { type CrmDatabase, createCrmDatabase, crmStorage, whenRulesSettled } from '@shared/sync';
import { StorageOperationLog } from '@testing/storage-operations';
import { contactInput } from './documents';
import { dropRawDatabase, openRawDatabase } from './raw-dexie';

let databaseCounter = 0;
export function uniqueName(purpose: string): string {
  databaseCounter += 1;
  return `bench-${purpose}-${Date.now().toString(36)}-${databaseCounter}`;
}

type Doc = Record<string, unknown>;
const plain = (doc: { toMutableJSON(): unknown }) => doc.toMutableJSON() as Doc;

/** The lead the rules would create, for the floor when the rules did not create one (rules not installed). */
function leadLike(contact: Doc): Doc {
  return {
    ...contact,
    id: autoLeadIdFor(contact.id as string),
    contactId: contact.id,
    status: 'New',
    priority: 'Medium',
    value: null,
    position: 'a0',
    autoCreatedFromContact: true,
    isConvertedToContact: false,
  };
}

async function storedPairs(db: CrmDatabase): Promise<{ contacts: Doc[]; leads: Doc[]; activities: number }> {
  const contacts = (await db.contacts.find().exec()).map(plain);
  const leads = (await db.leads.find().exec()).map(plain);
  const activities = await db.activities.count().exec();
  return { contacts, leads, activities };
}

/**
 * A database whose storage calls are counted and timed (StorageOperationLog), so a run tells where the
 * time of a write goes: which calls, how many, and how long each kind took in sum (they overlap).
 */
async function countedDatabase(purpose: string) {
  const storageLog = new StorageOperationLog();
  const db = await createCrmDatabase({
    name: uniqueName(purpose),
    userId: 'bench',
    storage: storageLog.wrap(crmStorage()),
  });
  return { db, storageLog };
}

export type LocalCreateRun = {
  /** Storage calls of the timed creates: `collection.method: calls, documents, ms`, one per line. */
  breakdown: string;
  appMs: number[];
  floorMs: number[];
  contacts: number;
  leadsCreated: number;
  linkedContacts: number;
  activities: number;
};

/**
 * (Issue 3) One `db.contacts.insert` of a contact in status Lead: with the rules installed this writes the
 * contact, its auto-created lead and the link (and audit entries) before the promise resolves. Floor: two raw
 * Dexie puts of the same stored contact and lead, one after the other, as a minimal app would write them.
 */
export async function localCreate(options: { count: number; warmup: number }): Promise<LocalCreateRun> {
  const { db, storageLog } = await countedDatabase('create');
  const prefix = uniqueName('c');
  const appMs: number[] = [];
  try {
    for (let index = 0; index < options.warmup + options.count; index++) {
      if (index === options.warmup) storageLog.reset();
      const input = contactInput(prefix, index, 'Lead');
      const started = performance.now();
      // The cast stands for "defaults filled by the database layer" (docs/documents.md), as in the app's forms.
      await db.contacts.insert(input as Contact);
      const elapsed = performance.now() - started;
      if (index >= options.warmup) appMs.push(elapsed);
    }
    const breakdown = storageLog.describe();
    const { contacts, leads, activities } = await storedPairs(db);
    const leadById = new Map(leads.map((lead) => [lead.id as string, lead]));
    const raw = await openRawDatabase(uniqueName('raw-create'));
    const floorMs: number[] = [];
    try {
      for (const [index, contact] of contacts.entries()) {
        const lead = leadById.get(contact.leadId as string) ?? leadLike(contact);
        const started = performance.now();
        await raw.contacts.put(contact);
        await raw.leads.put(lead);
        const elapsed = performance.now() - started;
        if (index >= options.warmup) floorMs.push(elapsed);
      }
    } finally {
      await dropRawDatabase(raw);
    }
    return {
      breakdown,
      appMs,
      floorMs,
      contacts: contacts.length,
      leadsCreated: leads.length,
      linkedContacts: contacts.filter((contact) => contact.leadId !== '').length,
      activities,
    };
  } finally {
    await db.remove();
  }
}

export type BulkInsertRun = {
  /** Storage calls of the timed bulk insert and the rule work it started (see LocalCreateRun). */
  breakdown: string;
  appMs: number;
  floorMs: number;
  contacts: number;
  leadsCreated: number;
  activities: number;
  errors: number;
};

/**
 * (Issue 3) `bulkInsert` of N contacts, every second one in status Lead (the rules create N/2 leads).
 * Floor: raw Dexie `bulkPut` of the same stored contacts and leads.
 */
export async function bulkInsert(options: { count: number }): Promise<BulkInsertRun> {
  const { db, storageLog } = await countedDatabase('bulk');
  const prefix = uniqueName('b');
  try {
    const inputs = Array.from({ length: options.count }, (_, index) =>
      contactInput(prefix, index, index % 2 === 0 ? 'Lead' : 'Prospect'),
    );
    storageLog.reset();
    const started = performance.now();
    const result = await db.contacts.bulkInsert(inputs as Contact[]);
    const appMs = performance.now() - started;
    await whenRulesSettled(db);
    const breakdown = storageLog.describe();
    if (result.error.length > 0) {
      throw new Error(
        `bulkInsert refused ${result.error.length} documents; first: ${JSON.stringify(result.error[0])}`,
      );
    }
    const { contacts, leads, activities } = await storedPairs(db);
    const raw = await openRawDatabase(uniqueName('raw-bulk'));
    try {
      const floorStarted = performance.now();
      await raw.contacts.bulkPut(contacts);
      await raw.leads.bulkPut(
        leads.length > 0 ? leads : contacts.filter((c) => c.status === 'Lead').map(leadLike),
      );
      const floorMs = performance.now() - floorStarted;
      return {
        breakdown,
        appMs,
        floorMs,
        contacts: contacts.length,
        leadsCreated: leads.length,
        activities,
        errors: 0,
      };
    } finally {
      await dropRawDatabase(raw);
    }
  } finally {
    await db.remove();
  }
}
