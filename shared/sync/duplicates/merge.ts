/**
 * Merging two duplicates and dismissing a pair (docs/duplicates.md, "Merge"). Every step is an ordinary
 * local write through the database layer, so validation, email uniqueness and the link rules run, and
 * the merge replicates like any other write.
 */
import { type Contact, isOpenLeadStatus, type Lead } from '@shared/schemas';
import type { RxCollection } from 'rxdb';
import type { StoredDocument } from '../change-feed';
import type { CrmDatabase } from '../crm-database';
import { CrmValidationError, isConflictError } from '../errors';
import { linkLeadToContact, unlinkLead } from '../rules/links';
import { mappedFields } from '../rules/mapping';
import { whenRulesSettled } from '../rules/rule-work';
import { fullName } from '../rules/rules';
import { findLive } from '../rules/storage-reads';
import { detectDuplicates } from './detect';
import { ownMerges } from './merge-cycles';
import {
  type DuplicateCandidate,
  type DuplicateCollection,
  type DuplicatePair,
  defaultMergeValues,
  dismissalIdOf,
  mergeableFields,
  mergeEntryIdOf,
  pairIdOf,
} from './pairs';
import { moveEntriesOfMergedRecords } from './redirect';

export type MergeRequest = {
  collection: DuplicateCollection;
  /** The record that stays. */
  survivorId: string;
  /** The record merged into it and deleted. */
  otherId: string;
  /**
   * The merged values of the fields that differ; absent: the defaults (`defaultMergeValues`). Fields not
   * given keep the survivor's value; fields that are not mergeable are ignored.
   */
  values?: Record<string, unknown>;
};

type LinkedRecord = (Contact | Lead) & DuplicateCandidate;

const LINK = { contacts: 'leadId', leads: 'contactId' } as const;
const TIMELINE_ID = { contacts: 'contactId', leads: 'leadId' } as const;

function invalid(field: string, message: string): CrmValidationError {
  return new CrmValidationError('validation', [{ field, message }]);
}

async function liveRecord(db: CrmDatabase, collection: DuplicateCollection, id: string) {
  const record = await findLive(db[collection] as unknown as RxCollection<LinkedRecord>, id);
  if (!record)
    throw new CrmValidationError('not-found', [
      {
        field: '(document)',
        message: `${collection === 'contacts' ? 'Contact' : 'Lead'} ${id} does not exist`,
      },
    ]);
  return record;
}

/** Merges `otherId` into `survivorId` (docs/duplicates.md, "Merge"); afterwards I1–I4 hold. */
export async function mergeDuplicates(db: CrmDatabase, request: MergeRequest): Promise<void> {
  const mergedAway = await merge(db, request, { leadsOfMergedContacts: false });
  // The rules' entries about the merge's own steps (R10 unlinking a merged-away lead) are written in bulk a
  // moment later: flushed and moved here too, so no other device has to move them after sync (two devices
  // writing one document at once is what a merge should not cause).
  await whenRulesSettled(db);
  const late = await db.activities
    .find({ selector: { $or: mergedAway.map(({ collection, id }) => ({ [TIMELINE_ID[collection]]: id })) } })
    .exec();
  await moveEntriesOfMergedRecords(
    db,
    late.map((entry) => entry.toJSON() as unknown as StoredDocument),
  );
}

type MergedAway = { collection: DuplicateCollection; id: string };

/**
 * `leadsOfMergedContacts`: the two leads of two contacts being merged (their links settle with them).
 * Returns the records merged away (the other record, and the other lead of two linked pairs).
 */
