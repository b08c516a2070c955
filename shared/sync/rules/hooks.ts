/**
 * The entry point of local writes into the link rules (rules.ts): RxDB hooks on `contacts` and `leads`.
 *
 * - pre-insert / pre-save / pre-remove hooks (run inside the user's write): refuse changes to the
 *   rule-managed fields, load the linked document, plan the rules, apply the changes to the user's own
 *   document (same write) and check email uniqueness, also for an email the rules will copy into the
 *   linked document (so such a write is refused up front instead of leaving the pair half-synced).
 * - post hooks (after the user's write is stored; `parallel = false`, so `insert()`, `patch()`, `remove()`
 *   resolve after them): write the linked document through its collection, then the audit trail.
 *   A failure there is recorded in the rule-error log and never reaches the caller (docs/link-rules.md).
 *   The lead R1 creates for a new contact is written alongside the contact's own storage write instead
 *   (lead-alongside.ts); its post hook then waits for it.
 *
 * Email uniqueness and free lead ids are answered from memory once loaded (stored-keys.ts), so a write
 * waits for no read before its own. The plan a pre hook computed reaches the storage write and the post
 * hook of the same write by a key of that write alone (write-handoff.ts), never by document or time.
 *
 * Replication writes go straight to `storageInstance.bulkWrite` and skip all collection hooks, so the
 * rules run on local writes only. Writes made by the rules themselves (engine-writes.ts) pass through the
 * hooks too (validation, `updatedAt`/`updatedBy`, email uniqueness) but do not trigger rules again.
 */

import { type Activity, autoLeadIdFor, type Contact, type Lead, type RuleId } from '@shared/schemas';
import type { RxCollection } from 'rxdb';
import type { CrmDatabase } from '../crm-database';
import { CrmValidationError } from '../errors';
import { activityOf, queueActivities, userEditChanges } from './audit-log';
import {
  assertEmailFree,
  releaseEmail,
  releaseEmailsOfRefusedWrite,
  startEmailCheck,
} from './email-uniqueness';
import { claimEngineWrite } from './engine-writes';
import type { LeadAlongside } from './lead-alongside';
import { freeAutoLeadId, withdrawCreatedLead } from './lead-creation';
import { type LinkedWrite, writeLinked } from './linked-writes';
import type { RuleErrorTarget } from './rule-errors';
import { track, whenRulesSettled } from './rule-work';
import {
  type ContactWritePlan,
  fullName,
  type LeadWritePlan,
  planContactWrite,
  planLeadWrite,
  type WriteKind,
} from './rules';
import { type EmailHolder, emailHolders, findLive, type LinkedCollection } from './storage-reads';
import { loadStoredKeys, storedKeys } from './stored-keys';
import { type Handoff, handOver, takeOver } from './write-handoff';

type LinkedDocument = Contact | Lead;

/** The rules' plan for one user write, before it is applied. */
type Planned = {
  plan: ContactWritePlan | LeadWritePlan;
  linkedId: string;
  /** The linked document the rules copy this write's email into (checked for uniqueness up front). */
  copiesEmailInto?: string | undefined;
  /** The holders query of that email, when it was started early. */
  emailHoldersQuery?: Promise<EmailHolder[]> | undefined;
};

const SIDES = {
  contacts: { other: 'leads', noun: 'Contact', defaultRule: 'R5' },
  leads: { other: 'contacts', noun: 'Lead', defaultRule: 'R9' },
} as const satisfies Record<LinkedCollection, { other: LinkedCollection; noun: string; defaultRule: RuleId }>;

const MANAGED_FIELDS: Record<LinkedCollection, readonly string[]> = {
  contacts: ['leadId', 'isConvertedFromLead', 'conversionDate'],
  leads: ['contactId', 'autoCreatedFromContact', 'isConvertedToContact', 'conversionDate'],
};
const REFERENCE_FIELD: Record<LinkedCollection, 'leadId' | 'contactId'> = {
  contacts: 'leadId',
  leads: 'contactId',
};

