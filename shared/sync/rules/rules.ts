/**
 * The link rules R1–R11 (docs/link-rules.md) as one table of small pure functions.
 *
 * A rule looks at one local write (the document before and after it) and the linked document, and
 * returns what must change: on the written document itself (`own`, applied inside the same write),
 * on the linked document (`linked`, written right after), or a lead to create. The RxDB hooks
 * (hooks.ts) load the linked document and apply the effects; linked-writes.ts drops changes whose target
 * values already hold (the no-op rule) and audit-log.ts records one activity per effect.
 *
 * Rules run in table order; each sees the state left by the rules before it (for example R5 sees the
 * lead R2 just reopened), so every effect of one write is computed before anything is written.
 */
import {
  type ActivityKind,
  type Contact,
  type ContactStatus,
  isOpenLeadStatus,
  type Lead,
  type LeadStatus,
  leadDefaults,
  type RuleId,
} from '@shared/schemas';
import {
  contactPatchFromLead,
  DEFAULT_LEAD_SOURCE,
  effectivePatch,
  leadPatchFromContact,
  mappedValuesOfContact,
} from './mapping';

export type WriteKind = 'insert' | 'update' | 'remove';

/** What the audit trail records about one rule effect (audit-log.ts adds ids, user and time). */
export type ActivityDraft = {
  kind: ActivityKind;
  rule: RuleId | null;
  statusBefore: string;
  statusAfter: string;
  fields: string[];
  summary: string;
};

export type ContactWriteInput = {
  kind: WriteKind;
  /** The stored contact before the write; null on insert. */
  before: Contact | null;
  /** The contact as it will be stored (on remove: as it was when removed). */
  after: Contact;
  /** The live lead `after.leadId` points to, or null. */
  lead: Lead | null;
  /** Id for a lead R1/R2 would create: the deterministic id, or the next free variant of it. */
  newLeadId: string;
  /** Time of the write (its `updatedAt`); conversion dates use it so both sides carry the same date. */
  now: number;
};

export type LeadWriteInput = {
  kind: WriteKind;
  before: Lead | null;
  after: Lead;
  /** The live contact `after.contactId` points to, or null. */
  contact: Contact | null;
  now: number;
};

export type ContactRuleEffect = {
  own?: Partial<Contact>;
  linked?: Partial<Lead>;
  createLead?: Lead;
  activity: ActivityDraft;
};
export type LeadRuleEffect = {
  own?: Partial<Lead>;
  linked?: Partial<Contact>;
  activity: ActivityDraft;
};

export type ContactRule = { id: RuleId; rule: (input: ContactWriteInput) => ContactRuleEffect | null };
export type LeadRule = { id: RuleId; rule: (input: LeadWriteInput) => LeadRuleEffect | null };

const isOpen = (lead: Lead) => isOpenLeadStatus(lead.status);
const enteredLead = ({ kind, before, after }: ContactWriteInput) =>
  kind === 'update' && before?.status !== 'Lead' && after.status === 'Lead';
const leftLeadFor = (input: ContactWriteInput, statuses: readonly ContactStatus[]) =>
  input.kind === 'update' && input.before?.status === 'Lead' && statuses.includes(input.after.status);
const leadEntered = ({ kind, before, after }: LeadWriteInput, status: LeadStatus) =>
  kind === 'update' && before?.status !== status && after.status === status;
/** "First Last", as audit summaries and error messages name a person. */
export const fullName = (doc: { firstName: string; lastName: string }) =>
  [doc.firstName, doc.lastName].filter(Boolean).join(' ');

/** The lead R1/R2 create for a contact (docs/link-rules.md). Managed fields are filled by the database layer. */
export function autoLeadFromContact(contact: Contact, leadId: string, now: number): Lead {
  return {
    ...leadDefaults,
    ...mappedValuesOfContact(contact),
    source: contact.source ?? DEFAULT_LEAD_SOURCE,
    id: leadId,
    emailKey: contact.emailKey,
    status: 'New',
    priority: 'Medium',
    contactId: contact.id,
    autoCreatedFromContact: true,
    isConvertedToContact: false,
    conversionDate: null,
    createdAt: now,
    updatedAt: now,
    updatedBy: '',
    serverRev: 0,
  };
}

const clearedContactConversion = {
  isConvertedFromLead: false,
  conversionDate: null,
} satisfies Partial<Contact>;
const clearedLeadConversion = { isConvertedToContact: false, conversionDate: null } satisfies Partial<Lead>;

