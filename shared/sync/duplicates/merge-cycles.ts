/**
 * Merges that chose opposite survivors at the same moment (docs/duplicates.md, "Convergence"): device A
 * merges Y into X while device B merges X into Y. A deletion wins every conflict, so after sync both are
 * deleted, each `mergedInto` the other. Every device that sees such a cycle among the tombstones revives
 * the same record, chosen by the rule of the merge dialog's default (the older record, then the smaller
 * id), with the same values: computed only from the synced tombstones, so the devices write the same
 * states and their writes merge like any two equal edits.
 */
import { type Contact, isOpenLeadStatus, type Lead } from '@shared/schemas';
import type { RxCollection } from 'rxdb';
import { type StoredDocument, withoutStorageFields } from '../change-feed';
import type { CrmDatabase } from '../crm-database';
import { bulkInsertKeepingTimes } from '../database';
import { localList } from '../local-list';
import { asEngineWrite, patchAsEngine } from '../rules/engine-writes';
import { mappedValuesOfContact } from '../rules/mapping';
import {
  type DuplicateCandidate,
  type DuplicateCollection,
  defaultMergeValues,
  defaultSurvivor,
  mergeableFields,
} from './pairs';

type Tombstone = DuplicateCandidate & StoredDocument;

/**
 * The merges this device made (`<collection>:<merged-away id>`), kept locally. When two devices chose
 * opposite survivors, only the one that merged away the record now revived moves the entries its merge
 * had moved (below): two devices writing one document at the same moment is what a repair must not cause.
 */
export const ownMerges = (db: CrmDatabase) =>
  localList<{ id: string; survivorId: string; at: number }>(db, 'own-merges', { maxItems: 200 });

/** How many `mergedInto` steps are followed (longer chains are not looked at: bad data, not a race). */
const MAX_HOPS = 8;

const TIMELINE_ID = { contacts: 'contactId', leads: 'leadId' } as const;
const LINK = { contacts: 'leadId', leads: 'contactId' } as const;

type Cycle = { collection: DuplicateCollection; members: Tombstone[]; survivor: Tombstone };

async function storedById(db: CrmDatabase, collection: DuplicateCollection, id: string) {
  const storage = (db[collection] as unknown as RxCollection).storageInstance;
  const [stored] = (await storage.findDocumentsById([id], true)) as unknown as Tombstone[];
  return stored;
}

/** The cycle of tombstones `start`'s `mergedInto` chain runs into, or null when the chain ends. */
async function cycleFrom(
  db: CrmDatabase,
  collection: DuplicateCollection,
  start: Tombstone,
): Promise<Tombstone[] | null> {
  const path = [start];
  for (let hop = 0; hop < MAX_HOPS; hop++) {
    const current = path.at(-1) as Tombstone;
    if (!current._deleted || !current.mergedInto) return null;
    const seen = path.findIndex((member) => member.id === current.mergedInto);
    if (seen >= 0) return path.slice(seen);
    const next = await storedById(db, collection, current.mergedInto);
    if (!next) return null;
    path.push(next);
  }
  return null;
}

/**
 * Revives the survivor of every `mergedInto` cycle that the given tombstones are part of or lead into;
 * returns how many records it wrote. Detection calls it with the tombstones its change-feed pass read.
 */