function refuseManagedChanges(
  collection: LinkedCollection,
  data: Record<string, unknown>,
  previous: Record<string, unknown> | undefined,
): void {
  const changed = previous
    ? MANAGED_FIELDS[collection].filter((field) => data[field] !== previous[field])
    : data[REFERENCE_FIELD[collection]]
      ? [REFERENCE_FIELD[collection]]
      : [];
  if (changed.length === 0) return;
  throw new CrmValidationError(
    'validation',
    changed.map((field) => ({
      field,
      message: 'Set by the link rules; use linkLeadToContact / unlinkLead to change the link',
    })),
  );
}

/** Waits for every check (so none reserves an email after the write was refused), then throws the first error. */
async function allSettledOrThrow(checks: (Promise<void> | '' | undefined)[]): Promise<void> {
  const results = await Promise.allSettled(checks);
  const failed = results.find((result) => result.status === 'rejected');
  if (failed) throw failed.reason;
}

async function planContact(
  db: CrmDatabase,
  kind: WriteKind,
  data: Contact,
  previous: Contact | undefined,
): Promise<Planned> {
  // Reads that R1 will need are started together, so the hot path waits for one round trip, not three.
  const likelyR1 = kind === 'insert' && data.status === 'Lead';
  const leadEmailHolders =
    likelyR1 && data.emailKey && !storedKeys(db) ? emailHolders(db, 'leads', data.emailKey) : undefined;
  leadEmailHolders?.catch(() => undefined);
  const [candidate, freeLeadId] = await Promise.all([
    findLive(db.leads, data.leadId),
    likelyR1 ? freeAutoLeadId(db, data.id) : undefined,
  ]);
  // A lead counts as linked only when it points back (I1); anything else is left to reconcile().
  const lead = candidate?.contactId === data.id ? candidate : null;
  const needsNewLead =
    kind !== 'remove' &&
    data.status === 'Lead' &&
    !lead &&
    (kind === 'insert' || previous?.status !== 'Lead');
  const plan = planContactWrite({
    kind,
    before: previous ?? null,
    after: data,
    lead,
    newLeadId: needsNewLead ? (freeLeadId ?? (await freeAutoLeadId(db, data.id))) : autoLeadIdFor(data.id),
    now: data.updatedAt,
  });
  return {
    plan,
    linkedId: plan.createLead?.id ?? lead?.id ?? '',
    copiesEmailInto: plan.createLead?.id ?? ('email' in plan.linked ? lead?.id : undefined),
    emailHoldersQuery: leadEmailHolders,
  };
}

async function planLead(
  db: CrmDatabase,
  kind: WriteKind,
  data: Lead,
  previous: Lead | undefined,
): Promise<Planned> {
  const candidate = await findLive(db.contacts, data.contactId);
  const contact = candidate?.leadId === data.id ? candidate : null;
  const plan = planLeadWrite({ kind, before: previous ?? null, after: data, contact, now: data.updatedAt });
  return {
    plan,
    linkedId: contact?.id ?? '',
    copiesEmailInto: 'email' in plan.linked ? contact?.id : undefined,
  };
}

/**
 * Pre hook of every local write to `collection`. An engine write is only checked for email uniqueness. A
 * user write: refuses managed-field edits, plans the rules, applies its own changes in the same write,
 * checks emails, and hands the plan to its post hook.
 */