function createLeadEffect(input: ContactWriteInput, rule: 'R1' | 'R2'): ContactRuleEffect {
  const lead = autoLeadFromContact(input.after, input.newLeadId, input.now);
  return {
    own: { leadId: lead.id, ...(rule === 'R2' ? clearedContactConversion : {}) },
    createLead: lead,
    activity: {
      kind: 'created',
      rule,
      statusBefore: '',
      statusAfter: lead.status,
      fields: Object.keys(mappedValuesOfContact(input.after)),
      summary: `Lead created from contact ${fullName(input.after)}`,
    },
  };
}

/** Contact rules, in the order they apply. */
export const contactRules: readonly ContactRule[] = [
  {
    id: 'R1',
    // Contact inserted with status Lead: create its lead and link both ways.
    rule: (input) =>
      input.kind === 'insert' && input.after.status === 'Lead' && !input.lead
        ? createLeadEffect(input, 'R1')
        : null,
  },
  {
    id: 'R2',
    // Contact changes to Lead: create a lead when it has none, reopen a closed one. A contact in Lead is
    // never "converted", so its own conversion flags are cleared in every case (keeps I3).
    rule: (input) => {
      if (!enteredLead(input)) return null;
      const { lead, before } = input;
      if (!lead) return createLeadEffect(input, 'R2');
      if (isOpen(lead)) {
        const own = effectivePatch(input.after, clearedContactConversion);
        return Object.keys(own).length === 0
          ? null
          : {
              own,
              activity: {
                kind: 'reopened',
                rule: 'R2',
                statusBefore: before?.status ?? '',
                statusAfter: 'Lead',
                fields: Object.keys(own),
                summary: 'Contact back to Lead: conversion flags cleared',
              },
            };
      }
      return {
        own: clearedContactConversion,
        linked: { status: 'New', ...clearedLeadConversion },
        activity: {
          kind: 'reopened',
          rule: 'R2',
          statusBefore: lead.status,
          statusAfter: 'New',
          fields: ['status', 'isConvertedToContact', 'conversionDate'],
          summary: `Contact back to Lead: lead reopened (${lead.status} → New)`,
        },
      };
    },
  },
  {
    id: 'R3',
    // Contact qualified (Lead → Active/Prospect): its lead is Won, both sides marked converted.
    rule: (input) => {
      if (!leftLeadFor(input, ['Active', 'Prospect']) || !input.lead) return null;
      return {
        own: { isConvertedFromLead: true, conversionDate: input.now },
        linked: { status: 'Won', isConvertedToContact: true, conversionDate: input.now },
        activity: {
          kind: 'converted',
          rule: 'R3',
          statusBefore: input.lead.status,
          statusAfter: 'Won',
          fields: ['status', 'isConvertedToContact', 'conversionDate'],
          summary: `Contact became ${input.after.status}: lead Won`,
        },
      };
    },
  },
  {
    id: 'R4',
    // Contact dropped (Lead → Inactive): its lead is Lost.
    rule: (input) => {
      if (!leftLeadFor(input, ['Inactive']) || !input.lead) return null;
      return {
        linked: { status: 'Lost' },
        activity: {
          kind: 'rule',
          rule: 'R4',
          statusBefore: input.lead.status,
          statusAfter: 'Lost',
          fields: ['status'],
          summary: 'Contact became Inactive: lead Lost',
        },
      };
    },
  },
  {
    id: 'R5',
    // Contact data changed while it is Lead and its lead is open: copy the mapped fields to the lead.
    rule: (input) => {
      const { lead, after } = input;
      if (input.kind === 'remove' || after.status !== 'Lead' || !lead || !isOpen(lead)) return null;
      const linked = leadPatchFromContact(after, lead);
      const fields = Object.keys(linked);
      if (fields.length === 0) return null;
      return {
        linked,
        activity: {
          kind: 'rule',
          rule: 'R5',
          statusBefore: lead.status,
          statusAfter: lead.status,
          fields,
          summary: `Copied ${fields.join(', ')} from contact to lead`,
        },
      };
    },
  },
  {
    id: 'R10',
    // Contact deleted: its lead stays, unlinked.
    rule: (input) => {
      if (input.kind !== 'remove' || !input.lead || input.lead.contactId !== input.after.id) return null;
      return {
        linked: { contactId: '' },
        activity: {
          kind: 'unlinked',
          rule: 'R10',
          statusBefore: input.lead.status,
          statusAfter: input.lead.status,
          fields: ['contactId'],
          summary: 'Contact deleted: lead kept and unlinked',
        },
      };
    },
  },
];