export async function repairMergeCycles(
  db: CrmDatabase,
  changed: Record<DuplicateCollection, readonly StoredDocument[]>,
): Promise<number> {
  const cycles: Cycle[] = [];
  const survivorOf = { contacts: new Map<string, string>(), leads: new Map<string, string>() };
  for (const collection of ['contacts', 'leads'] as const) {
    for (const document of changed[collection]) {
      if (!document._deleted || !document.mergedInto || survivorOf[collection].has(document.id)) continue;
      const members = await cycleFrom(db, collection, document as Tombstone);
      // (A chain leading into a cycle found before finds that cycle again.)
      if (!members || survivorOf[collection].has(members[0]?.id ?? '')) continue;
      const survivor = members.reduce((kept, member) => defaultSurvivor(kept, member));
      for (const member of members) survivorOf[collection].set(member.id, survivor.id);
      cycles.push({ collection, members, survivor });
    }
  }
  const liveAgain = {
    contacts: new Map(changed.contacts.filter((each) => !each._deleted).map((each) => [each.id, each])),
    leads: new Map(changed.leads.filter((each) => !each._deleted).map((each) => [each.id, each])),
  };
  if (cycles.length === 0) return moveBackReversedMerges(db, liveAgain);

  /** The live record `id` ends in once the cycles are repaired, following `mergedInto`. */
  const resolve = async (collection: DuplicateCollection, id: string): Promise<string | null> => {
    let current = id;
    for (let hop = 0; hop <= MAX_HOPS && current; hop++) {
      const survivor = survivorOf[collection].get(current);
      if (survivor) return survivor;
      const stored = await storedById(db, collection, current);
      if (!stored) return null;
      if (!stored._deleted) return current;
      current = stored.mergedInto ?? '';
    }
    return null;
  };

  // The revived states: the survivor's tombstone with the merge dialog's default values of all members.
  const revived = { contacts: new Map<string, Record<string, unknown>>(), leads: new Map() };
  for (const { collection, members, survivor } of cycles) {
    const others = members.filter((member) => member !== survivor).sort(byAge);
    let state: Tombstone = survivor;
    for (const other of others)
      state = { ...state, ...defaultMergeValues(state, other, mergeableFields[collection]) };
    // The link is set below (LINK: `leadId` of a contact, `contactId` of a lead). The time stamp is
    // derived too: every device then writes the very same state, and the second push merges into the
    // first without a new revision.
    revived[collection].set(survivor.id, {
      ...withoutStorageFields(state),
      mergedInto: '',
      [LINK[collection]]: '',
      updatedAt: Math.max(...members.map((member) => Number(member.updatedAt ?? 0))) + 1,
    });
  }

  // Links (I1, I2): a revived lead goes with the contact its members were linked to, once that contact is
  // live again; a revived contact takes that lead, else its members' lead if that one is free.
  const linkedLeadOf = new Map<string, string>();
  const contactPatches = new Map<string, Partial<Contact>>();
  const leadPatches = new Map<string, Partial<Lead>>();
  for (const { collection, members, survivor } of cycles) {
    if (collection !== 'leads') continue;
    let contactId = '';
    for (const member of [survivor, ...members.filter((each) => each !== survivor).sort(byAge)]) {
      const candidate = await resolve('contacts', String(member.contactId ?? ''));
      if (!candidate || linkedLeadOf.has(candidate)) continue;
      if (!revived.contacts.has(candidate)) {
        const contact = await storedById(db, 'contacts', candidate);
        const current = String(contact?.leadId ?? '');
        if (current && (await resolve('leads', current)) !== survivor.id) continue;
        contactPatches.set(candidate, { leadId: survivor.id });
      }
      contactId = candidate;
      break;
    }
    // A contact cycle repaired in an earlier pass left its revived contact live and linked to a member,
    // while the merges left the members' own links empty: that contact is the one.
    if (!contactId) {
      const linkedEarlier = (
        await db.contacts.find({ selector: { leadId: { $in: members.map((member) => member.id) } } }).exec()
      ).find((contact) => !revived.contacts.has(contact.id) && !linkedLeadOf.has(contact.id));
      if (linkedEarlier) {
        contactId = linkedEarlier.id;
        contactPatches.set(contactId, { leadId: survivor.id });
      }
    }
    (revived.leads.get(survivor.id) as Record<string, unknown>).contactId = contactId;
    if (contactId) linkedLeadOf.set(contactId, survivor.id);
  }
  for (const { collection, members, survivor } of cycles) {
    if (collection !== 'contacts') continue;
    let leadId = linkedLeadOf.get(survivor.id) ?? '';
    // A lead cycle repaired in an earlier pass (contacts and leads replicate apart, so either cycle may be
    // complete first) left its revived lead live and linked to a member: the same lead as "that lead".
    if (!leadId) {
      const revivedEarlier = (
        await db.leads.find({ selector: { contactId: { $in: members.map((member) => member.id) } } }).exec()
      ).find((lead) => !revived.leads.has(lead.id));
      if (revivedEarlier) {
        leadId = revivedEarlier.id;
        leadPatches.set(leadId, { contactId: survivor.id, status: revivedEarlier.status });
      }
    }
    for (const member of leadId ? [] : members) {
      const candidate = await resolve('leads', String(member.leadId ?? ''));
      if (!candidate || revived.leads.has(candidate)) continue;
      const lead = await storedById(db, 'leads', candidate);
      const current = String(lead?.contactId ?? '');
      if (current && (await resolve('contacts', current)) !== survivor.id) continue;
      leadId = candidate;
      break;
    }
    (revived.contacts.get(survivor.id) as Record<string, unknown>).leadId = leadId;
  }

  // A linked pair being worked shows one person (I4) and one state (I3): the contact decides, as in a merge.
  for (const lead of [...revived.leads.values(), ...leadPatches.values()]) {
    const contactId = String(lead.contactId ?? '');
    const contact = revived.contacts.get(contactId) ?? (await storedById(db, 'contacts', contactId));
    if (!contact) continue;
    if (contact.status === 'Lead' && isOpenLeadStatus(lead.status as Lead['status']))
      Object.assign(lead, mappedValuesOfContact(contact as unknown as Contact));
    if (contact.status !== 'Lead' && isOpenLeadStatus(lead.status as Lead['status']))
      lead.status = contact.status === 'Inactive' ? 'Lost' : 'Won';
  }

  // Contacts first: a lead's contact is live when the lead arrives. Engine writes: the links are set here,
  // not by the rules, and a revived contact in Lead must not create a second lead (R1).
  let written = 0;
  for (const collection of ['contacts', 'leads'] as const) {
    for (const state of revived[collection].values()) {
      const { error } = await bulkInsertKeepingTimes(db, collection, [asEngineWrite(state) as never]);
      // A 409: another device's repair arrived meanwhile, and the record is live again already.
      const failed = error.find((each) => each.status !== 409);
      if (failed) throw new Error(`Could not revive ${collection} ${failed.documentId}: ${failed.status}`);
      if (error.length === 0) written += 1;
    }
  }
  for (const [contactId, patch] of contactPatches) {
    const document = await db.contacts.findOne(contactId).exec();
    if (document) await patchAsEngine(document, patch);
    written += 1;
  }
  for (const [leadId, patch] of leadPatches) {
    const document = await db.leads.findOne(leadId).exec();
    if (document) await patchAsEngine(document, patch);
    written += 1;
  }

  return written + (await moveBackReversedMerges(db, revived));
}