async function preWrite(
  db: CrmDatabase,
  collection: LinkedCollection,
  kind: WriteKind,
  data: LinkedDocument,
  previous: LinkedDocument | undefined,
): Promise<void> {
  if (claimEngineWrite(data)) {
    if (kind !== 'remove' && data.emailKey !== previous?.emailKey)
      await assertEmailFree(db, collection, data.emailKey, data.id);
    return;
  }
  // The first user write loads the in-memory keys (not reconcile's repairs at start-up); it and the writes
  // meanwhile read storage instead.
  void loadStoredKeys(db);
  if (kind !== 'remove') refuseManagedChanges(collection, data, previous);
  // The own-collection email check does not depend on the plan: run it alongside the plan's reads.
  const ownEmailCheck = startEmailCheck(db, collection, kind, data, previous);
  const { plan, linkedId, copiesEmailInto, emailHoldersQuery } =
    collection === 'contacts'
      ? await planContact(db, kind, data as Contact, previous as Contact | undefined)
      : await planLead(db, kind, data as Lead, previous as Lead | undefined);
  Object.assign(data, plan.own);
  await allSettledOrThrow([
    ownEmailCheck,
    copiesEmailInto &&
      assertEmailFree(db, SIDES[collection].other, data.emailKey, copiesEmailInto, emailHoldersQuery),
  ]);
  const edits =
    kind === 'update' && previous
      ? userEditChanges(
          collection,
          previous as unknown as Record<string, unknown>,
          data as unknown as Record<string, unknown>,
        )
      : [];
  const createLead = 'createLead' in plan ? plan.createLead : null;
  handOver(data, {
    kind,
    plan,
    linkedId,
    edits,
    entry: db.crm.timelineEntryOf.get(data.id),
    leadAlongside:
      createLead && kind === 'insert' && storedKeys(db)?.contacts.has(data.id) === false
        ? leadAlongside(db, data, plan, createLead)
        : undefined,
  });
}

/** The rules' write to the linked document of a user write (or its lead to create). */
function linkedWriteOf(
  collection: LinkedCollection,
  data: LinkedDocument,
  plan: ContactWritePlan | LeadWritePlan,
  linkedId: string,
): Omit<LinkedWrite, 'create' | 'patch'> {
  const side = SIDES[collection];
  return {
    rule: plan.linkedRules[0] ?? side.defaultRule,
    trigger: { collection, id: data.id },
    triggerUpdatedAt: data.updatedAt,
    target: { collection: side.other, id: linkedId },
  };
}

/** R1's lead of a new contact, to be written alongside the contact's own write (lead-alongside.ts). */
function leadAlongside(
  db: CrmDatabase,
  contact: LinkedDocument,
  plan: ContactWritePlan | LeadWritePlan,
  lead: Lead,
): LeadAlongside {
  const write = { ...linkedWriteOf('contacts', contact, plan, lead.id), create: lead };
  return {
    contactId: contact.id,
    write: () => writeLinked(db, write),
    withdraw: () => {
      releaseEmailsOfRefusedWrite(db, contact);
      return track(db, withdrawCreatedLead(db, lead));
    },
    written: null,
  };
}

/**
 * The timeline entries of a user write itself: created / deleted, and 'edited' with the changed values;
 * or the entry its caller told (`writingTimelineEntries`: an import's "Imported from x.csv"), which an
 * update writes with the changed values too, and even when no form field changed.
 */
function ownEntries(
  db: CrmDatabase,
  collection: LinkedCollection,
  data: LinkedDocument,
  { kind, edits, entry }: Pick<Handoff, 'kind' | 'edits' | 'entry'>,
  ids: { contactId: string; leadId: string },
): Partial<Activity>[] {
  const noun = SIDES[collection].noun;
  const status = edits.find((change) => change.field === 'status');
  if (entry && kind !== 'remove')
    return [
      {
        ...activityOf(
          db,
          {
            ...entry,
            rule: null,
            statusBefore: status ? String(status.before) : '',
            statusAfter: data.status,
          },
          ids,
        ),
        ...(edits.length > 0 ? { changes: edits } : {}),
      },
    ];
  const activities: Partial<Activity>[] = [];
  if (kind === 'insert' || kind === 'remove')
    activities.push(
      activityOf(
        db,
        {
          kind: kind === 'insert' ? 'created' : 'deleted',
          rule: null,
          statusBefore: kind === 'insert' ? '' : data.status,
          statusAfter: kind === 'insert' ? data.status : '',
          fields: [],
          summary: `${noun} ${fullName(data)} ${kind === 'insert' ? 'created' : 'deleted'}`,
        },
        ids,
      ),
    );
  if (edits.length > 0) {
    activities.push({
      ...activityOf(
        db,
        {
          kind: 'edited',
          rule: null,
          statusBefore: status ? String(status.before) : '',
          statusAfter: status ? String(status.after) : '',
          fields: edits.map((change) => change.field),
          summary: `${noun} ${fullName(data)} edited`,
        },
        ids,
      ),
      changes: edits,
    });
  }
  return activities;
}