/** Lead rules, in the order they apply. */
export const leadRules: readonly LeadRule[] = [
  {
    id: 'R6',
    // Lead Won: the linked contact becomes Active, both sides marked converted.
    rule: (input) => {
      if (!leadEntered(input, 'Won') || !input.contact) return null;
      return {
        own: { isConvertedToContact: true, conversionDate: input.now },
        linked: { status: 'Active', isConvertedFromLead: true, conversionDate: input.now },
        activity: {
          kind: 'converted',
          rule: 'R6',
          statusBefore: input.contact.status,
          statusAfter: 'Active',
          fields: ['status', 'isConvertedFromLead', 'conversionDate'],
          summary: 'Lead Won: contact Active',
        },
      };
    },
  },
  {
    id: 'R7',
    // Lead Lost: the contact is unchanged. A lead leaving Won is no longer converted (decision beyond
    // the spec: a Lost lead flagged "converted" would contradict itself).
    rule: (input) => {
      if (!leadEntered(input, 'Lost')) return null;
      const own = effectivePatch(input.after, clearedLeadConversion);
      if (!input.contact && Object.keys(own).length === 0) return null;
      return {
        own,
        activity: {
          kind: 'rule',
          rule: 'R7',
          statusBefore: input.before?.status ?? '',
          statusAfter: 'Lost',
          fields: Object.keys(own),
          summary: 'Lead Lost: contact unchanged',
        },
      };
    },
  },
  {
    id: 'R8',
    // Lead reopened (Won/Lost → open): a contact that left Lead through the conversion (Active, or
    // Prospect via R3 — decision beyond the spec) goes back to Lead; conversion flags cleared on both.
    rule: (input) => {
      const { before, after, contact } = input;
      if (input.kind !== 'update' || !before || isOpenLeadStatus(before.status) || !isOpen(after))
        return null;
      const own = effectivePatch(after, clearedLeadConversion);
      const revert =
        contact?.isConvertedFromLead === true &&
        (contact.status === 'Active' || contact.status === 'Prospect');
      const linked: Partial<Contact> | undefined = contact
        ? effectivePatch(contact, {
            ...clearedContactConversion,
            ...(revert ? { status: 'Lead' as const } : {}),
          })
        : undefined;
      if (Object.keys(own).length === 0 && (!linked || Object.keys(linked).length === 0)) return null;
      return {
        own,
        ...(linked ? { linked } : {}),
        activity: {
          kind: 'reopened',
          rule: 'R8',
          statusBefore: contact?.status ?? '',
          statusAfter: revert ? 'Lead' : (contact?.status ?? ''),
          fields: Object.keys(linked ?? {}),
          summary: revert
            ? `Lead reopened (${before.status} → ${after.status}): contact back to Lead`
            : `Lead reopened (${before.status} → ${after.status}): conversion cleared`,
        },
      };
    },
  },
  {
    id: 'R9',
    // Lead data changed while the lead is open: copy the mapped fields to the linked contact (also for
    // auto-created leads, docs/link-rules.md).
    rule: (input) => {
      const { contact, after } = input;
      if (input.kind === 'remove' || !contact || !isOpen(after)) return null;
      const linked = contactPatchFromLead(after, contact);
      const fields = Object.keys(linked);
      if (fields.length === 0) return null;
      return {
        linked,
        activity: {
          kind: 'rule',
          rule: 'R9',
          statusBefore: contact.status,
          statusAfter: contact.status,
          fields,
          summary: `Copied ${fields.join(', ')} from lead to contact`,
        },
      };
    },
  },
  {
    id: 'R10',
    // Lead deleted: the contact stays, unlinked.
    rule: (input) => {
      if (input.kind !== 'remove' || !input.contact || input.contact.leadId !== input.after.id) return null;
      return {
        linked: { leadId: '' },
        activity: {
          kind: 'unlinked',
          rule: 'R10',
          statusBefore: input.contact.status,
          statusAfter: input.contact.status,
          fields: ['leadId'],
          summary: 'Lead deleted: contact kept and unlinked',
        },
      };
    },
  },
];

export type ContactWritePlan = {
  own: Partial<Contact>;
  /** Rules that contributed to `linked` / `createLead` (named in the rule-error log when that write fails). */
  linkedRules: RuleId[];
  /** Changes for the linked lead, already reduced to the fields whose values differ (no-op rule). */
  linked: Partial<Lead>;
  createLead: Lead | null;
  activities: ActivityDraft[];
};
export type LeadWritePlan = {
  own: Partial<Lead>;
  linkedRules: RuleId[];
  linked: Partial<Contact>;
  activities: ActivityDraft[];
};

