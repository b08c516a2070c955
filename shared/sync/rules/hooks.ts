/**
 * The entry point of local writes into the link rules (rules.ts): RxDB hooks on `contacts` and `leads`.
 *
 * - pre-insert / pre-save / pre-remove hooks (run inside the user's write): refuse changes to the
 *   rule-managed fields, load the linked document, plan the rules, apply the changes to the user's own
 *   document (same write) and check email uniqueness, also for an email the rules will copy into the
 *   linked document (so such a write is refused up front instead of leaving the pair half-synced).
 * - post hooks (after the user's write is stored; `parallel = false`, so `insert()`, `patch()`, `remove()`
 *   resolve after them): write the linked document through its collection, then the audit trail.
 *   A failure there is recorded in the rule-error log and never reaches the caller (SPEC §3.4).
 *
 * Replication writes go straight to `storageInstance.bulkWrite` and skip all collection hooks, so the
 * rules run on local writes only. Writes made by the rules themselves ("engine writes", linked-writes.ts)
 * pass through the hooks too (validation, `updatedAt`/`updatedBy`, email uniqueness) but do not trigger
 * rules again.
 */

import { type Activity, autoLeadIdFor, type Contact, type Lead } from '@shared/schemas';
import type { RxCollection } from 'rxdb';
import type { CrmDatabase } from '../database';
import { CrmValidationError } from '../errors';
import { perDatabase } from '../per-database';
import { activityOf, queueActivities } from './audit-log';
import {
  assertEmailFree,
  releaseEmail,
  releaseEmailsOfRefusedWrite,
  startEmailCheck,
} from './email-uniqueness';
import { freeAutoLeadId } from './lead-creation';
import { isEngineWrite, writeLinked } from './linked-writes';
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
import { emailHolders, findLive, type LinkedCollection } from './storage-reads';

type PendingContactWrite = { kind: WriteKind; plan: ContactWritePlan; leadId: string; statusBefore: string };
type PendingLeadWrite = { kind: WriteKind; plan: LeadWritePlan; contactId: string; statusBefore: string };

const MANAGED_FIELDS: Record<LinkedCollection, readonly string[]> = {
  contacts: ['leadId', 'isConvertedFromLead', 'conversionDate'],
  leads: ['contactId', 'autoCreatedFromContact', 'isConvertedToContact', 'conversionDate'],
};
const REFERENCE_FIELD: Record<LinkedCollection, 'leadId' | 'contactId'> = {
  contacts: 'leadId',
  leads: 'contactId',
};

/**
 * Plans computed in a pre hook, picked up by the post hook of the same write: by `collection:id`, then by
 * the write's `updatedAt` (unique per document write).
 */
const pendingOf = perDatabase(() => new Map<string, Map<number, PendingContactWrite | PendingLeadWrite>>());
const docKey = (collection: string, id: string) => `${collection}:${id}`;

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

function takePending<T>(
  db: CrmDatabase,
  collection: LinkedCollection,
  data: { id: string; updatedAt: number },
) {
  const pending = pendingOf(db);
  const key = docKey(collection, data.id);
  const plans = pending.get(key);
  const entry = plans?.get(data.updatedAt) as T | undefined;
  // Older plans of the same document belong to writes that failed after their pre hook: drop them.
  for (const updatedAt of plans?.keys() ?? []) if (updatedAt <= data.updatedAt) plans?.delete(updatedAt);
  if (plans?.size === 0) pending.delete(key);
  return entry;
}

function setPending(
  db: CrmDatabase,
  collection: LinkedCollection,
  data: { id: string; updatedAt: number },
  plan: PendingContactWrite | PendingLeadWrite,
) {
  const pending = pendingOf(db);
  const key = docKey(collection, data.id);
  const plans = pending.get(key) ?? new Map();
  plans.set(data.updatedAt, plan);
  pending.set(key, plans);
}

