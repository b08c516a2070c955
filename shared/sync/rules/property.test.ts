import { type Contact, contactStatuses, type Lead, leadStatuses } from '@shared/schemas';
import { createTestDatabase } from '@testing/database';
import { injectLinkedWriteFailures } from '@testing/faults';
import fc from 'fast-check';
import { expect, test } from 'vitest';
import type { CrmDatabase } from '../database';
import {
  checkInvariants,
  getRuleErrors,
  isCrmValidationError,
  linkLeadToContact,
  reconcile,
  unlinkLead,
} from '../index';

/** Small pools so that operations hit the same records and emails often. */
const slot = fc.integer({ min: 0, max: 5 });
const email = fc.constantFrom('', 'ann@x.test', ' ANN@x.test', 'bob@x.test', 'Bob@X.test ', 'cy@x.test');
const contactStatus = fc.constantFrom(...contactStatuses);
const leadStatus = fc.constantFrom(...leadStatuses);
const dataEdit = fc.record(
  {
    firstName: fc.constantFrom('Ann', 'Bob', 'Cy'),
    lastName: fc.constantFrom('', 'Ames', 'Bell'),
    email,
    phone: fc.constantFrom('', '+1', '+2'),
    company: fc.constantFrom('', 'Acme', 'Beta'),
    notes: fc.constantFrom('', 'note'),
  },
  { requiredKeys: [] },
);

const operation = fc.oneof(
  fc.record({ op: fc.constant('createContact' as const), slot, status: contactStatus, email }),
  fc.record({ op: fc.constant('editContact' as const), slot, edit: dataEdit }),
  fc.record({ op: fc.constant('contactStatus' as const), slot, status: contactStatus }),
  fc.record({ op: fc.constant('deleteContact' as const), slot }),
  fc.record({ op: fc.constant('createLead' as const), slot, status: leadStatus, email }),
  fc.record({ op: fc.constant('editLead' as const), slot, edit: dataEdit }),
  fc.record({ op: fc.constant('leadStatus' as const), slot, status: leadStatus }),
  fc.record({ op: fc.constant('deleteLead' as const), slot }),
  fc.record({ op: fc.constant('link' as const), slot, contactSlot: slot }),
  fc.record({ op: fc.constant('unlink' as const), slot }),
);
type Operation = typeof operation extends fc.Arbitrary<infer T> ? T : never;

/** Picks an existing live document by slot (ids differ per run, so slots index the current list). */
async function pick<T>(collection: CrmDatabase['contacts'] | CrmDatabase['leads'], index: number) {
  const docs = await (collection as CrmDatabase['contacts']).find({ sort: [{ id: 'asc' }] }).exec();
  return docs.length === 0 ? null : (docs[index % docs.length] as unknown as { id: string } & T);
}

/** Numbers the created ids; reset at the start of each run so that a run's ids (and their order) do not depend on the runs before it. */
let counter = 0;
async function apply(db: CrmDatabase, step: Operation): Promise<void> {
  counter++;
  switch (step.op) {
    case 'createContact':
      await db.contacts.insert({
        id: `c${step.slot}-${counter}`,
        firstName: 'New',
        email: step.email,
        status: step.status,
      } as Contact);
      return;
    case 'createLead':
      await db.leads.insert({
        id: `l${step.slot}-${counter}`,
        firstName: 'Lead',
        email: step.email,
        status: step.status,
      } as Lead);
      return;
    case 'editContact':
    case 'contactStatus': {
      const doc = await pick<Contact>(db.contacts, step.slot);
      const patch = step.op === 'editContact' ? step.edit : { status: step.status };
      if (doc) await (doc as unknown as { patch(p: object): Promise<unknown> }).patch(patch);
      return;
    }
    case 'editLead':
    case 'leadStatus': {
      const doc = await pick<Lead>(db.leads, step.slot);
      const patch = step.op === 'editLead' ? step.edit : { status: step.status };
      if (doc) await (doc as unknown as { patch(p: object): Promise<unknown> }).patch(patch);
      return;
    }
    case 'deleteContact':
    case 'deleteLead': {
      const doc = await pick(step.op === 'deleteContact' ? db.contacts : db.leads, step.slot);
      if (doc) await (doc as unknown as { remove(): Promise<unknown> }).remove();
      return;
    }
    case 'link': {
      const [lead, contact] = [await pick(db.leads, step.slot), await pick(db.contacts, step.contactSlot)];
      if (lead && contact) await linkLeadToContact(db, lead.id, contact.id);
      return;
    }
    case 'unlink': {
      const lead = await pick(db.leads, step.slot);
      if (lead) await unlinkLead(db, lead.id);
      return;
    }
  }
}

/** Refusals (duplicate email, already linked, invalid data) are the rules working, not failures. */
async function applyAllowingRefusals(db: CrmDatabase, step: Operation) {
  try {
    await apply(db, step);
  } catch (error) {
    if (!isCrmValidationError(error)) throw error;
  }
}

test('random local operations keep I1–I4 after every write', async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(operation, { minLength: 30, maxLength: 80 }), async (steps) => {
      counter = 0;
      const db = await createTestDatabase();
      try {
        for (const step of steps) {
          await applyAllowingRefusals(db, step);
          expect(await checkInvariants(db), JSON.stringify(step)).toEqual([]);
        }
        expect(await getRuleErrors(db)).toEqual([]);
      } finally {
        await db.close();
      }
    }),
    { numRuns: Number(process.env.PROPERTY_RUNS ?? 30) },
  );
});

/** An operation, whether its linked writes fail, and 0 to reconcile after it. */
type FailingStep = [Operation, boolean, number];
/**
 * The counterexample of the clean-clone CI of 49ed21c (seed -1728356275), shrunk by hand: the unlink's
 * write to the contact fails (the contact still points at its lead), the contact then takes an email that
 * a later lead holds, and reconcile's relinking of the half pair, which copies that email onto the lead, is
 * refused. The fallback left the contact pointing at a lead that pointed at no contact (I1).
 */
const halfUnlinkThenTakenEmail: FailingStep[] = [
  [{ op: 'createContact', slot: 0, status: 'Lead', email: '' }, false, 0],
  [{ op: 'unlink', slot: 0 }, true, 1],
  [{ op: 'editContact', slot: 0, edit: { email: 'Bob@X.test ' } }, false, 1],
  [{ op: 'createLead', slot: 0, status: 'New', email: 'bob@x.test' }, false, 0],
];

test('with linked writes failing at random, reconcile restores I1–I4', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.array(fc.tuple(operation, fc.boolean(), fc.integer({ min: 0, max: 9 })), {
        minLength: 20,
        maxLength: 50,
      }),
      async (steps) => {
        counter = 0;
        const db = await createTestDatabase();
        try {
          for (const [step, fail, reconcileRoll] of steps) {
            injectLinkedWriteFailures(db, fail ? () => true : null);
            await applyAllowingRefusals(db, step);
            if (reconcileRoll === 0) {
              injectLinkedWriteFailures(db, null);
              await reconcile(db);
              expect(await checkInvariants(db)).toEqual([]);
            }
          }
          injectLinkedWriteFailures(db, null);
          await reconcile(db);
          expect(await checkInvariants(db)).toEqual([]);
          const second = await reconcile(db);
          expect(second.documentsWritten + second.retried).toBe(0); // idempotent
        } finally {
          await db.close();
        }
      },
    ),
    { numRuns: Number(process.env.PROPERTY_RUNS ?? 30), examples: [[halfUnlinkThenTakenEmail]] },
  );
});
