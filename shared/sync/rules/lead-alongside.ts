/**
 * The lead R1 creates for a new contact in Lead is written at the same moment as the contact instead of
 * after it. RxDB's Dexie storage keeps each collection in an IndexedDB database of its own, so the two
 * writes are two transactions, which IndexedDB runs side by side; one after the other they took twice the
 * time of one (bench/README.md, "Local core").
 *
 * The lead's write starts when the contact's storage write starts: after every pre hook accepted the
 * contact (validation, managed fields, email uniqueness), so a refused contact never had a lead written. If
 * the contact's storage write fails all the same (a storage error; its id stored meanwhile by another
 * instance), the lead written alongside is deleted again, without rules. Where the early start does not
 * apply (hooks.ts decides: the stored keys are not loaded, or the id was ever stored — RxDB turns an insert
 * over a deleted document into its resurrection; another write of the same id is in flight; a storage this
 * wrapper does not wrap), the contact's post hook writes the lead after the contact, as before.
 */
import type { RxStorage, RxStorageInstance } from 'rxdb';
import { adaptingEachInstance } from '../storage-instances';
import { handoffOf } from './write-handoff';

/** The lead of one contact insert, to be written alongside it. */
export type LeadAlongside = {
  contactId: string;
  /** Writes the lead (its failure is in the rule-error log): true when it is stored. */
  write: () => Promise<boolean>;
  /** After the contact's write failed: deletes the lead again (if it was stored) and ends the write's email reservations. */
  withdraw: () => Promise<void>;
  /** Set when the contact's storage write started the lead's; its post hook waits for this. */
  written: Promise<boolean> | null;
};

/** Wraps the app's storage so that the `contacts` instance starts the leads planned alongside its inserts. */
export function withLeadsAlongsideContacts<Internals, Options>(
  storage: RxStorage<Internals, Options>,
): RxStorage<Internals, Options> {
  return adaptingEachInstance(storage, (instance, params) => {
    if (params.collectionName === 'contacts') startLeadsAlongside(instance);
  });
}

function startLeadsAlongside<Doc, Internals, Options>(instance: RxStorageInstance<Doc, Internals, Options>) {
  const storeContacts = instance.bulkWrite.bind(instance);
  /** Contacts whose lead is being written alongside (a second insert of the same id waits for its post hook). */
  const inFlight = new Set<string>();
  instance.bulkWrite = async (rows, context) => {
    const started: LeadAlongside[] = [];
    for (const row of rows) {
      const alongside = row.previous ? undefined : handoffOf(row.document)?.leadAlongside;
      if (!alongside || alongside.written || inFlight.has(alongside.contactId)) continue;
      inFlight.add(alongside.contactId);
      alongside.written = alongside.write();
      started.push(alongside);
    }
    if (started.length === 0) return storeContacts(rows, context);
    try {
      const result = await storeContacts(rows, context);
      const refused = new Set(result.error.map((error) => error.documentId));
      for (const alongside of started) if (refused.has(alongside.contactId)) withdraw(alongside);
      return result;
    } catch (error) {
      for (const alongside of started) withdraw(alongside);
      throw error;
    } finally {
      for (const alongside of started) inFlight.delete(alongside.contactId);
    }
  };
}

function withdraw(alongside: LeadAlongside): void {
  void alongside.written?.then(() => alongside.withdraw());
}
