import { type Contact, isOpenLeadStatus, type Lead } from '@shared/schemas';
import type { CrmDatabase } from '../crm-database';
import { differingMappedFields } from './mapping';

export type InvariantId = 'I1' | 'I2' | 'I3' | 'I4';

export type InvariantViolation = {
  invariant: InvariantId;
  contactIds: string[];
  leadIds: string[];
  message: string;
};

export type LivePair = { contact: Contact; lead: Lead };

/**
 * The live documents the invariants concern, by id: every contact and lead holding a reference, plus the
 * documents those references point at. Unlinked documents nobody points at cannot violate I1–I4, and
 * skipping them keeps the start-up reconcile cheap on a large database (indexed queries on the references).
 */
export async function loadLinkedDocuments(db: CrmDatabase) {
  const [contactDocs, leadDocs] = await Promise.all([
    db.contacts.find({ selector: { leadId: { $gt: '' } } }).exec(),
    db.leads.find({ selector: { contactId: { $gt: '' } } }).exec(),
  ]);
  const contacts = new Map(contactDocs.map((doc) => [doc.id, doc.toJSON() as Contact]));
  const leads = new Map(leadDocs.map((doc) => [doc.id, doc.toJSON() as Lead]));
  const missingLeads = [
    ...new Set([...contacts.values()].map((c) => c.leadId).filter((id) => !leads.has(id))),
  ];
  const missingContacts = [
    ...new Set([...leads.values()].map((l) => l.contactId).filter((id) => !contacts.has(id))),
  ];
  const [moreLeads, moreContacts] = await Promise.all([
    db.leads.findByIds(missingLeads).exec(),
    db.contacts.findByIds(missingContacts).exec(),
  ]);
  for (const doc of moreLeads.values()) leads.set(doc.id, doc.toJSON() as Lead);
  for (const doc of moreContacts.values()) contacts.set(doc.id, doc.toJSON() as Contact);
  return { contacts, leads };
}

/** Pure check of I1–I4 (docs/invariants.md) over the live documents; empty when all hold. */
export function findViolations(
  contacts: Map<string, Contact>,
  leads: Map<string, Lead>,
): InvariantViolation[] {
  const violations: InvariantViolation[] = [];
  const leadsByContact = new Map<string, Lead[]>();

  // I1: references agree, and point at live documents.
  for (const lead of leads.values()) {
    if (!lead.contactId) continue;
    leadsByContact.set(lead.contactId, [...(leadsByContact.get(lead.contactId) ?? []), lead]);
    const contact = contacts.get(lead.contactId);
    if (contact?.leadId !== lead.id) {
      violations.push({
        invariant: 'I1',
        contactIds: [lead.contactId],
        leadIds: [lead.id],
        message: contact
          ? `Lead ${lead.id} points to contact ${contact.id}, which points to ${contact.leadId || 'no lead'}`
          : `Lead ${lead.id} points to contact ${lead.contactId}, which is not live`,
      });
    }
  }
  for (const contact of contacts.values()) {
    if (!contact.leadId) continue;
    const lead = leads.get(contact.leadId);
    if (!lead) {
      violations.push({
        invariant: 'I1',
        contactIds: [contact.id],
        leadIds: [contact.leadId],
        message: `Contact ${contact.id} points to lead ${contact.leadId}, which is not live`,
      });
    } else if (lead.contactId !== contact.id) {
      violations.push({
        invariant: 'I1',
        contactIds: [contact.id],
        leadIds: [lead.id],
        message: `Contact ${contact.id} points to lead ${lead.id}, which points to ${lead.contactId || 'no contact'}`,
      });
    }
  }

  // I2: at most one live lead per contact.
  for (const [contactId, linked] of leadsByContact) {
    if (linked.length > 1) {
      violations.push({
        invariant: 'I2',
        contactIds: [contactId],
        leadIds: linked.map((lead) => lead.id),
        message: `Contact ${contactId} has ${linked.length} live leads`,
      });
    }
  }

  // I3 and I4 concern consistently linked pairs.
  for (const { contact, lead } of linkedPairs(contacts, leads)) {
    const ids = { contactIds: [contact.id], leadIds: [lead.id] };
    if (lead.status === 'Won' && (contact.status === 'Lead' || !contact.isConvertedFromLead)) {
      violations.push({
        invariant: 'I3',
        ...ids,
        message:
          contact.status === 'Lead'
            ? `Lead ${lead.id} is Won but its contact is still Lead`
            : `Lead ${lead.id} is Won but its contact is not marked converted`,
      });
    }
    if (contact.status === 'Lead' && isOpenLeadStatus(lead.status)) {
      const fields = differingMappedFields(contact, lead);
      if (fields.length > 0) {
        violations.push({
          invariant: 'I4',
          ...ids,
          message: `Contact ${contact.id} and lead ${lead.id} differ in ${fields.join(', ')}`,
        });
      }
    }
  }
  return violations;
}

/** Pairs whose references agree both ways. */
export function linkedPairs(contacts: Map<string, Contact>, leads: Map<string, Lead>): LivePair[] {
  const pairs: LivePair[] = [];
  for (const contact of contacts.values()) {
    const lead = contact.leadId ? leads.get(contact.leadId) : undefined;
    if (lead?.contactId === contact.id) pairs.push({ contact, lead });
  }
  return pairs;
}

/** Violations of I1–I4 in this database (docs/invariants.md); empty when all hold. */
export async function checkInvariants(db: CrmDatabase): Promise<InvariantViolation[]> {
  const { contacts, leads } = await loadLinkedDocuments(db);
  return findViolations(contacts, leads);
}