async function preContactWrite(
  db: CrmDatabase,
  kind: WriteKind,
  data: Contact,
  previous: Contact | undefined,
): Promise<void> {
  if (isEngineWrite(db, 'contacts', data.id)) {
    if (kind !== 'remove' && data.emailKey !== previous?.emailKey)
      await assertEmailFree(db, 'contacts', data.emailKey, data.id);
    return;
  }
  if (kind !== 'remove') refuseManagedChanges('contacts', data, previous);
  // The own-collection email check does not depend on the plan: run it alongside the reads below.
  const ownEmailCheck = startEmailCheck(db, 'contacts', kind, data, previous);
  // Reads that R1 will need are started together, so the hot path waits for one round trip, not three.
  const likelyR1 = kind === 'insert' && data.status === 'Lead';
  const leadEmailHolders = likelyR1 && data.emailKey ? emailHolders(db, 'leads', data.emailKey) : undefined;
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
  Object.assign(data, plan.own);
  const copiedInto = plan.createLead?.id ?? ('email' in plan.linked ? lead?.id : undefined);
  await allSettledOrThrow([
    ownEmailCheck,
    copiedInto && assertEmailFree(db, 'leads', data.emailKey, copiedInto, leadEmailHolders),
  ]);
  setPending(db, 'contacts', data, {
    kind,
    plan,
    leadId: plan.createLead?.id ?? lead?.id ?? '',
    statusBefore: previous?.status ?? '',
  });
}

async function postContactWrite(db: CrmDatabase, data: Contact): Promise<void> {
  const pending = takePending<PendingContactWrite>(db, 'contacts', data);
  if (!pending) return;
  const { kind, plan, leadId } = pending;
  const trigger: RuleErrorTarget = { collection: 'contacts', id: data.id };
  const activities: Partial<Activity>[] = [];
  if (kind === 'insert')
    activities.push(
      activityOf(
        db,
        {
          kind: 'created',
          rule: null,
          statusBefore: '',
          statusAfter: data.status,
          fields: [],
          summary: `Contact ${fullName(data)} created`,
        },
        { contactId: data.id, leadId: data.leadId },
      ),
    );
  if (kind === 'remove')
    activities.push(
      activityOf(
        db,
        {
          kind: 'deleted',
          rule: null,
          statusBefore: data.status,
          statusAfter: '',
          fields: [],
          summary: `Contact ${fullName(data)} deleted`,
        },
        { contactId: data.id, leadId },
      ),
    );
  let linkedOk = true;
  const rule = plan.linkedRules[0] ?? 'R5';
  const target: RuleErrorTarget = { collection: 'leads', id: leadId };
  const triggerUpdatedAt = data.updatedAt;
  if (plan.createLead) {
    linkedOk = await writeLinked(db, { rule, trigger, triggerUpdatedAt, target, create: plan.createLead });
  } else if (leadId && Object.keys(plan.linked).length > 0) {
    linkedOk = await writeLinked(db, { rule, trigger, triggerUpdatedAt, target, patch: plan.linked });
  }
  releaseEmail(db, 'contacts', data.emailKey, data.id);
  if (leadId) releaseEmail(db, 'leads', data.emailKey, leadId);
  for (const draft of plan.activities) {
    const onlyLinked = draft.rule !== null && plan.linkedRules.includes(draft.rule);
    if (linkedOk || !onlyLinked) activities.push(activityOf(db, draft, { contactId: data.id, leadId }));
  }
  queueActivities(db, activities, trigger);
}

