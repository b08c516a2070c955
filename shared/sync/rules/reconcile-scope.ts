/**
 * What one reconcile pass looks at (docs/replication.md, "After a round"): the contacts and leads written
 * since the last pass — replicated, merged, local or the reconciler's own writes, all of which reach the
 * collections' storage change feed — plus the pairs of the rule-error log, and the documents linked to
 * those. A pass then reads documents in proportion to what changed, not to the size of the database, at
 * start-up as after a sync round.
 *
 * Why that is enough: after a pass every pair it looked at holds I1–I4 (or its failure is in the
 * rule-error log, which the next pass looks at again), and a pair nobody wrote since cannot break. A
 * broken pair therefore always has a document in the change feed since the stored checkpoint.
 *
 * The full scan of every linked pair is kept for the first pass of a database without a checkpoint
 * (a new database, or one from a version before the checkpoint), for a change feed longer than
 * `maxChangedDocuments` (a fresh device's first sync: there the scan is cheaper than a lookup per
 * document), and for the user's "Check data" in Settings.
 */
import type { Contact, Lead } from '@shared/schemas';
import { changeFeed, type StoredDocument, withoutStorageFields } from '../change-feed';
import type { CrmDatabase } from '../crm-database';
import { repairMergeCycles } from '../duplicates/merge-cycles';
import { loadLinkedDocuments } from './invariants';
import type { RuleError } from './rule-errors';
import { documentsPointingAt, type LinkedCollection, storedMergedAway } from './storage-reads';

export type LinkedDocuments = { contacts: Map<string, Contact>; leads: Map<string, Lead> };

export type ReconcileScope = LinkedDocuments & {
  /** Documents the pass looked at (what "Check data" reports). */
  checked: number;
  /** Reads the same documents again, after the pass's writes. */
  reload(): Promise<LinkedDocuments>;
  /** Stores the feed position this scope was read up to: the next pass starts there. */
  commit(): Promise<void>;
};

/** Local document holding the feed positions up to which reconcile has looked. */
const CHECKPOINT_DOCUMENT = 'reconcile-checkpoint';
/**
 * Beyond this many changed contacts and leads, a pass reads every linked pair instead (two indexed range
 * queries) rather than one reverse lookup per changed document.
 */
export const maxChangedDocuments = 2000;

/** The scope of a pass: what changed since the checkpoint, or every linked pair when `everything`. */
export async function loadScope(
  db: CrmDatabase,
  { everything, ruleErrors }: { everything: boolean; ruleErrors: readonly RuleError[] },
): Promise<ReconcileScope> {
  const feed = changeFeed(db, CHECKPOINT_DOCUMENT, ['contacts', 'leads'] as const);
  let changes = everything ? null : await feed.changes(maxChangedDocuments);
  // Opposite survivors merged on two devices at once leave a `mergedInto` cycle of tombstones, whose
  // survivor is revived with its link (merge-cycles.ts). Revived first: a reference to a member is that
  // link, which the repair below would clear as a reference to a deleted document, leaving the survivor
  // revived unlinked (the sync round runs reconcile before duplicate detection, which repairs cycles too).
  if (changes && hasMergedAway(changes.documents) && (await repairMergeCycles(db, changes.documents)) > 0)
    changes = await feed.changes(maxChangedDocuments);
  if (changes) {
    const changed = changes.documents;
    const touched = {
      contacts: changed.contacts.map((document) => document.id),
      leads: changed.leads.map((document) => document.id),
    };
    for (const entry of ruleErrors) {
      for (const side of [entry.trigger, entry.target]) touched[side.collection].push(side.id);
    }
    const linked = await loadAround(db, changed, touched);
    return {
      ...linked,
      checked: linked.contacts.size + linked.leads.size,
      reload: () => loadAround(db, { contacts: [], leads: [] }, touched),
      commit: () => feed.commit(changes.checkpoints),
    };
  }
  const checkpoints = feed.startingNow();
  // The full pass (a long feed after days offline, when opposite merges are likeliest, or "Check data")
  // revives cycle survivors first too, from every merged-away tombstone.
  const [mergedContacts, mergedLeads] = await Promise.all([
    storedMergedAway(db, 'contacts'),
    storedMergedAway(db, 'leads'),
  ]);
  await repairMergeCycles(db, { contacts: mergedContacts, leads: mergedLeads });
  const linked = await loadLinkedDocuments(db);
  return {
    ...linked,
    checked: linked.contacts.size + linked.leads.size,
    reload: () => loadLinkedDocuments(db),
    commit: () => feed.commit(checkpoints),
  };
}

/**
 * The live documents among `changed`, the ones pointing at the `touched` ids, and, transitively, the
 * documents all of those point at. Reverse lookups are needed for touched documents only: an untouched
 * document held I1 at the last pass, so an untouched document pointing at it is its partner, which it
 * points back at.
 */
async function loadAround(
  db: CrmDatabase,
  changed: { contacts: StoredDocument[]; leads: StoredDocument[] },
  touched: Record<LinkedCollection, string[]>,
): Promise<LinkedDocuments> {
  const contacts = new Map<string, Contact>();
  const leads = new Map<string, Lead>();
  const seen = { contacts: new Set<string>(), leads: new Set<string>() };
  const take = (collection: LinkedCollection, documents: StoredDocument[]) => {
    for (const document of documents) {
      seen[collection].add(document.id);
      if (document._deleted) continue;
      const plain = withoutStorageFields(document);
      if (collection === 'contacts') contacts.set(document.id, plain as Contact);
      else leads.set(document.id, plain as Lead);
    }
  };
  take('contacts', changed.contacts);
  take('leads', changed.leads);
  const [leadsPointing, contactsPointing] = await Promise.all([
    documentsPointingAt(db, 'leads', 'contactId', unique(touched.contacts)),
    documentsPointingAt(db, 'contacts', 'leadId', unique(touched.leads)),
  ]);
  take('leads', leadsPointing as StoredDocument[]);
  take('contacts', contactsPointing as StoredDocument[]);

  // Touched ids not read yet (from the log), then whatever the documents read so far point at.
  const unread = () => ({
    contacts: unique([...touched.contacts, ...[...leads.values()].map((lead) => lead.contactId)]).filter(
      (id) => id && !seen.contacts.has(id),
    ),
    leads: unique([...touched.leads, ...[...contacts.values()].map((contact) => contact.leadId)]).filter(
      (id) => id && !seen.leads.has(id),
    ),
  });
  for (let wanted = unread(); wanted.contacts.length + wanted.leads.length > 0; wanted = unread()) {
    const [contactDocs, leadDocs] = await Promise.all([
      wanted.contacts.length ? db.contacts.storageInstance.findDocumentsById(wanted.contacts, false) : [],
      wanted.leads.length ? db.leads.storageInstance.findDocumentsById(wanted.leads, false) : [],
    ]);
    for (const id of wanted.contacts) seen.contacts.add(id);
    for (const id of wanted.leads) seen.leads.add(id);
    take('contacts', contactDocs as unknown as StoredDocument[]);
    take('leads', leadDocs as unknown as StoredDocument[]);
  }
  return { contacts, leads };
}

const unique = (ids: string[]) => [...new Set(ids)];

const hasMergedAway = (documents: Record<LinkedCollection, StoredDocument[]>) =>
  Object.values(documents).some((each) => each.some((document) => document._deleted && document.mergedInto));
