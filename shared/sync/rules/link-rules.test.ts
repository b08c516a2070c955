import { type Contact, deriveLocalFields, type Lead } from '@shared/schemas';
import {
  activitiesOf,
  countWrites,
  createTestDatabase,
  getContact,
  getLead,
  patchContact,
  patchLead,
  TEST_USER,
} from '@testing/database';
import { injectLinkedWriteFailures, interceptLinkedWrites } from '@testing/faults';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { CrmDatabase } from '../database';
import {
  CrmValidationError,
  checkInvariants,
  getRuleErrors,
  linkLeadToContact,
  reconcile,
  unlinkLead,
  whenRulesSettled,
} from '../index';

let db: CrmDatabase;
beforeEach(async () => {
  db = await createTestDatabase();
});
afterEach(async () => {
  // Every scenario here should apply its rules cleanly: nothing may land in the rule-error log.
  await whenRulesSettled(db);
  const errors = await getRuleErrors(db);
  await db.close();
  expect(errors).toEqual([]);
});

const jane = {
  id: 'c-jane',
  firstName: 'Jane',
  lastName: 'Smith',
  email: 'jane@company.com',
  phone: '+1234567890',
  mobile: '+1555000111',
  company: 'Acme Corp',
  jobTitle: 'Buyer',
  departmentId: 'dept-1',
  source: 'Trade show',
  assignedTo: 'user-bob',
  notes: 'met at the fair',
} as const;

async function insertContact(fields: Partial<Contact> & { id: string; status: Contact['status'] }) {
  await db.contacts.insert({ ...jane, ...fields } as Contact);
  return getContact(db, fields.id);
}

async function insertLead(fields: Partial<Lead> & { id: string }) {
  await db.leads.insert({ firstName: 'Lou', lastName: 'Lead', ...fields } as Lead);
  return getLead(db, fields.id);
}

/** Mapped fields of a contact as its lead must hold them (docs/link-rules.md). */
function mappedFrom(contact: Contact) {
  return {
    firstName: contact.firstName,
    lastName: contact.lastName,
    email: contact.email,
    phone: contact.phone || contact.mobile,
    company: contact.company,
    jobTitle: contact.jobTitle,
    departmentId: contact.departmentId,
    source: contact.source ?? 'Website',
    assignedTo: contact.assignedTo,
  };
}

