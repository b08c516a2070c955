import type { Contact } from '@shared/schemas';
import {
  createTestDatabase,
  getContact,
  getLead,
  patchContact,
  patchLead,
  TEST_USER,
} from '@testing/database';
import { injectLinkedWriteFailures } from '@testing/faults';
import { writeBypassingHooks } from '@testing/write-bypassing-hooks';
import { IDBFactory } from 'fake-indexeddb';
import { firstValueFrom } from 'rxjs';
import { afterEach, describe, expect, test } from 'vitest';
import type { CrmDatabase } from '../database';
import {
  checkInvariants,
  clearRuleErrors,
  dismissRuleError,
  getRuleErrors,
  linkLeadToContact,
  reconcile,
  ruleErrors$,
  unlinkLead,
} from '../index';

let db: CrmDatabase | undefined;
afterEach(async () => {
  await db?.close();
  db = undefined;
});

const jane = { id: 'c-jane', firstName: 'Jane', lastName: 'Smith', email: 'jane@acme.test', status: 'Lead' };

async function open() {
  db = await createTestDatabase();
  return db;
}

describe('graceful degradation (docs/link-rules.md)', () => {
  test('R1: the lead insert fails → contact stored, error logged, reconcile creates the lead', async () => {
    const db = await open();
    injectLinkedWriteFailures(db, (write) => write.target.collection === 'leads');
    await db.contacts.insert(jane as Contact); // resolves: the user's write is kept
    const contact = await getContact(db, 'c-jane');
    expect(contact).toMatchObject({ status: 'Lead', leadId: 'lead-c-jane', updatedBy: TEST_USER });
    expect(await db.leads.count().exec()).toBe(0);

    const errors = await firstValueFrom(ruleErrors$(db));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({
      rule: 'R1',
      trigger: { collection: 'contacts', id: 'c-jane' },
      target: { collection: 'leads', id: 'lead-c-jane' },
      message: expect.stringContaining('Injected failure'),
    });
    expect(errors[0]?.at).toBeGreaterThan(0);
    expect((await checkInvariants(db)).map((violation) => violation.invariant)).toEqual(['I1']);

    injectLinkedWriteFailures(db, null);
    expect(await reconcile(db)).toEqual({ retried: 1, documentsWritten: 1, failures: 0 });
    expect(await getLead(db, 'lead-c-jane')).toMatchObject({
      contactId: 'c-jane',
      status: 'New',
      firstName: 'Jane',
      email: 'jane@acme.test',
      autoCreatedFromContact: true,
    });
    expect(await checkInvariants(db)).toEqual([]);
    expect(await getRuleErrors(db)).toEqual([]); // the retried failure left the log
    expect(await reconcile(db)).toEqual({ retried: 0, documentsWritten: 0, failures: 0 }); // idempotent
  });

  test('R3: marking the lead Won fails → contact converted anyway, reconcile wins the lead', async () => {
    const db = await open();
    await db.contacts.insert(jane as Contact);
    injectLinkedWriteFailures(db, () => true);
    const contact = await patchContact(db, 'c-jane', { status: 'Active' });
    expect(contact).toMatchObject({ status: 'Active', isConvertedFromLead: true });
    expect((await getLead(db, 'lead-c-jane')).status).toBe('New');
    expect((await getRuleErrors(db)).map((entry) => entry.rule)).toEqual(['R3']);

    injectLinkedWriteFailures(db, null);
    await reconcile(db);
    expect(await getLead(db, 'lead-c-jane')).toMatchObject({
      status: 'Won',
      isConvertedToContact: true,
      conversionDate: contact.conversionDate,
    });
    expect(await checkInvariants(db)).toEqual([]);
  });

  test('R4 failure is retried by reconcile; a failure superseded by a newer edit is dropped', async () => {
    const db = await open();
    await db.contacts.insert(jane as Contact);
    injectLinkedWriteFailures(db, () => true);
    await patchContact(db, 'c-jane', { status: 'Inactive' });
    injectLinkedWriteFailures(db, null);
    await reconcile(db);
    expect((await getLead(db, 'lead-c-jane')).status).toBe('Lost');

    injectLinkedWriteFailures(db, () => true);
    await patchLead(db, 'lead-c-jane', { status: 'New', company: 'Failed Co' }); // R9 fails
    injectLinkedWriteFailures(db, null);
    await patchContact(db, 'c-jane', { notes: 'newer edit' }); // the trigger changed since
    await reconcile(db);
    expect(await getRuleErrors(db)).toEqual([]);
    expect(await checkInvariants(db)).toEqual([]);
  });

  test('R9: copying lead data fails → lead edit kept; the pair is repaired from the newer side', async () => {
    const db = await open();
    await db.contacts.insert(jane as Contact);
    injectLinkedWriteFailures(db, (write) => write.rule === 'R9');
    const lead = await patchLead(db, 'lead-c-jane', { lastName: 'Doe', phone: '+200' });
    expect(lead.lastName).toBe('Doe');
    expect((await getContact(db, 'c-jane')).lastName).toBe('Smith');
    expect((await checkInvariants(db)).map((violation) => violation.invariant)).toEqual(['I4']);
    injectLinkedWriteFailures(db, null);
    await reconcile(db);
    expect(await getContact(db, 'c-jane')).toMatchObject({ lastName: 'Doe', phone: '+200' });
    expect(await checkInvariants(db)).toEqual([]);
  });

  test('a contact email already used by another lead is refused up front when it would be copied', async () => {
    const db = await open();
    await db.contacts.insert(jane as Contact);
    await db.leads.insert({ id: 'l-other', firstName: 'Other', email: 'taken@acme.test' } as never);
    await expect(patchContact(db, 'c-jane', { email: ' TAKEN@acme.test' })).rejects.toMatchObject({
      reason: 'duplicate-email',
      issues: [{ field: 'email', message: expect.stringContaining('lead "Other"') }],
    });
    expect((await getContact(db, 'c-jane')).email).toBe('jane@acme.test');
    expect((await getLead(db, 'lead-c-jane')).email).toBe('jane@acme.test');
  });

  test('a copied email that collides (arrived by replication) fails only the linked write', async () => {
    const db = await open();
    await db.contacts.insert(jane as Contact);
    await db.leads.insert({ id: 'l-other', firstName: 'Other', email: 'taken@acme.test' } as never);
    // Replication (no hooks) brings an edit of Jane's email that collides with l-other among leads.
    const [previous] = await db.contacts.storageInstance.findDocumentsById(['c-jane'], false);
    if (!previous) throw new Error('c-jane missing');
    const now = Date.now() + 1000;
    const replicated = { ...previous, email: 'taken@acme.test', emailKey: 'taken@acme.test', updatedAt: now };
    await db.contacts.storageInstance.bulkWrite(
      [{ previous, document: { ...replicated, _meta: { lwt: now } } }],
      'replication',
    );
    expect((await checkInvariants(db)).map((violation) => violation.invariant)).toEqual(['I4']);

    const result = await reconcile(db);
    expect(result.failures).toBe(1);
    const [error] = await getRuleErrors(db);
    expect(error).toMatchObject({
      rule: 'reconcile',
      target: { collection: 'leads', id: 'lead-c-jane' },
      message: expect.stringContaining('already used by lead "Other"'),
    });
    expect((await getLead(db, 'lead-c-jane')).email).toBe('jane@acme.test');
  });

  // Found by property.test.ts (clean-clone CI of 49ed21c, seed -1728356275): a half-done unlink, then an
  // email that the repair of the half pair would copy onto a lead, where another lead holds it. Until
  // session 8 the pair ended unlinked (562a834); the relink is now written alone, so only the copy fails.
  test('a half pair whose field copy fails on a taken email ends linked, with the lead values', async () => {
    const db = await open();
    await db.contacts.insert(jane as Contact);
    injectLinkedWriteFailures(db, () => true);
    await unlinkLead(db, 'lead-c-jane'); // the lead is unlinked, its contact still points at it
    injectLinkedWriteFailures(db, null);
    await patchContact(db, 'c-jane', { email: 'Taken@acme.test ' }); // supersedes the logged R11 retry
    await db.leads.insert({ id: 'l-other', firstName: 'Other', email: 'taken@acme.test' } as never);

    // The contact keeps its free lead (the reference alone: written); copying Jane's newer email onto
    // lead-c-jane is refused (l-other holds it), so the pair takes the values of the side that refused.
    expect(await reconcile(db)).toMatchObject({ failures: 1 });
    expect(await checkInvariants(db)).toEqual([]);
    expect(await getLead(db, 'lead-c-jane')).toMatchObject({ contactId: 'c-jane', email: 'jane@acme.test' });
    expect(await getContact(db, 'c-jane')).toMatchObject({ leadId: 'lead-c-jane', email: 'jane@acme.test' });
    expect(await getRuleErrors(db)).toMatchObject([
      {
        rule: 'reconcile',
        trigger: { collection: 'contacts', id: 'c-jane' },
        target: { collection: 'leads', id: 'lead-c-jane' },
        message: expect.stringContaining('already used by lead "Other"'),
      },
    ]);
    expect(await reconcile(db)).toEqual({ retried: 0, documentsWritten: 0, failures: 0 }); // idempotent
  });

  // Review of session 7: device B gives c-other a new email and links l-jane to Jane with c-other's old
  // address; this device receives the lead before both contacts. Unlinking the pair here (562a834) would
  // replicate and unlink it on every device.
  test('a lead arriving linked to a free contact ends linked when copying its taken email is refused', async () => {
    const db = await open();
    await db.contacts.insert({ ...jane, status: 'Active' } as Contact);
    await db.contacts.insert({
      id: 'c-other',
      firstName: 'Other',
      email: 'taken@acme.test',
      status: 'Active',
    } as Contact);
    await db.leads.insert({ id: 'l-jane', firstName: 'Jane', email: 'jane@acme.test' } as never);
    injectLinkedWriteFailures(db, () => true);
    await linkLeadToContact(db, 'l-jane', 'c-jane'); // the lead points at Jane, Jane at no lead
    injectLinkedWriteFailures(db, null);
    await clearRuleErrors(db);
    // Replicated (no rules): Jane back in Lead, then a newer lead email that another contact holds.
    await writeBypassingHooks(db, 'contacts', { id: 'c-jane', status: 'Lead', updatedAt: Date.now() });
    await writeBypassingHooks(db, 'leads', {
      id: 'l-jane',
      email: 'taken@acme.test',
      updatedAt: Date.now() + 1000,
    });

    // Jane takes the lead back (written alone); copying the lead's newer email onto her is refused.
    expect(await reconcile(db)).toMatchObject({ failures: 1 });
    expect(await checkInvariants(db)).toEqual([]);
    expect(await getContact(db, 'c-jane')).toMatchObject({ leadId: 'l-jane', email: 'jane@acme.test' });
    expect(await getLead(db, 'l-jane')).toMatchObject({ contactId: 'c-jane', email: 'jane@acme.test' });
    expect(await getRuleErrors(db)).toMatchObject([
      {
        rule: 'reconcile',
        trigger: { collection: 'leads', id: 'l-jane' },
        target: { collection: 'contacts', id: 'c-jane' },
        message: expect.stringContaining('already used by contact "Other"'),
      },
    ]);
    expect(await reconcile(db)).toEqual({ retried: 0, documentsWritten: 0, failures: 0 }); // idempotent
  });

  test('a refused repair leaves alone a half pair that arrived during the run; the next run links it', async () => {
    const db = await open();
    await db.contacts.insert(jane as Contact);
    await db.contacts.insert({
      id: 'c-free',
      firstName: 'Free',
      email: 'free@acme.test',
      status: 'Active',
    } as Contact);
    await db.leads.insert({ id: 'l-free', firstName: 'Free', email: 'free@acme.test' } as never);
    // Replicated: a newer last name on Jane's lead, which reconcile copies onto Jane.
    await writeBypassingHooks(db, 'leads', {
      id: 'lead-c-jane',
      lastName: 'Doe',
      updatedAt: Date.now() + 1000,
    });
    // While reconcile writes Jane, another device's link of l-free to c-free arrives (c-free's half still
    // on its way), and the write to Jane is refused.
    let arrived = false;
    db.contacts.preSave(async (data) => {
      if (data.id !== 'c-jane' || arrived) return;
      arrived = true;
      await writeBypassingHooks(db, 'leads', { id: 'l-free', contactId: 'c-free', updatedAt: Date.now() });
      throw new Error('storage full');
    }, false);

    expect(await reconcile(db)).toMatchObject({ failures: 1 });
    expect(arrived).toBe(true);
    // Jane's pair was tried and settled (the lead takes the values of the contact that refused)...
    expect(await getLead(db, 'lead-c-jane')).toMatchObject({ contactId: 'c-jane', lastName: 'Smith' });
    // ...the pair that arrived meanwhile was not tried, and is not unlinked because of Jane's failure.
    expect(await getLead(db, 'l-free')).toMatchObject({ contactId: 'c-free' });

    expect(await reconcile(db)).toMatchObject({ failures: 0 });
    expect(await getContact(db, 'c-free')).toMatchObject({ leadId: 'l-free' });
    expect(await checkInvariants(db)).toEqual([]);
  });

  test('reconcile repairs from the documents alone, also when the log was cleared', async () => {
    const db = await open();
    injectLinkedWriteFailures(db, (write) => write.target.collection === 'leads');
    await db.contacts.insert(jane as Contact);
    await clearRuleErrors(db);
    injectLinkedWriteFailures(db, null);
    expect(await reconcile(db)).toMatchObject({ retried: 0, failures: 0 });
    expect(await getLead(db, 'lead-c-jane')).toMatchObject({
      contactId: 'c-jane',
      autoCreatedFromContact: true,
    });
    expect(await checkInvariants(db)).toEqual([]);
  });

  test('clearRuleErrors empties the observable log', async () => {
    const db = await open();
    injectLinkedWriteFailures(db, () => true);
    await db.contacts.insert(jane as Contact);
    expect(await firstValueFrom(ruleErrors$(db))).toHaveLength(1);
    await clearRuleErrors(db);
    expect(await firstValueFrom(ruleErrors$(db))).toEqual([]);
  });

  test('dismissing one rule error leaves the others in the log', async () => {
    const db = await open();
    injectLinkedWriteFailures(db, () => true);
    await db.contacts.insert(jane as Contact);
    await db.contacts.insert({ ...jane, id: 'c-joe', firstName: 'Joe', email: 'joe@acme.test' } as Contact);
    const [first, second] = await getRuleErrors(db);
    await dismissRuleError(db, first?.id ?? '');
    expect(await firstValueFrom(ruleErrors$(db))).toEqual([second]);
  });

  test('audit entries queued off the write path are written before close() completes', async () => {
    const indexedDB = new IDBFactory();
    const name = 'audit-on-close';
    const first = await createTestDatabase({ indexedDB, name });
    await first.contacts.insert(jane as Contact);
    await first.close(); // right away: the queued entries must not be lost

    db = await createTestDatabase({ indexedDB, name });
    const trail = await db.activities.find({ selector: { contactId: 'c-jane' } }).exec();
    expect(trail.map((entry) => `${entry.kind} ${entry.rule ?? '-'}`).sort()).toEqual([
      'created -',
      'created R1',
    ]);
  });

  test('reconcile runs at start-up: a pair broken in the last session is repaired on open', async () => {
    const indexedDB = new IDBFactory();
    const name = 'restart-test';
    const first = await createTestDatabase({ indexedDB, name });
    injectLinkedWriteFailures(first, () => true);
    await first.contacts.insert(jane as Contact);
    await first.close();

    db = await createTestDatabase({ indexedDB, name });
    expect(await getLead(db, 'lead-c-jane')).toMatchObject({ contactId: 'c-jane' });
    expect(await checkInvariants(db)).toEqual([]);
  });
});