async function merge(
  db: CrmDatabase,
  request: MergeRequest,
  { leadsOfMergedContacts }: { leadsOfMergedContacts: boolean },
): Promise<MergedAway[]> {
  const { collection, survivorId, otherId } = request;
  if (survivorId === otherId) throw invalid('(document)', 'A record cannot be merged into itself');
  const [survivor, other] = await Promise.all([
    liveRecord(db, collection, survivorId),
    liveRecord(db, collection, otherId),
  ]);
  // The leads of merged contacts take their person fields from the merged contact (R5), after step 5 of
  // the contact's merge: writing them here would copy an email the other contact still holds.
  const fields = leadsOfMergedContacts
    ? mergeableFields.leads.filter((field) => !(mappedFields as readonly string[]).includes(field))
    : mergeableFields[collection];
  const chosen = request.values ?? defaultMergeValues(survivor, other, fields);
  const values = Object.fromEntries(Object.entries(chosen).filter(([field]) => fields.includes(field)));

  // 1. The records they are linked to: one link survives (I2).
  const survivorLink = String(survivor[LINK[collection] as keyof LinkedRecord] ?? '');
  const otherLink = String(other[LINK[collection] as keyof LinkedRecord] ?? '');
  let relink: { leadId: string; contactId: string } | null = null;
  const mergedAway: MergedAway[] = [{ collection, id: otherId }];
  if (otherLink && survivorLink && otherLink !== survivorLink) {
    if (collection === 'contacts')
      mergedAway.push(
        ...(await merge(
          db,
          { collection: 'leads', survivorId: survivorLink, otherId: otherLink },
          { leadsOfMergedContacts: true },
        )),
      );
    else if (!leadsOfMergedContacts)
      throw invalid(
        'contactId',
        'Both leads have a contact: merge the two contacts, which merges their leads',
      );
    // (The leads of two contacts being merged: deleting the other lead clears the other contact's link, R10.)
  } else if (otherLink && !survivorLink) {
    const leadId = collection === 'contacts' ? otherLink : otherId;
    await unlinkLead(db, leadId);
    relink =
      collection === 'contacts'
        ? { leadId, contactId: survivorId }
        : { leadId: survivorId, contactId: otherLink };
  }

  // 2. Everything that points at the other record: its timeline, activities and tasks.
  const timelineField = TIMELINE_ID[collection];
  const entries = await db.activities.find({ selector: { [timelineField]: otherId } as never }).exec();
  // Its first own entry (ids are time-ordered): "created", or "Imported from …" for an imported record.
  const creator =
    entries.find((entry) => entry.kind === 'created' || entry.kind === 'imported')?.updatedBy ??
    other.updatedBy;
  for (const entry of entries) await entry.incrementalPatch({ [timelineField]: survivorId });

  // 3. The other record: marked where it went, then deleted (R10 clears a link it may still have).
  const otherDocument = await db[collection].findOne(otherId).exec();
  if (otherDocument) {
    const marked = await otherDocument.incrementalPatch({ mergedInto: survivorId } as never);
    await marked.remove();
  }

  // 4. Its link, moved to the survivor (R11).
  if (relink) await linkLeadToContact(db, relink.leadId, relink.contactId);

  // 5. The chosen values, as a user write: the rules follow. The survivor's status is written again so
  //    that a link from step 4 cannot change it (R2 reopens a won lead the survivor in Lead got).
  const survivorDocument = await db[collection].findOne(survivorId).exec();
  if (survivorDocument) {
    await survivorDocument.incrementalPatch({ status: survivor.status, ...values } as never);
    if (collection === 'contacts') await settleLeadOfSurvivor(db, survivorId);
  }

  // 6. One timeline entry, the same on every device that merges this pair.
  await appendMergeEntry(db, collection, survivorId, other, creator);
  await ownMerges(db).add({ id: `${collection}:${otherId}`, survivorId, at: Date.now() });
  return mergedAway;
}

/** A survivor no longer in Lead wins (Active, Prospect) or loses (Inactive) an open lead, as R3/R4 would. */
async function settleLeadOfSurvivor(db: CrmDatabase, contactId: string): Promise<void> {
  const contact = await findLive(db.contacts, contactId);
  if (!contact?.leadId || contact.status === 'Lead') return;
  const lead = await db.leads.findOne(contact.leadId).exec();
  if (!lead || lead.contactId !== contactId || !isOpenLeadStatus(lead.status)) return;
  await lead.incrementalPatch({ status: contact.status === 'Inactive' ? 'Lost' : 'Won' });
}

async function memberName(db: CrmDatabase, memberId: string): Promise<string> {
  if (!memberId) return 'someone';
  const member = await db.teamMembers.findOne(memberId).exec();
  return member?.name || memberId;
}

async function appendMergeEntry(
  db: CrmDatabase,
  collection: DuplicateCollection,
  survivorId: string,
  other: LinkedRecord,
  creator: string,
): Promise<void> {
  const id = mergeEntryIdOf(pairIdOf(collection, survivorId, other.id));
  if (await db.activities.findOne(id).exec()) return;
  await db.activities.insert({
    id,
    kind: 'merged',
    [TIMELINE_ID[collection]]: survivorId,
    summary: `Merged ${fullName(other)} (created by ${await memberName(db, creator)}) into this record`,
  } as never);
}

/** "Not a duplicate": a synced activity on the pair's first record; the pair leaves every device's list. */
export async function dismissDuplicate(db: CrmDatabase, pair: Pick<DuplicatePair, 'collection' | 'ids'>) {
  const [firstId, secondId] = [...pair.ids].sort();
  const pairId = pairIdOf(pair.collection, firstId as string, secondId as string);
  const id = dismissalIdOf(pairId);
  if (!(await db.activities.findOne(id).exec())) {
    const [first, second] = await Promise.all([
      liveRecord(db, pair.collection, firstId as string),
      liveRecord(db, pair.collection, secondId as string),
    ]);
    try {
      await db.activities.insert({
        id,
        kind: 'not-duplicate',
        [TIMELINE_ID[pair.collection]]: first.id,
        summary: `Marked as not a duplicate of ${fullName(second)}`,
      } as never);
    } catch (error) {
      // The same dismissal (its id is derived from the pair), from another device, arrived meanwhile: done.
      if (!isConflictError(error)) throw error;
    }
  }
  await detectDuplicates(db, { evenWhileHeld: true });
}