/** Runs the contact rules in order, each on the state the earlier ones left. */
export function planContactWrite(input: ContactWriteInput): ContactWritePlan {
  let after = input.after;
  let lead = input.lead;
  const plan: ContactWritePlan = { own: {}, linkedRules: [], linked: {}, createLead: null, activities: [] };
  for (const { id, rule } of contactRules) {
    const effect = rule({ ...input, after, lead });
    if (!effect) continue;
    if (effect.own) {
      Object.assign(plan.own, effect.own);
      after = { ...after, ...effect.own };
    }
    if (effect.createLead) {
      plan.createLead = effect.createLead;
      plan.linkedRules.push(id);
      lead = effect.createLead;
    } else if (effect.linked && lead) {
      Object.assign(plan.linked, effect.linked);
      plan.linkedRules.push(id);
      lead = { ...lead, ...effect.linked };
    }
    plan.activities.push(effect.activity);
  }
  if (input.lead) plan.linked = effectivePatch(input.lead, plan.linked);
  return plan;
}

/** Runs the lead rules in order, each on the state the earlier ones left. */
export function planLeadWrite(input: LeadWriteInput): LeadWritePlan {
  let after = input.after;
  let contact = input.contact;
  const plan: LeadWritePlan = { own: {}, linkedRules: [], linked: {}, activities: [] };
  for (const { id, rule } of leadRules) {
    const effect = rule({ ...input, after, contact });
    if (!effect) continue;
    if (effect.own) {
      Object.assign(plan.own, effect.own);
      after = { ...after, ...effect.own };
    }
    if (effect.linked && contact) {
      Object.assign(plan.linked, effect.linked);
      plan.linkedRules.push(id);
      contact = { ...contact, ...effect.linked };
    }
    plan.activities.push(effect.activity);
  }
  if (input.contact) plan.linked = effectivePatch(input.contact, plan.linked);
  return plan;
}

export type ManualLinkPlan =
  | { allowed: false; reason: string }
  | { allowed: true; contact: Partial<Contact>; lead: Partial<Lead>; activity: ActivityDraft };

/**
 * R11: a lead linked to a contact by hand, allowed only when neither side is linked. The new pair is made
 * to satisfy I3/I4 at once (decisions beyond the spec): linking a Won lead converts the contact (a contact
 * in Lead becomes Active); otherwise conversion flags left from an earlier pair are cleared, and a contact
 * in Lead linked to an open lead gives the lead its mapped fields, as R5 would.
 */
export const manualLinkRule = {
  id: 'R11' as const,
  rule: (contact: Contact, lead: Lead, now: number): ManualLinkPlan => {
    if (contact.leadId !== '')
      return { allowed: false, reason: `Contact is already linked to lead ${contact.leadId}` };
    if (lead.contactId !== '')
      return { allowed: false, reason: `Lead is already linked to contact ${lead.contactId}` };
    const contactPatch: Partial<Contact> = { leadId: lead.id };
    const leadPatch: Partial<Lead> = { contactId: contact.id };
    if (lead.status === 'Won') {
      const conversionDate = lead.conversionDate ?? now;
      Object.assign(contactPatch, {
        isConvertedFromLead: true,
        conversionDate,
        ...(contact.status === 'Lead' ? { status: 'Active' as const } : {}),
      });
      Object.assign(leadPatch, { isConvertedToContact: true, conversionDate });
    } else {
      // Conversion flags describe a pair; flags left from an earlier pair would contradict this one.
      Object.assign(contactPatch, clearedContactConversion);
      Object.assign(leadPatch, clearedLeadConversion);
      if (contact.status === 'Lead' && isOpen(lead))
        Object.assign(leadPatch, leadPatchFromContact(contact, lead));
    }
    const contactChanges = effectivePatch(contact, contactPatch);
    const leadChanges = effectivePatch(lead, leadPatch);
    return {
      allowed: true,
      contact: contactChanges,
      lead: leadChanges,
      activity: {
        kind: 'linked',
        rule: 'R11',
        statusBefore: contact.status,
        statusAfter: contactPatch.status ?? contact.status,
        fields: [...new Set([...Object.keys(contactChanges), ...Object.keys(leadChanges)])],
        summary: `Lead ${fullName(lead)} linked to contact ${fullName(contact)}`,
      },
    };
  },
};