/**
 * Post hook of a user write (after it is stored): writes the linked document, releases the email
 * reservations, queues the audit entries. Rule effects on the linked document are audited only when that
 * write succeeded; its failure is in the rule-error log.
 */
async function postUserWrite(
  db: CrmDatabase,
  collection: LinkedCollection,
  data: LinkedDocument,
  { kind, plan, linkedId, edits, entry, leadAlongside }: Handoff,
): Promise<void> {
  const side = SIDES[collection];
  const ids =
    collection === 'contacts'
      ? { contactId: data.id, leadId: linkedId }
      : { contactId: linkedId, leadId: data.id };
  const trigger: RuleErrorTarget = { collection, id: data.id };
  const activities = ownEntries(db, collection, data, { kind, edits, entry }, ids);
  const linkedWrite = linkedWriteOf(collection, data, plan, linkedId);
  const createLead = 'createLead' in plan ? plan.createLead : null;
  let linkedOk = true;
  if (leadAlongside?.written) {
    linkedOk = await leadAlongside.written;
  } else if (createLead) {
    linkedOk = await writeLinked(db, { ...linkedWrite, create: createLead });
  } else if (linkedId && Object.keys(plan.linked).length > 0) {
    linkedOk = await writeLinked(db, { ...linkedWrite, patch: plan.linked } as LinkedWrite);
  }
  releaseEmail(db, collection, data.emailKey, data.id);
  if (linkedId) releaseEmail(db, side.other, data.emailKey, linkedId);
  for (const draft of plan.activities) {
    const onlyLinked = draft.rule !== null && plan.linkedRules.includes(draft.rule);
    if (linkedOk || !onlyLinked) activities.push(activityOf(db, draft, ids));
  }
  queueActivities(db, activities, trigger);
}

/** Installs the rule hooks on `contacts` and `leads`; called by createCrmDatabase after validation hooks. */
export function installLinkRules(db: CrmDatabase): void {
  for (const name of ['contacts', 'leads'] as const) {
    const collection = db[name] as unknown as RxCollection<LinkedDocument & { _deleted?: boolean }>;
    const pre = (kind: WriteKind, data: LinkedDocument, previous?: LinkedDocument) =>
      preWrite(db, name, kind, data, previous);
    // Post work never rejects (failures go to the rule-error log) and is tracked, because RxDB does not
    // wait for post hooks of incremental writes.
    const post = (data: LinkedDocument) => {
      const handoff = takeOver(data);
      return handoff ? track(db, postUserWrite(db, name, data, handoff)) : undefined;
    };
    // A refused write must not keep its email reserved (a corrected retry under another id would be refused).
    const preRefusable = (kind: WriteKind, data: LinkedDocument, previous?: LinkedDocument) =>
      pre(kind, data, previous).catch((error: unknown) => {
        releaseEmailsOfRefusedWrite(db, data);
        throw error;
      });
    collection.preInsert((data) => preRefusable('insert', data), false);
    // incrementalRemove() also runs the save hooks for the deletion; the remove hooks handle it.
    collection.preSave(
      (data, previous) => (data._deleted ? undefined : preRefusable('update', data, previous)),
      false,
    );
    collection.preRemove((data) => pre('remove', data), false);
    collection.postInsert((data) => post(data), false);
    collection.postSave((data) => (data._deleted ? undefined : post(data)), false);
    collection.postRemove((data) => post(data), false);
  }
  db.onClose.push(() => whenRulesSettled(db));
}