async function expectValidationError(write: Promise<unknown>, reason: string, field: string) {
  const error = await write.then(
    () => null,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(CrmValidationError);
  expect((error as CrmValidationError).reason).toBe(reason);
  expect((error as CrmValidationError).issues.map((issue) => issue.field)).toContain(field);
}

describe('seed testing scenarios', () => {
  test('Test 1: a contact created as Lead gets an identical, linked lead', async () => {
    const contact = await insertContact({ id: 'c-jane', status: 'Lead' });
    const lead = await getLead(db, 'lead-c-jane');
    expect(contact.leadId).toBe(lead.id);
    expect(lead.contactId).toBe(contact.id);
    expect(lead).toMatchObject({ ...mappedFrom(contact), phone: '+1234567890', source: 'Trade show' });
    expect(lead.autoCreatedFromContact).toBe(true);
    expect(await checkInvariants(db)).toEqual([]);
  });

  test('Test 2: Active → Lead creates the lead, Lead → Active wins it', async () => {
    await insertContact({ id: 'c-jane', status: 'Active' });
    expect(await db.leads.count().exec()).toBe(0);
    await patchContact(db, 'c-jane', { status: 'Lead' });
    const lead = await getLead(db, 'lead-c-jane');
    expect((await getContact(db, 'c-jane')).leadId).toBe(lead.id);
    expect(lead.status).toBe('New');
    await patchContact(db, 'c-jane', { status: 'Active' });
    expect((await getLead(db, 'lead-c-jane')).status).toBe('Won');
    expect(await checkInvariants(db)).toEqual([]);
  });

  test('Test 3: contact email/phone edits in Lead reach the lead', async () => {
    await insertContact({ id: 'c-jane', status: 'Lead' });
    const contact = await patchContact(db, 'c-jane', { email: 'jane.new@company.com', phone: '+1987654321' });
    const lead = await getLead(db, 'lead-c-jane');
    expect(lead.email).toBe('jane.new@company.com');
    expect(lead.phone).toBe('+1987654321');
    expect(lead).toMatchObject(mappedFrom(contact));
  });

  test('Test 4: a lead moved to Won makes its contact Active and converted', async () => {
    await insertContact({ id: 'c-jane', status: 'Lead' });
    await patchLead(db, 'lead-c-jane', { status: 'Won' });
    const contact = await getContact(db, 'c-jane');
    const lead = await getLead(db, 'lead-c-jane');
    expect(contact.status).toBe('Active');
    expect(contact.isConvertedFromLead).toBe(true);
    expect(lead.isConvertedToContact).toBe(true);
    expect(contact.conversionDate).toBe(lead.conversionDate);
    expect(contact.conversionDate).toBe(lead.updatedAt);
  });

  test('Test 5: lead email/phone edits reach the contact (also for auto-created leads, docs/link-rules.md)', async () => {
    await insertContact({ id: 'c-jane', status: 'Lead' });
    const lead = await patchLead(db, 'lead-c-jane', { email: 'j@acme.test', phone: '+100' });
    const contact = await getContact(db, 'c-jane');
    expect(contact.email).toBe('j@acme.test');
    expect(contact.phone).toBe('+100');
    expect(mappedFrom(contact)).toEqual(expect.objectContaining({ email: lead.email, phone: lead.phone }));
    expect(await checkInvariants(db)).toEqual([]);
  });

  test('Test 6: invalid contact data is refused field by field and nothing is stored', async () => {
    await expectValidationError(
      db.contacts.insert({ id: 'c-bad', firstName: ' ', email: 'not-an-email', status: 'Lead' } as Contact),
      'validation',
      'firstName',
    );
    expect(await db.contacts.count().exec()).toBe(0);
    expect(await db.leads.count().exec()).toBe(0);
    await whenRulesSettled(db);
    expect(await db.activities.count().exec()).toBe(0);
  });
  test('Test 6: a failing lead creation does not break the contact, and the error is logged', async () => {
    injectLinkedWriteFailures(db, (write) => write.target.collection === 'leads');
    const contact = await insertContact({ id: 'c-jane', status: 'Lead' });
    expect(contact.status).toBe('Lead');
    const [error] = await getRuleErrors(db);
    expect(error).toMatchObject({ rule: 'R1', target: { collection: 'leads', id: 'lead-c-jane' } });
    injectLinkedWriteFailures(db, null);
    await reconcile(db);
    expect(await checkInvariants(db)).toEqual([]);
    expect(await getRuleErrors(db)).toEqual([]);
  });
});

describe('rules', () => {
  test('R1: contact inserted in Lead creates its lead with the mapped fields and defaults', async () => {
    const contact = await insertContact({ id: 'c-jane', status: 'Lead', phone: '', source: null });
    const lead = await getLead(db, 'lead-c-jane');
    expect(contact).toMatchObject({
      leadId: 'lead-c-jane',
      status: 'Lead',
      isConvertedFromLead: false,
      conversionDate: null,
      updatedBy: TEST_USER,
    });
    expect(lead).toEqual(
      expect.objectContaining({
        id: 'lead-c-jane',
        firstName: 'Jane',
        lastName: 'Smith',
        email: 'jane@company.com',
        emailKey: 'jane@company.com',
        phone: '+1555000111', // phone || mobile
        company: 'Acme Corp',
        jobTitle: 'Buyer',
        departmentId: 'dept-1',
        source: 'Website', // contact has none
        assignedTo: 'user-bob',
        status: 'New',
        priority: 'Medium',
        notes: '',
        contactId: 'c-jane',
        autoCreatedFromContact: true,
        isConvertedToContact: false,
        conversionDate: null,
        updatedBy: TEST_USER,
        serverRev: 0,
      }),
    );
    const trail = await activitiesOf(db, { leadId: 'lead-c-jane' });
    expect(trail.map((entry) => [entry.kind, entry.rule, entry.statusAfter, entry.updatedBy])).toEqual([
      ['created', null, 'Lead', TEST_USER],
      ['created', 'R1', 'New', TEST_USER],
    ]);
  });

  test('R1: a contact inserted in another status gets no lead', async () => {
    const contact = await insertContact({ id: 'c-jane', status: 'Prospect' });
    expect(contact.leadId).toBe('');
    expect(await db.leads.count().exec()).toBe(0);
  });

  test('R2: contact changed to Lead without a lead gets one', async () => {
    await insertContact({ id: 'c-jane', status: 'Inactive' });
    const contact = await patchContact(db, 'c-jane', { status: 'Lead' });
    const lead = await getLead(db, 'lead-c-jane');
    expect(contact.leadId).toBe('lead-c-jane');
    expect(lead).toMatchObject({ ...mappedFrom(contact), status: 'New', contactId: 'c-jane' });
    expect(
      (await activitiesOf(db, { contactId: 'c-jane' })).map((entry) => [entry.kind, entry.rule]),
    ).toEqual([
      ['created', null],
      ['edited', null],
      ['created', 'R2'],
    ]);
  });

  test('R2: contact back to Lead reopens its closed lead, clears conversion on both, same lead', async () => {
    await insertContact({ id: 'c-jane', status: 'Lead' });
    await patchContact(db, 'c-jane', { status: 'Active' });
    const contact = await patchContact(db, 'c-jane', { status: 'Lead', company: 'Beta Ltd' });
    const lead = await getLead(db, 'lead-c-jane');
    expect(contact).toMatchObject({
      leadId: 'lead-c-jane',
      isConvertedFromLead: false,
      conversionDate: null,
    });
    expect(lead).toMatchObject({
      status: 'New',
      isConvertedToContact: false,
      conversionDate: null,
      company: 'Beta Ltd',
      contactId: 'c-jane',
      updatedBy: TEST_USER,
    });
    expect(await db.leads.count().exec()).toBe(1);
    const reopened = (await activitiesOf(db, { leadId: 'lead-c-jane' })).filter((e) => e.kind === 'reopened');
    expect(reopened).toMatchObject([{ rule: 'R2', statusBefore: 'Won', statusAfter: 'New' }]);
  });

  test('R3: contact Lead → Prospect wins the lead; flags and one conversion date on both', async () => {
    await insertContact({ id: 'c-jane', status: 'Lead' });
    const contact = await patchContact(db, 'c-jane', { status: 'Prospect' });
    const lead = await getLead(db, 'lead-c-jane');
    expect(contact).toMatchObject({ status: 'Prospect', isConvertedFromLead: true, leadId: lead.id });
    expect(lead).toMatchObject({ status: 'Won', isConvertedToContact: true, contactId: contact.id });
    expect(contact.conversionDate).toBe(contact.updatedAt);
    expect(lead.conversionDate).toBe(contact.conversionDate);
    expect(lead.updatedBy).toBe(TEST_USER);
    const converted = (await activitiesOf(db, { leadId: lead.id })).filter((e) => e.kind === 'converted');
    expect(converted).toMatchObject([{ rule: 'R3', statusBefore: 'New', statusAfter: 'Won' }]);
  });

  test('R4: contact Lead → Inactive loses the lead, no conversion', async () => {
    await insertContact({ id: 'c-jane', status: 'Lead' });
    const contact = await patchContact(db, 'c-jane', { status: 'Inactive' });
    const lead = await getLead(db, 'lead-c-jane');
    expect(contact).toMatchObject({ status: 'Inactive', isConvertedFromLead: false, conversionDate: null });
    expect(lead).toMatchObject({
      status: 'Lost',
      isConvertedToContact: false,
      conversionDate: null,
      contactId: 'c-jane',
      updatedBy: TEST_USER,
    });
    expect(contact.leadId).toBe(lead.id);
    expect(await checkInvariants(db)).toEqual([]);
  });

  test('R5: contact data edits in Lead copy only mapped fields to the open lead', async () => {
    await insertContact({ id: 'c-jane', status: 'Lead' });
    await patchLead(db, 'lead-c-jane', { notes: 'lead notes', priority: 'High' });
    const contact = await patchContact(db, 'c-jane', {
      firstName: 'Janet',
      phone: '',
      mobile: '+1999',
      source: 'Referral',
      notes: 'contact notes',
    });
    const lead = await getLead(db, 'lead-c-jane');
    expect(lead).toMatchObject({
      ...mappedFrom(contact),
      phone: '+1999',
      notes: 'lead notes',
      priority: 'High',
    });
    const copied = (await activitiesOf(db, { leadId: lead.id })).filter((entry) => entry.rule === 'R5');
    expect(copied.at(-1)?.fields).toEqual(['firstName', 'phone', 'source']);
  });

  test('R5: no copy once the lead is closed', async () => {
    await insertContact({ id: 'c-jane', status: 'Lead' });
    await patchLead(db, 'lead-c-jane', { status: 'Lost' });
    await patchContact(db, 'c-jane', { company: 'Other Inc' });
    expect((await getLead(db, 'lead-c-jane')).company).toBe('Acme Corp');
  });

  test('R6: lead Won makes the contact Active with conversion flags and dates on both', async () => {
    await insertContact({ id: 'c-jane', status: 'Lead' });
    const lead = await patchLead(db, 'lead-c-jane', { status: 'Won' });
    const contact = await getContact(db, 'c-jane');
    expect(lead).toMatchObject({ status: 'Won', isConvertedToContact: true, conversionDate: lead.updatedAt });
    expect(contact).toMatchObject({
      status: 'Active',
      isConvertedFromLead: true,
      conversionDate: lead.updatedAt,
      updatedBy: TEST_USER,
    });
    expect(await checkInvariants(db)).toEqual([]);
  });

  test('R7: lead Lost leaves the contact unchanged', async () => {
    const before = await insertContact({ id: 'c-jane', status: 'Lead' });
    const lead = await patchLead(db, 'lead-c-jane', { status: 'Lost' });
    expect(lead.status).toBe('Lost');
    expect(await getContact(db, 'c-jane')).toEqual(before);
  });

  test('R7: a Won lead that is lost is no longer flagged converted; its contact is unchanged', async () => {
    await insertContact({ id: 'c-jane', status: 'Lead' });
    await patchLead(db, 'lead-c-jane', { status: 'Won' });
    const contactBefore = await getContact(db, 'c-jane');
    const lead = await patchLead(db, 'lead-c-jane', { status: 'Lost' });
    expect(lead).toMatchObject({ isConvertedToContact: false, conversionDate: null });
    expect(await getContact(db, 'c-jane')).toEqual(contactBefore);
  });

  test('R8: lead reopened from Won sends its converted contact back to Lead, flags cleared on both', async () => {
    await insertContact({ id: 'c-jane', status: 'Lead' });
    await patchLead(db, 'lead-c-jane', { status: 'Won' });
    const lead = await patchLead(db, 'lead-c-jane', { status: 'Qualified' });
    const contact = await getContact(db, 'c-jane');
    expect(lead).toMatchObject({ status: 'Qualified', isConvertedToContact: false, conversionDate: null });
    expect(contact).toMatchObject({ status: 'Lead', isConvertedFromLead: false, conversionDate: null });
    expect(await checkInvariants(db)).toEqual([]);
  });

  test('R8: a contact that is not Active because of the conversion keeps its status', async () => {
    await insertContact({ id: 'c-jane', status: 'Lead' });
    await patchContact(db, 'c-jane', { status: 'Inactive' }); // R4: lead Lost
    const lead = await patchLead(db, 'lead-c-jane', { status: 'New' });
    expect(lead.status).toBe('New');
    expect((await getContact(db, 'c-jane')).status).toBe('Inactive');
  });

  test('R9: lead data edits while open copy the mapped fields to the contact', async () => {
    await insertContact({ id: 'c-jane', status: 'Lead' });
    await patchLead(db, 'lead-c-jane', { jobTitle: 'CTO', assignedTo: 'user-carol', value: 5000 });
    const contact = await getContact(db, 'c-jane');
    expect(contact).toMatchObject({ jobTitle: 'CTO', assignedTo: 'user-carol', updatedBy: TEST_USER });
    expect(contact.phone).toBe('+1234567890');
    expect(contact.mobile).toBe('+1555000111');
  });

  test('R9: no copy from a closed lead', async () => {
    await insertContact({ id: 'c-jane', status: 'Lead' });
    await patchContact(db, 'c-jane', { status: 'Active' }); // R3: lead Won
    await patchLead(db, 'lead-c-jane', { jobTitle: 'CEO' });
    expect((await getContact(db, 'c-jane')).jobTitle).toBe('Buyer');
  });

  test('R10: deleting a contact keeps its lead, unlinked', async () => {
    await insertContact({ id: 'c-jane', status: 'Lead' });
    await (await db.contacts.findOne('c-jane').exec())?.remove();
    const lead = await getLead(db, 'lead-c-jane');
    expect(lead).toMatchObject({ contactId: '', status: 'New', updatedBy: TEST_USER });
    expect(await checkInvariants(db)).toEqual([]);
    const trail = await activitiesOf(db, { leadId: 'lead-c-jane' });
    expect(trail.map((entry) => [entry.kind, entry.rule])).toContainEqual(['unlinked', 'R10']);
  });

  test('R10: deleting a lead keeps its contact, unlinked', async () => {
    await insertContact({ id: 'c-jane', status: 'Lead' });
    await (await db.leads.findOne('lead-c-jane').exec())?.remove();
    const contact = await getContact(db, 'c-jane');
    expect(contact).toMatchObject({ leadId: '', status: 'Lead' });
    expect(await checkInvariants(db)).toEqual([]);
  });

  test('R11: a free lead and a free contact can be linked by hand', async () => {
    await insertContact({ id: 'c-jane', status: 'Prospect' });
    await insertLead({ id: 'l-free', email: 'lou@lead.test', status: 'Contacted' });
    await linkLeadToContact(db, 'l-free', 'c-jane');
    expect(await getContact(db, 'c-jane')).toMatchObject({
      leadId: 'l-free',
      status: 'Prospect',
      isConvertedFromLead: false,
      updatedBy: TEST_USER,
    });
    expect(await getLead(db, 'l-free')).toMatchObject({
      contactId: 'c-jane',
      status: 'Contacted',
      email: 'lou@lead.test', // the contact is not in Lead: no data copied
      autoCreatedFromContact: false,
      updatedBy: TEST_USER,
    });
    expect(await checkInvariants(db)).toEqual([]);
    expect((await activitiesOf(db, { leadId: 'l-free' })).map((entry) => entry.rule)).toContain('R11');
  });

  test('R11: linking a contact in Lead to an open lead gives the lead its mapped fields', async () => {
    await insertContact({ id: 'c-jane', status: 'Lead' });
    await (await db.leads.findOne('lead-c-jane').exec())?.remove();
    await insertLead({ id: 'l-free', status: 'New' });
    await linkLeadToContact(db, 'l-free', 'c-jane');
    const contact = await getContact(db, 'c-jane');
    expect(await getLead(db, 'l-free')).toMatchObject({ ...mappedFrom(contact), contactId: 'c-jane' });
    expect(await checkInvariants(db)).toEqual([]);
  });

  test('R11: linking a Won lead converts the contact', async () => {
    await insertContact({ id: 'c-jane', status: 'Prospect' });
    await insertLead({ id: 'l-won', status: 'Won' });
    await linkLeadToContact(db, 'l-won', 'c-jane');
    expect(await getContact(db, 'c-jane')).toMatchObject({ status: 'Prospect', isConvertedFromLead: true });
    expect(await getLead(db, 'l-won')).toMatchObject({ isConvertedToContact: true });
    expect(await checkInvariants(db)).toEqual([]);
  });

  test('R11: refused when either side is already linked; nothing changes', async () => {
    await insertContact({ id: 'c-jane', status: 'Lead' });
    await insertContact({ id: 'c-max', status: 'Prospect', email: 'max@x.test' });
    await insertLead({ id: 'l-free', status: 'New' });
    await expectValidationError(linkLeadToContact(db, 'l-free', 'c-jane'), 'already-linked', 'leadId');
    await expectValidationError(linkLeadToContact(db, 'lead-c-jane', 'c-max'), 'already-linked', 'contactId');
    expect((await getLead(db, 'l-free')).contactId).toBe('');
    expect((await getContact(db, 'c-max')).leadId).toBe('');
    await expectValidationError(linkLeadToContact(db, 'l-missing', 'c-max'), 'not-found', 'leadId');
  });

  test('unlinkLead clears both references and keeps statuses', async () => {
    await insertContact({ id: 'c-jane', status: 'Lead' });
    await unlinkLead(db, 'lead-c-jane');
    expect(await getContact(db, 'c-jane')).toMatchObject({ leadId: '', status: 'Lead' });
    expect(await getLead(db, 'lead-c-jane')).toMatchObject({ contactId: '', status: 'New' });
    expect(await checkInvariants(db)).toEqual([]);
  });

  test('references and conversion flags are managed by the rules, not by direct writes', async () => {
    await insertContact({ id: 'c-jane', status: 'Lead' });
    await insertLead({ id: 'l-free' });
    await expectValidationError(patchContact(db, 'c-jane', { leadId: 'l-free' }), 'validation', 'leadId');
    await expectValidationError(patchLead(db, 'l-free', { contactId: 'c-jane' }), 'validation', 'contactId');
    await expectValidationError(
      patchContact(db, 'c-jane', { isConvertedFromLead: true }),
      'validation',
      'isConvertedFromLead',
    );
    await expectValidationError(
      db.leads.insert({ id: 'l-2', firstName: 'X', contactId: 'c-jane' } as Lead),
      'validation',
      'contactId',
    );
    expect(await checkInvariants(db)).toEqual([]);
  });
});

describe('no-op rule', () => {
  test('an edit to a contact in Lead writes its lead once and nothing back; a repeat writes nothing', async () => {
    await insertContact({ id: 'c-jane', status: 'Lead' });
    const contactWrites = countWrites(db.contacts);
    const leadWrites = countWrites(db.leads);
    await patchContact(db, 'c-jane', { email: 'jane@new.test', company: 'New Co' });
    expect(leadWrites.of('lead-c-jane')).toBe(1);
    expect(contactWrites.of('c-jane')).toBe(1); // the user's own write only
    leadWrites.reset();
    contactWrites.reset();
    await patchContact(db, 'c-jane', { email: 'jane@new.test', company: 'New Co' });
    expect(leadWrites.of('lead-c-jane')).toBe(0);
    expect(contactWrites.of('c-jane')).toBe(1);
    contactWrites.stop();
    leadWrites.stop();
  });

  test('an edit to a non-mapped field writes nothing to the lead', async () => {
    await insertContact({ id: 'c-jane', status: 'Lead' });
    const leadWrites = countWrites(db.leads);
    await patchContact(db, 'c-jane', { notes: 'only notes' });
    expect(leadWrites.of('lead-c-jane')).toBe(0);
    leadWrites.stop();
  });

  test('a lead edit writes the contact once and nothing back to the lead', async () => {
    await insertContact({ id: 'c-jane', status: 'Lead' });
    const contactWrites = countWrites(db.contacts);
    const leadWrites = countWrites(db.leads);
    await patchLead(db, 'lead-c-jane', { lastName: 'Doe' });
    expect(contactWrites.of('c-jane')).toBe(1);
    expect(leadWrites.of('lead-c-jane')).toBe(1);
    contactWrites.stop();
    leadWrites.stop();
  });
});

describe('one lead per contact', () => {
  test('status flips Lead ⇄ Active ⇄ Inactive never create a second lead', async () => {
    await insertContact({ id: 'c-jane', status: 'Lead' });
    for (const status of ['Active', 'Lead', 'Inactive', 'Lead', 'Prospect', 'Lead'] as const) {
      await patchContact(db, 'c-jane', { status });
    }
    const leads = await db.leads.find().exec();
    expect(leads.map((lead) => lead.id)).toEqual(['lead-c-jane']);
    expect(leads[0]?.status).toBe('New');
    expect(await checkInvariants(db)).toEqual([]);
  });

  test('after its lead was deleted, a contact back in Lead gets a new deterministic lead, not a resurrection', async () => {
    await insertContact({ id: 'c-jane', status: 'Lead' });
    await patchContact(db, 'c-jane', { status: 'Active' });
    await (await db.leads.findOne('lead-c-jane').exec())?.remove();
    const contact = await patchContact(db, 'c-jane', { status: 'Lead' });
    expect(contact.leadId).toBe('lead-c-jane-2');
    expect((await db.leads.find().exec()).map((lead) => lead.id)).toEqual(['lead-c-jane-2']);
    expect(await checkInvariants(db)).toEqual([]);
  });

  test('a new contact in Lead whose lead id is held by a deleted lead gets the next id, audited under it', async () => {
    // RxDB turns an insert over a deleted document into its resurrection: the rules must read the id first
    // (a contact of that id lived and was purged; its deleted lead remains).
    await insertLead({ id: 'lead-c-jane', email: 'other@x.test' });
    await (await db.leads.findOne('lead-c-jane').exec())?.remove();
    await insertContact({ id: 'c-jane', status: 'Lead' });
    expect((await getContact(db, 'c-jane')).leadId).toBe('lead-c-jane-2');
    expect(await getLead(db, 'lead-c-jane-2')).toMatchObject({ contactId: 'c-jane', email: jane.email });
    expect((await db.leads.find().exec()).map((lead) => lead.id)).toEqual(['lead-c-jane-2']);
    const audit = await activitiesOf(db, { contactId: 'c-jane' });
    expect(audit.map((entry) => [entry.rule, entry.leadId])).toEqual([
      [null, 'lead-c-jane-2'],
      ['R1', 'lead-c-jane-2'],
    ]);
    expect(await checkInvariants(db)).toEqual([]);
  });

  test('a new contact in Lead whose lead id is held by an unlinked lead with its email is refused up front', async () => {
    await insertLead({ id: 'lead-c-jane', email: jane.email });
    await expectValidationError(insertContact({ id: 'c-jane', status: 'Lead' }), 'duplicate-email', 'email');
    expect(await db.contacts.count().exec()).toBe(0);
    await patchLead(db, 'lead-c-jane', { email: 'old-lead@acme.test' });
    await insertContact({ id: 'c-jane', status: 'Lead' });
    expect((await getContact(db, 'c-jane')).leadId).toBe('lead-c-jane-2');
    expect((await getLead(db, 'lead-c-jane')).contactId).toBe('');
    expect(await checkInvariants(db)).toEqual([]);
  });

  test('a contact unlinked from its lead gets a new lead instead of silently taking the old one back', async () => {
    await insertContact({ id: 'c-jane', status: 'Active' });
    await patchContact(db, 'c-jane', { status: 'Lead' });
    await unlinkLead(db, 'lead-c-jane');
    await patchContact(db, 'c-jane', { status: 'Prospect' });
    // The old lead still holds Jane's email: a second lead with it would break uniqueness among leads.
    await expectValidationError(patchContact(db, 'c-jane', { status: 'Lead' }), 'duplicate-email', 'email');
    expect(await db.leads.count().exec()).toBe(1);
    await patchLead(db, 'lead-c-jane', { email: 'old-lead@acme.test' });
    await patchContact(db, 'c-jane', { status: 'Lead' });
    expect((await getContact(db, 'c-jane')).leadId).toBe('lead-c-jane-2');
    expect((await getLead(db, 'lead-c-jane')).contactId).toBe('');
    expect(await checkInvariants(db)).toEqual([]);
  });
});

describe('email uniqueness', () => {
  test('among contacts: trimmed and case-insensitive', async () => {
    await insertContact({ id: 'c-jane', status: 'Prospect', email: 'Jane@Company.com' });
    await expectValidationError(
      db.contacts.insert({
        id: 'c-2',
        firstName: 'Other',
        email: '  jane@COMPANY.com ',
        status: 'Active',
      } as Contact),
      'duplicate-email',
      'email',
    );
    expect(await db.contacts.count().exec()).toBe(1);
    await insertContact({ id: 'c-3', status: 'Active', email: 'x@y.test' });
    await expectValidationError(
      patchContact(db, 'c-3', { email: 'JANE@company.com' }),
      'duplicate-email',
      'email',
    );
    expect((await getContact(db, 'c-3')).email).toBe('x@y.test');
  });

  test('among leads, and a contact in Lead whose email a lead already uses is refused whole', async () => {
    await insertLead({ id: 'l-1', email: 'lou@lead.test' });
    await expectValidationError(
      db.leads.insert({ id: 'l-2', firstName: 'B', email: 'LOU@lead.test' } as Lead),
      'duplicate-email',
      'email',
    );
    await expectValidationError(
      db.contacts.insert({
        id: 'c-lou',
        firstName: 'Lou',
        email: ' Lou@Lead.test',
        status: 'Lead',
      } as Contact),
      'duplicate-email',
      'email',
    );
    expect(await db.contacts.count().exec()).toBe(0);
    expect((await db.leads.find().exec()).map((lead) => lead.id)).toEqual(['l-1']);
    // The same person as a contact that is not a lead is fine: uniqueness is per collection.
    await insertContact({ id: 'c-lou', status: 'Prospect', email: 'lou@lead.test' });
  });

  test('a deleted document frees its email', async () => {
    await insertContact({ id: 'c-jane', status: 'Prospect' });
    await (await db.contacts.findOne('c-jane').exec())?.remove();
    await insertContact({ id: 'c-jane-2', status: 'Prospect' });
    expect((await getContact(db, 'c-jane-2')).emailKey).toBe('jane@company.com');
  });

  test('a refused write does not keep its email reserved', async () => {
    await insertLead({ id: 'l-1', email: 'taken@x.test' });
    // Free among contacts (reserved by the check) but taken among leads: refused after the reservation.
    await expectValidationError(
      db.contacts.insert({ id: 'c-1', firstName: 'One', email: 'taken@x.test', status: 'Lead' } as Contact),
      'duplicate-email',
      'email',
    );
    const contact = await insertContact({ id: 'c-2', status: 'Prospect', email: 'TAKEN@x.test' });
    expect(contact.emailKey).toBe('taken@x.test');
  });

  test('documents of one bulkInsert see each other; the batch is refused whole', async () => {
    await expectValidationError(
      db.contacts.bulkInsert([
        { id: 'b-1', firstName: 'A', email: 'same@x.test', status: 'Lead' },
        { id: 'b-2', firstName: 'B', email: 'SAME@x.test ', status: 'Active' },
      ] as Contact[]),
      'duplicate-email',
      'email',
    );
    expect(await db.contacts.count().exec()).toBe(0);
    expect(await db.leads.count().exec()).toBe(0);
  });
});

describe('validation', () => {
  test.each([
    ['empty first name', { firstName: '' }, 'firstName'],
    ['bad email', { email: 'jane@' }, 'email'],
    ['unknown status', { status: 'Customer' }, 'status'],
    ['unknown source', { source: 'Radio' }, 'source'],
  ])('%s → field-level error, nothing stored', async (_name, fields, field) => {
    await expectValidationError(
      db.contacts.insert({ id: 'c-x', firstName: 'X', status: 'Lead', ...fields } as unknown as Contact),
      'validation',
      field,
    );
    expect(await db.contacts.count().exec()).toBe(0);
    expect(await db.leads.count().exec()).toBe(0);
  });

  test('an invalid edit leaves the stored contact and its lead untouched', async () => {
    const contact = await insertContact({ id: 'c-jane', status: 'Lead' });
    const lead = await getLead(db, 'lead-c-jane');
    await expectValidationError(
      patchContact(db, 'c-jane', { firstName: '', status: 'Active' }),
      'validation',
      'firstName',
    );
    expect(await getContact(db, 'c-jane')).toEqual(contact);
    expect(await getLead(db, 'lead-c-jane')).toEqual(lead);
  });
});

describe('local writes only', () => {
  test('a replicated write (storageInstance.bulkWrite) runs no rule', async () => {
    const now = Date.now();
    // Replication stores documents with their derived local fields (sort keys), as start-sync does.
    const replicated = deriveLocalFields('contacts', {
      ...jane,
      id: 'c-remote',
      status: 'Lead',
      emailKey: 'jane@company.com',
      leadId: '',
      isConvertedFromLead: false,
      conversionDate: null,
      mergedInto: '',
      createdAt: now,
      updatedAt: now,
      updatedBy: 'user-remote',
      serverRev: 7,
      _deleted: false,
      _attachments: {},
      _meta: { lwt: now },
      _rev: '1-remote',
    });
    const result = await db.contacts.storageInstance.bulkWrite(
      [{ document: replicated as never }],
      'replication',
    );
    expect(result.error).toEqual([]);
    expect((await getContact(db, 'c-remote')).updatedBy).toBe('user-remote');
    expect(await db.leads.count().exec()).toBe(0);
    await whenRulesSettled(db);
    expect(await db.activities.count().exec()).toBe(0);
  });
});

describe('write paths', () => {
  test('bulkInsert: every contact in Lead gets its lead (created in one batch), all linked', async () => {
    const contacts = Array.from({ length: 40 }, (_, index) => ({
      id: `bulk-${index}`,
      firstName: `F${index}`,
      email: `bulk${index}@x.test`,
      status: index % 2 === 0 ? 'Lead' : 'Active',
    }));
    const result = await db.contacts.bulkInsert(contacts as Contact[]);
    expect(result.error).toEqual([]);
    const leads = await db.leads.find().exec();
    expect(leads.map((lead) => lead.id).sort()).toEqual(
      contacts
        .filter((_, index) => index % 2 === 0)
        .map((contact) => `lead-${contact.id}`)
        .sort(),
    );
    expect(await checkInvariants(db)).toEqual([]);
    await whenRulesSettled(db);
    expect(await db.activities.count().exec()).toBe(40 + 20);
  });

  test('incrementalPatch: the linked write lands by whenRulesSettled', async () => {
    await insertContact({ id: 'c-jane', status: 'Lead' });
    await (await db.contacts.findOne('c-jane').exec())?.incrementalPatch({ company: 'Incremental Inc' });
    await whenRulesSettled(db);
    expect((await getLead(db, 'lead-c-jane')).company).toBe('Incremental Inc');
  });

  test('incrementalRemove runs R10 too', async () => {
    await insertContact({ id: 'c-jane', status: 'Lead' });
    await (await db.contacts.findOne('c-jane').exec())?.incrementalRemove();
    await whenRulesSettled(db);
    expect((await getLead(db, 'lead-c-jane')).contactId).toBe('');
    expect(await checkInvariants(db)).toEqual([]);
  });
});

describe('audit trail', () => {
  test('a record history lists creation, rule effects and conversion in order', async () => {
    await insertContact({ id: 'c-jane', status: 'Lead' });
    await patchContact(db, 'c-jane', { email: 'jane@new.test' });
    await patchLead(db, 'lead-c-jane', { status: 'Won' });
    const trail = await activitiesOf(db, { contactId: 'c-jane' });
    expect(trail.map((entry) => [entry.kind, entry.rule, entry.statusBefore, entry.statusAfter])).toEqual([
      ['created', null, '', 'Lead'],
      ['created', 'R1', '', 'New'],
      // The person's own edits, with their values; the rules' copies and the conversion have their own entries.
      ['edited', null, '', ''],
      ['rule', 'R5', 'New', 'New'],
      ['edited', null, 'New', 'Won'],
      ['converted', 'R6', 'Lead', 'Active'],
    ]);
    expect(trail[2]?.changes).toEqual([
      { field: 'email', before: 'jane@company.com', after: 'jane@new.test' },
    ]);
    expect(trail[3]?.fields).toEqual(['email']);
    expect(trail[4]?.changes).toEqual([{ field: 'status', before: 'New', after: 'Won' }]);
    expect(trail.every((entry) => entry.updatedBy === TEST_USER && entry.leadId === 'lead-c-jane')).toBe(
      true,
    );
  });
});

describe('edit history', () => {
  test("a person's edit is one 'edited' entry with each field's values; a save that changes nothing adds none", async () => {
    await insertContact({ id: 'c-jane', status: 'Active', phone: '+1 555 0100' });
    await patchContact(db, 'c-jane', { phone: '+1 555 0199', jobTitle: 'CTO' });
    await patchContact(db, 'c-jane', { phone: '+1 555 0199' });
    await patchContact(db, 'c-jane', { notes: 'x'.repeat(5000) });
    await whenRulesSettled(db);
    const edits = (await activitiesOf(db, { contactId: 'c-jane' })).filter(
      (entry) => entry.kind === 'edited',
    );
    expect(edits).toHaveLength(2);
    expect(edits[0]?.changes).toEqual([
      { field: 'phone', before: '+1 555 0100', after: '+1 555 0199' },
      { field: 'jobTitle', before: 'Buyer', after: 'CTO' },
    ]);
    expect(edits[0]?.updatedBy).toBe(TEST_USER);
    // Long values keep a readable start in the timeline, not the whole text.
    expect(String(edits[1]?.changes[0]?.after).length).toBeLessThanOrEqual(200);
  });
});

describe('concurrent writes', () => {
  test('a user write meeting an engine write on the same document still runs its rules', async () => {
    await insertContact({ id: 'c-jane', status: 'Lead' });
    const lead = await db.leads.findOne('lead-c-jane').exec();
    // R5 is about to write the lead (an engine write); at that very moment the user wins the lead.
    let userWrite: Promise<unknown> | undefined;
    interceptLinkedWrites(db, (write) => {
      if (write.target.id === 'lead-c-jane') userWrite ??= lead?.incrementalPatch({ status: 'Won' });
    });
    await patchContact(db, 'c-jane', { company: 'Concurrent Inc' });
    await userWrite;
    await whenRulesSettled(db);
    interceptLinkedWrites(db, null);
    // R6 ran for the user's write: the contact is converted, and the engine's R5 copy landed too.
    expect(await getLead(db, 'lead-c-jane')).toMatchObject({
      status: 'Won',
      company: 'Concurrent Inc',
      isConvertedToContact: true,
    });
    expect(await getContact(db, 'c-jane')).toMatchObject({ status: 'Active', isConvertedFromLead: true });
    expect(await checkInvariants(db)).toEqual([]);
  });
});
