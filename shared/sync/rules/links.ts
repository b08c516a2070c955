import type { Contact, Lead } from '@shared/schemas';
import type { CrmDatabase } from '../crm-database';
import { CrmValidationError } from '../errors';
import { activityOf, appendActivities } from './audit-log';
import { assertEmailFree } from './email-uniqueness';
import { patchAsEngine } from './engine-writes';
import { writeLinked } from './linked-writes';
import { manualLinkRule } from './rules';
import { findLive } from './storage-reads';

function notFound(field: 'leadId' | 'contactId', what: string): CrmValidationError {
  return new CrmValidationError('not-found', [{ field, message: `${what} does not exist` }]);
}

/**
 * R11: links a lead to a contact by hand, only when neither side is linked (else `already-linked`).
 * The lead's side is written first as the user's write (a refusal leaves nothing written); the contact's
 * side follows as a linked write, whose failure goes to the rule-error log like any other rule.
 */
export async function linkLeadToContact(db: CrmDatabase, leadId: string, contactId: string): Promise<void> {
  const [lead, contact] = await Promise.all([findLive(db.leads, leadId), findLive(db.contacts, contactId)]);
  if (!lead) throw notFound('leadId', `Lead ${leadId}`);
  if (!contact) throw notFound('contactId', `Contact ${contactId}`);
  const plan = manualLinkRule.rule(contact as Contact, lead as Lead, Date.now());
  if (!plan.allowed) {
    const field = contact.leadId ? 'leadId' : 'contactId';
    throw new CrmValidationError('already-linked', [{ field, message: plan.reason }]);
  }
  if ('email' in plan.lead) await assertEmailFree(db, 'leads', contact.emailKey, lead.id);
  const doc = await db.leads.findOne(lead.id).exec();
  if (!doc) throw notFound('leadId', `Lead ${leadId}`);
  // Re-checked on the fresh document: another write may have linked it meanwhile.
  if (doc.contactId !== '')
    throw new CrmValidationError('already-linked', [
      { field: 'contactId', message: `Lead is already linked to contact ${doc.contactId}` },
    ]);
  const linked = await patchAsEngine(doc, plan.lead);
  await writeLinked(db, {
    rule: 'R11',
    trigger: { collection: 'leads', id: lead.id },
    triggerUpdatedAt: linked.updatedAt,
    target: { collection: 'contacts', id: contact.id },
    patch: plan.contact,
  });
  await appendActivities(db, [activityOf(db, plan.activity, { contactId, leadId })], {
    collection: 'leads',
    id: leadId,
  });
}

/**
 * Unlinks a lead from its contact (both references cleared). Statuses and conversion flags stay as they
 * are: they record what happened while the pair was linked.
 */
export async function unlinkLead(db: CrmDatabase, leadId: string): Promise<void> {
  const lead = await findLive(db.leads, leadId);
  if (!lead) throw notFound('leadId', `Lead ${leadId}`);
  const contactId = lead.contactId;
  if (!contactId) return;
  const doc = await db.leads.findOne(leadId).exec();
  if (!doc) throw notFound('leadId', `Lead ${leadId}`);
  const unlinked = await patchAsEngine(doc, { contactId: '' });
  const contact = await findLive(db.contacts, contactId);
  if (contact?.leadId === leadId) {
    await writeLinked(db, {
      rule: 'R11',
      trigger: { collection: 'leads', id: leadId },
      triggerUpdatedAt: unlinked.updatedAt,
      target: { collection: 'contacts', id: contactId },
      patch: { leadId: '' },
    });
  }
  await appendActivities(
    db,
    [
      activityOf(
        db,
        {
          kind: 'unlinked',
          rule: 'R11',
          statusBefore: lead.status,
          statusAfter: lead.status,
          fields: ['contactId', 'leadId'],
          summary: 'Lead unlinked from its contact',
        },
        { contactId, leadId },
      ),
    ],
    { collection: 'leads', id: leadId },
  );
}