async function preLeadWrite(db: CrmDatabase, kind: WriteKind, data: Lead, previous: Lead | undefined) {
  if (isEngineWrite(db, 'leads', data.id)) {
    if (kind !== 'remove' && data.emailKey !== previous?.emailKey)
      await assertEmailFree(db, 'leads', data.emailKey, data.id);
    return;
  }
  if (kind !== 'remove') refuseManagedChanges('leads', data, previous);
  const ownEmailCheck = startEmailCheck(db, 'leads', kind, data, previous);
  const candidate = await findLive(db.contacts, data.contactId);
  const contact = candidate?.leadId === data.id ? candidate : null;
  const plan = planLeadWrite({ kind, before: previous ?? null, after: data, contact, now: data.updatedAt });
  Object.assign(data, plan.own);
  const copiedInto = 'email' in plan.linked ? contact?.id : undefined;
  await allSettledOrThrow([
    ownEmailCheck,
    copiedInto && assertEmailFree(db, 'contacts', data.emailKey, copiedInto),
  ]);
  setPending(db, 'leads', data, {
    kind,
    plan,
    contactId: contact?.id ?? '',
    statusBefore: previous?.status ?? '',
  });
}

async function postLeadWrite(db: CrmDatabase, data: Lead): Promise<void> {
  const pending = takePending<PendingLeadWrite>(db, 'leads', data);
  if (!pending) return;
  const { kind, plan, contactId } = pending;
  const trigger: RuleErrorTarget = { collection: 'leads', id: data.id };
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
          summary: `Lead ${fullName(data)} ${kind === 'insert' ? 'created' : 'deleted'}`,
        },
        { contactId, leadId: data.id },
      ),
    );
  let linkedOk = true;
  if (contactId && Object.keys(plan.linked).length > 0) {
    linkedOk = await writeLinked(db, {
      rule: plan.linkedRules[0] ?? 'R9',
      trigger,
      triggerUpdatedAt: data.updatedAt,
      target: { collection: 'contacts', id: contactId },
      patch: plan.linked,
    });
  }
  releaseEmail(db, 'leads', data.emailKey, data.id);
  if (contactId) releaseEmail(db, 'contacts', data.emailKey, contactId);
  for (const draft of plan.activities) {
    const onlyLinked = draft.rule !== null && plan.linkedRules.includes(draft.rule);
    if (linkedOk || !onlyLinked) activities.push(activityOf(db, draft, { contactId, leadId: data.id }));
  }
  queueActivities(db, activities, trigger);
}

/** Installs the rule hooks on `contacts` and `leads`; called by createCrmDatabase after validation hooks. */
export function installLinkRules(db: CrmDatabase): void {
  const install = <T extends { id: string; updatedAt: number; _deleted?: boolean }>(
    collection: RxCollection<T>,
    pre: (kind: WriteKind, data: T, previous: T | undefined) => Promise<void>,
    post: (data: T) => Promise<void>,
  ) => {
    // Post work never rejects (failures go to the rule-error log) and is tracked, because RxDB does not
    // wait for post hooks of incremental writes.
    const runPost = (data: T) => track(db, post(data));
    // A refused write must not keep its email reserved (a corrected retry under another id would be refused).
    const runPre = (kind: WriteKind, data: T, previous: T | undefined) =>
      pre(kind, data, previous).catch((error: unknown) => {
        releaseEmailsOfRefusedWrite(db, data as unknown as Contact | Lead);
        throw error;
      });
    collection.preInsert((data) => runPre('insert', data as T, undefined), false);
    // incrementalRemove() also runs the save hooks for the deletion; the remove hooks handle it.
    collection.preSave(
      (data, previous) => (data._deleted ? undefined : runPre('update', data as T, previous as T)),
      false,
    );
    collection.preRemove((data) => pre('remove', data as T, undefined), false);
    collection.postInsert((data) => runPost(data as T), false);
    collection.postSave((data) => (data._deleted ? undefined : runPost(data as T)), false);
    collection.postRemove((data) => runPost(data as T), false);
  };
  install(
    db.contacts as unknown as RxCollection<Contact & { _deleted?: boolean }>,
    (kind, data, previous) => preContactWrite(db, kind, data, previous),
    (data) => postContactWrite(db, data),
  );
  install(
    db.leads as unknown as RxCollection<Lead & { _deleted?: boolean }>,
    (kind, data, previous) => preLeadWrite(db, kind, data, previous),
    (data) => postLeadWrite(db, data),
  );
  db.onClose.push(() => whenRulesSettled(db));
}