/**
 * Records this device merged away that are live again (a cycle's survivor, revived here or by another
 * device whose repair arrived first): the timelines and tasks this device's merge moved to the other record
 * move back. Only this device does it (see ownMerges). Returns how many entries it moved.
 */
async function moveBackReversedMerges(
  db: CrmDatabase,
  live: Record<DuplicateCollection, { keys(): Iterable<string> }>,
): Promise<number> {
  const list = ownMerges(db);
  const merges = new Map((await list.all()).map((merge) => [merge.id, merge]));
  let moved = 0;
  for (const collection of ['contacts', 'leads'] as const) {
    for (const id of live[collection].keys()) {
      const merge = merges.get(`${collection}:${id}`);
      if (!merge) continue;
      // Reversed when the record it went into is now merged away, its chain ending in this one.
      let current = await storedById(db, collection, merge.survivorId);
      for (let hop = 0; hop < MAX_HOPS && current?._deleted && current.mergedInto !== id; hop++)
        current = current.mergedInto ? await storedById(db, collection, current.mergedInto) : undefined;
      if (!current?._deleted || current.mergedInto !== id) continue;
      const field = TIMELINE_ID[collection];
      const entries = await db.activities.find({ selector: { [field]: merge.survivorId } as never }).exec();
      for (const entry of entries) await entry.incrementalPatch({ [field]: id });
      moved += entries.length;
      await list.remove([merge.id]);
    }
  }
  return moved;
}

const byAge = (a: DuplicateCandidate, b: DuplicateCandidate) => (defaultSurvivor(a, b) === a ? -1 : 1);
