/** The pure rule table, mapping and invariant check, without a database. */

import { type Contact, contactDefaults, type Lead } from '@shared/schemas';
import { describe, expect, test } from 'vitest';
import { findViolations } from './invariants';
import {
  contactPatchFromLead,
  differingMappedFields,
  leadPatchFromContact,
  mappedValuesOfContact,
} from './mapping';
import { autoLeadFromContact, manualLinkRule, planContactWrite, planLeadWrite } from './rules';

const NOW = 1_800_000_000_000;

function contact(fields: Partial<Contact> = {}): Contact {
  return {
    ...contactDefaults,
    id: 'c1',
    firstName: 'Ann',
    lastName: 'Ames',
    email: 'ann@x.test',
    emailKey: 'ann@x.test',
    phone: '+1',
    status: 'Lead',
    createdAt: 1,
    updatedAt: 1,
    updatedBy: 'u',
    serverRev: 0,
    ...fields,
  };
}

function leadOf(owner: Contact, fields: Partial<Lead> = {}): Lead {
  return { ...autoLeadFromContact(owner, 'lead-c1', 1), ...fields };
}

describe('mapping', () => {
  test('contact → lead: phone falls back to mobile, a missing source reads as Website', () => {
    const values = mappedValuesOfContact(contact({ phone: '', mobile: '+9', source: null }));
    expect(values).toMatchObject({ phone: '+9', source: 'Website' });
  });

  test('lead → contact: a cleared lead phone clears the mobile the contact fell back to', () => {
    const owner = contact({ phone: '', mobile: '+9' });
    const lead = leadOf(owner, { phone: '' });
    expect(contactPatchFromLead(lead, owner)).toEqual({ phone: '', mobile: '' });
    expect(differingMappedFields({ ...owner, mobile: '' }, lead)).toEqual([]);
  });

  test('equal pairs produce empty patches both ways (the no-op rule)', () => {
    const owner = contact({ source: null });
    const lead = leadOf(owner);
    expect(leadPatchFromContact(owner, lead)).toEqual({});
    expect(contactPatchFromLead(lead, owner)).toEqual({});
  });
});

describe('contact rules', () => {
  test('R1 creates the lead and sets the reference in the same write', () => {
    const plan = planContactWrite({
      kind: 'insert',
      before: null,
      after: contact(),
      lead: null,
      newLeadId: 'lead-c1',
      now: NOW,
    });
    expect(plan.own).toEqual({ leadId: 'lead-c1' });
    expect(plan.createLead).toMatchObject({
      id: 'lead-c1',
      contactId: 'c1',
      status: 'New',
      priority: 'Medium',
    });
    expect(plan.linkedRules).toEqual(['R1']);
  });

  test('R2 then R5 in one write: the reopened lead also receives the changed mapped fields', () => {
    const before = contact({ status: 'Active', isConvertedFromLead: true, conversionDate: 5 });
    const lead = leadOf(before, { status: 'Won', isConvertedToContact: true, conversionDate: 5 });
    const after = { ...before, status: 'Lead' as const, company: 'New Co' };
    const plan = planContactWrite({ kind: 'update', before, after, lead, newLeadId: 'x', now: NOW });
    expect(plan.own).toEqual({ isConvertedFromLead: false, conversionDate: null });
    expect(plan.linked).toEqual({
      status: 'New',
      isConvertedToContact: false,
      conversionDate: null,
      company: 'New Co',
    });
    expect(plan.activities.map((activity) => activity.rule)).toEqual(['R2', 'R5']);
  });

  test('an edit that changes nothing mapped plans nothing for the lead', () => {
    const before = contact();
    const plan = planContactWrite({
      kind: 'update',
      before,
      after: { ...before, notes: 'x' },
      lead: leadOf(before),
      newLeadId: 'x',
      now: NOW,
    });
    expect(plan).toMatchObject({ own: {}, linked: {}, createLead: null, activities: [] });
  });
});

describe('lead rules', () => {
  test('R8 then R9: the reverted contact also takes the lead data', () => {
    const owner = contact({ status: 'Active', isConvertedFromLead: true, conversionDate: 5 });
    const before = leadOf(owner, { status: 'Won', isConvertedToContact: true, conversionDate: 5 });
    const after = { ...before, status: 'Contacted' as const, jobTitle: 'CTO' };
    const plan = planLeadWrite({ kind: 'update', before, after, contact: owner, now: NOW });
    expect(plan.own).toEqual({ isConvertedToContact: false, conversionDate: null });
    expect(plan.linked).toEqual({
      status: 'Lead',
      isConvertedFromLead: false,
      conversionDate: null,
      jobTitle: 'CTO',
    });
  });

  test('R6 stamps the same conversion date on both sides', () => {
    const owner = contact();
    const before = leadOf(owner);
    const plan = planLeadWrite({
      kind: 'update',
      before,
      after: { ...before, status: 'Won' },
      contact: owner,
      now: NOW,
    });
    expect(plan.own).toEqual({ isConvertedToContact: true, conversionDate: NOW });
    expect(plan.linked).toEqual({ status: 'Active', isConvertedFromLead: true, conversionDate: NOW });
  });
});

describe('R11 manual link', () => {
  test('refused when either side is linked', () => {
    const linked = contact({ leadId: 'lead-other' });
    expect(manualLinkRule.rule(linked, leadOf(contact(), { contactId: '' }), NOW)).toMatchObject({
      allowed: false,
    });
    expect(manualLinkRule.rule(contact(), leadOf(contact(), { contactId: 'c9' }), NOW)).toMatchObject({
      allowed: false,
    });
  });
});

describe('invariants (pure)', () => {
  const owner = contact({ leadId: 'lead-c1' });
  const lead = leadOf(owner);
  const check = (contacts: Contact[], leads: Lead[]) =>
    findViolations(new Map(contacts.map((doc) => [doc.id, doc])), new Map(leads.map((doc) => [doc.id, doc])))
      .map((violation) => violation.invariant)
      .sort();

  test('a consistent pair has none', () => {
    expect(check([owner], [lead])).toEqual([]);
  });
  test('I1: one-sided references', () => {
    expect(check([{ ...owner, leadId: '' }], [lead])).toEqual(['I1']);
    expect(check([owner], [])).toEqual(['I1']);
  });
  test('I2: two live leads for one contact', () => {
    expect(check([owner], [lead, { ...lead, id: 'lead-2' }])).toEqual(['I1', 'I2']);
  });
  test('I3: Won lead with a contact still in Lead or not flagged converted', () => {
    expect(check([owner], [{ ...lead, status: 'Won' }])).toEqual(['I3']);
    expect(check([{ ...owner, status: 'Active' }], [{ ...lead, status: 'Won' }])).toEqual(['I3']);
    expect(
      check([{ ...owner, status: 'Active', isConvertedFromLead: true }], [{ ...lead, status: 'Won' }]),
    ).toEqual([]);
  });
  test('I4: mapped fields differ in an open pair with the contact in Lead', () => {
    expect(check([owner], [{ ...lead, company: 'Other' }])).toEqual(['I4']);
    expect(check([{ ...owner, status: 'Prospect' }], [{ ...lead, company: 'Other' }])).toEqual([]);
  });
});
