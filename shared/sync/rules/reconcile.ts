/**
 * The reconciler: repairs every contact/lead pair so that I1–I4 hold again, after a linked write failed
 * (rule-error log) or after replication brought in documents whose other half is missing or different.
 * Idempotent: a second run finds nothing to do. Deterministic (same data → same repairs on every device).
 * `reconcile` looks at what changed since its last run (reconcile-scope.ts); `checkAllData` at every
 * linked pair (Settings → Check data).
 *
 * Steps, with the choices beyond the spec:
 * 0. Retry the failed linked writes of the rule-error log whose documents have not changed since the
 *    failure (an R3/R4 that failed leaves no invariant broken, yet the user asked for it). Retried and
 *    superseded entries leave the log; a retry that fails again is logged again.
 * 1. References: a contact keeps the lead it points to when that lead points back or is free; the first
 *    contact (by id) wins a contested lead; other leads pointing at a contact are unlinked. A contact
 *    pointing at a lead id that never existed (its R1/R2 insert failed) gets that lead created when it is
 *    still in Lead, otherwise the reference is cleared; a reference to a deleted document is cleared (R10).
 *    A reference is written alone, before the repairs below: it changes no email, so it cannot collide,
 *    and a field copy refused later (step 4) does not take the link down with it.
 * 2. I3: a Won lead whose contact is in Lead: the later-updated side wins (R6 converts the contact, or R2
 *    reopens the lead). A Won lead's contact that is not flagged converted gets the flags. A contact
 *    flagged converted whose linked lead is open: the later side wins (R3 wins the lead, or R8 undoes it).
 * 3. I4: the later-updated side's mapped fields are copied to the other side.
 * 4. When a repair was refused: see fallbackRepairs.
 */
import { type Contact, isOpenLeadStatus, type Lead } from '@shared/schemas';
import type { CrmDatabase } from '../crm-database';
import { perDatabase } from '../per-database';
import { activityOf, appendActivities } from './audit-log';
import { findViolations, linkedPairs } from './invariants';
import { type LinkedWrite, writeLinked } from './linked-writes';
import { contactPatchFromLead, effectivePatch, leadPatchFromContact } from './mapping';
import { type LinkedDocuments, loadScope, type ReconcileScope } from './reconcile-scope';
import { getRuleErrors, type RuleError, removeRuleErrors } from './rule-errors';
import { autoLeadFromContact } from './rules';
import { findLive, type LinkedCollection } from './storage-reads';

/** `documentsWritten` counts every write reconcile made, `retried` the share that re-applied logged failures. */
export type ReconcileResult = { retried: number; documentsWritten: number; failures: number };

const MAX_PASSES = 3;

type Plan = {
  /** Step 1's references (`leadId`, `contactId`), each written alone before the other repairs. */
  contactLinks: Map<string, Partial<Contact>>;
  leadLinks: Map<string, Partial<Lead>>;
  /** Steps 2 and 3: status, flags and mapped fields. */
  contactPatches: Map<string, Partial<Contact>>;
  leadPatches: Map<string, Partial<Lead>>;
  leadsToCreate: Lead[];
  /** The documents as the plan leaves them. */
  after: LinkedDocuments;
};

/** A repair write that was refused: the document it wrote, and the partner it was made for. */
type RefusedWrite = Pick<LinkedWrite, 'target' | 'trigger'>;

/** What "Check data" found: documents looked at, and the repairs made or not made. */
export type DataCheckResult = ReconcileResult & { checked: number };

/** Runs of one database, one after another (sync rounds, start-up and "Check data" may ask at once). */
const runs = perDatabase((): { tail: Promise<unknown> } => ({ tail: Promise.resolve() }));

function serialized<T>(db: CrmDatabase, run: () => Promise<T>): Promise<T> {
  const state = runs(db);
  const next = state.tail.then(run, run);
  state.tail = next.catch(() => undefined);
  return next;
}

/** Repairs the pairs touched since the last run (and those of the rule-error log). */
export async function reconcile(db: CrmDatabase): Promise<ReconcileResult> {
  const { retried, documentsWritten, failures } = await serialized(db, () => reconcileScoped(db, false));
  return { retried, documentsWritten, failures };
}

/** Repairs every linked pair of the database: the user's "Check data". */
export function checkAllData(db: CrmDatabase): Promise<DataCheckResult> {
  return serialized(db, () => reconcileScoped(db, true));
}

async function reconcileScoped(db: CrmDatabase, everything: boolean): Promise<DataCheckResult> {
  const ruleErrors = await getRuleErrors(db);
  const retry = await retryFailedWrites(db, ruleErrors);
  const total: DataCheckResult = { ...retry, documentsWritten: retry.retried, checked: 0 };
  let scope: ReconcileScope | null = null;
  const refused: RefusedWrite[] = [];
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    // Later passes look at what the earlier ones wrote (and anything written meanwhile).
    scope = await loadScope(db, {
      everything: everything && pass === 0,
      ruleErrors: pass === 0 ? ruleErrors : [],
    });
    if (pass === 0) total.checked = scope.checked;
    const result = await reconcileOnce(db, scope);
    await scope.commit();
    total.documentsWritten += result.documentsWritten;
    total.failures += result.refused.length;
    refused.push(...result.refused);
    if (result.documentsWritten === 0 || result.refused.length > 0) break;
  }
  if (refused.length > 0 && scope) {
    const fallback = await fallbackRepairs(db, await scope.reload(), refused);
    total.documentsWritten += fallback.documentsWritten;
  }
  return total;
}

/**
 * Step 4, for the pairs whose repair was refused in this run (typically: the email to copy is taken in
 * the other collection), and those only: a pair whose fields cannot be made equal takes the values of the
 * side that refused the copy (the older side's), and when that fails too the pair is unlinked. A
 * reference still one-sided — a contact whose lead cannot be created, or a reference whose own write
 * failed — is cleared, so the pair ends unlinked. The failures stay in the rule-error log, so the user
 * sees why. A pair that became broken during the run (a half pair arriving by replication) was not tried
 * and is left to the next run, which relinks it.
 */
async function fallbackRepairs(
  db: CrmDatabase,
  { contacts, leads }: LinkedDocuments,
  refused: readonly RefusedWrite[],
): Promise<{ documentsWritten: number }> {
  let documentsWritten = 0;
  const write = async (target: LinkedWrite['target'], trigger: LinkedWrite['trigger'], patch: object) => {
    const ok = await writeLinked(db, { rule: 'reconcile', trigger, triggerUpdatedAt: 0, target, patch });
    if (ok) documentsWritten++;
    return ok;
  };
  const wasRefused = (side: LinkedWrite['target']) =>
    refused.some(({ target }) => target.collection === side.collection && target.id === side.id);
  const concernsRefused = ({ contactIds, leadIds }: { contactIds: string[]; leadIds: string[] }) =>
    refused.some((write) =>
      [write.target, write.trigger].some((side) =>
        (side.collection === 'contacts' ? contactIds : leadIds).includes(side.id),
      ),
    );
  for (const violation of findViolations(contacts, leads).filter(concernsRefused)) {
    const contact = contacts.get(violation.contactIds[0] ?? '');
    const lead = leads.get(violation.leadIds[0] ?? '');
    if (violation.invariant === 'I1') {
      // Whichever side points at a partner that does not point back (or is not live) lets go.
      if (contact && contact.leadId === violation.leadIds[0] && lead?.contactId !== contact.id) {
        await write(
          { collection: 'contacts', id: contact.id },
          { collection: 'leads', id: contact.leadId },
          { leadId: '' },
        );
      } else if (lead && lead.contactId === violation.contactIds[0] && contact?.leadId !== lead.id) {
        await write(
          { collection: 'leads', id: lead.id },
          { collection: 'contacts', id: lead.contactId },
          { contactId: '' },
        );
      }
    } else if (violation.invariant === 'I4' && contact && lead) {
      const contactSide = { collection: 'contacts', id: contact.id } as const;
      const leadSide = { collection: 'leads', id: lead.id } as const;
      // Not by `updatedAt`: the reference written before the refused copy stamped its document.
      const contactKeeps =
        wasRefused(contactSide) || (!wasRefused(leadSide) && contact.updatedAt < lead.updatedAt);
      const synced = contactKeeps
        ? await write(leadSide, contactSide, leadPatchFromContact(contact, lead))
        : await write(contactSide, leadSide, contactPatchFromLead(lead, contact));
      if (!synced) {
        await write(leadSide, contactSide, { contactId: '' });
        await write(contactSide, leadSide, { leadId: '' });
      }
    }
  }
  return { documentsWritten };
}

/** Step 0: re-applies failed linked writes that are still wanted. */
async function retryFailedWrites(
  db: CrmDatabase,
  log: readonly RuleError[],
): Promise<{ retried: number; failures: number }> {
  const entries = log.filter((entry) => entry.retry && entry.rule !== 'reconcile');
  const done = new Set<string>();
  let retried = 0;
  let failures = 0;
  for (const entry of entries) {
    done.add(entry.id);
    if (!(await stillWanted(db, entry))) continue;
    const retry = entry.retry as NonNullable<RuleError['retry']>;
    const base = {
      rule: entry.rule,
      trigger: entry.trigger,
      triggerUpdatedAt: retry.triggerUpdatedAt,
      target: entry.target,
    };
    const ok = await writeLinked(
      db,
      retry.create ? { ...base, create: retry.create as Lead } : { ...base, patch: retry.patch ?? {} },
    );
    if (ok) retried++;
    else failures++;
  }
  await removeRuleErrors(db, done);
  return { retried, failures };
}

/** A failed write is still wanted while its trigger is unchanged and its target was not written since. */
async function stillWanted(db: CrmDatabase, entry: RuleError): Promise<boolean> {
  const trigger = await findLive(db[entry.trigger.collection] as never, entry.trigger.id);
  if ((trigger as { updatedAt?: number } | null)?.updatedAt !== entry.retry?.triggerUpdatedAt) return false;
  if (entry.retry?.create) {
    const [existing] = await db.leads.storageInstance.findDocumentsById([entry.target.id], true);
    return !existing;
  }
  const target = (await findLive(db[entry.target.collection] as never, entry.target.id)) as {
    updatedAt: number;
  } | null;
  return target !== null && target.updatedAt <= entry.at;
}

async function reconcileOnce(
  db: CrmDatabase,
  { contacts, leads }: LinkedDocuments,
): Promise<{ documentsWritten: number; refused: RefusedWrite[] }> {
  const plan = await planRepairs(db, contacts, leads);
  let documentsWritten = 0;
  const refused: RefusedWrite[] = [];
  const activities: Parameters<typeof appendActivities>[1] = [];
  const attempt = async (write: LinkedWrite, fields: string[], status: string) => {
    if (!(await writeLinked(db, write))) {
      refused.push({ target: write.target, trigger: write.trigger });
      return;
    }
    documentsWritten++;
    const [contactSide, leadSide] =
      write.target.collection === 'contacts' ? [write.target, write.trigger] : [write.trigger, write.target];
    activities.push(
      activityOf(
        db,
        {
          kind: 'rule',
          rule: 'reconcile',
          statusBefore: status,
          statusAfter: status,
          fields,
          summary: `Repaired by the reconciler: ${fields.join(', ')}`,
        },
        { contactId: contactSide.id, leadId: leadSide.id },
      ),
    );
  };
  /** Each patch of `patches` as a write of its own, made for the document's partner as the plan leaves it. */
  const patchEach = async (
    collection: LinkedCollection,
    patches: Map<string, Partial<Contact>> | Map<string, Partial<Lead>>,
  ) => {
    for (const [id, patch] of patches) {
      const trigger =
        collection === 'leads'
          ? ({ collection: 'contacts', id: (plan.after.leads.get(id) as Lead).contactId } as const)
          : ({ collection: 'leads', id: (plan.after.contacts.get(id) as Contact).leadId } as const);
      const before = (collection === 'leads' ? leads.get(id) : contacts.get(id)) as Contact | Lead;
      const write = {
        rule: 'reconcile',
        trigger,
        triggerUpdatedAt: 0,
        target: { collection, id },
        patch,
      } as const;
      await attempt(write, Object.keys(patch), patch.status ?? before.status);
    }
  };

  for (const lead of plan.leadsToCreate) {
    const write: LinkedWrite = {
      rule: 'reconcile',
      trigger: { collection: 'contacts', id: lead.contactId },
      triggerUpdatedAt: contacts.get(lead.contactId)?.updatedAt ?? 0,
      target: { collection: 'leads', id: lead.id },
      create: lead,
    };
    await attempt(write, ['created'], lead.status);
  }
  // References first, each alone: a field copy refused below leaves the pair linked (step 4 settles it).
  await patchEach('leads', plan.leadLinks);
  await patchEach('contacts', plan.contactLinks);
  await patchEach('leads', plan.leadPatches);
  await patchEach('contacts', plan.contactPatches);
  const firstActivity = activities[0];
  if (firstActivity)
    await appendActivities(db, activities, { collection: 'contacts', id: firstActivity.contactId ?? '' });
  return { documentsWritten, refused };
}

async function planRepairs(
  db: CrmDatabase,
  contacts: Map<string, Contact>,
  leads: Map<string, Lead>,
): Promise<Plan> {
  // Working copies: later steps see the earlier repairs.
  const workContacts = new Map([...contacts].map(([id, doc]) => [id, { ...doc }]));
  const workLeads = new Map([...leads].map(([id, doc]) => [id, { ...doc }]));
  const plan: Plan = {
    contactLinks: new Map(),
    leadLinks: new Map(),
    contactPatches: new Map(),
    leadPatches: new Map(),
    leadsToCreate: [],
    after: { contacts: workContacts, leads: workLeads },
  };
  const patcher =
    <T extends object>(work: Map<string, T>, patches: Map<string, Partial<T>>) =>
    (id: string, patch: Partial<T>) => {
      const doc = work.get(id) as T;
      const effective = effectivePatch(doc, patch);
      if (Object.keys(effective).length === 0) return;
      Object.assign(doc, effective);
      patches.set(id, { ...patches.get(id), ...effective });
    };
  const linkContact = patcher(workContacts, plan.contactLinks);
  const linkLead = patcher(workLeads, plan.leadLinks);
  const patchContact = patcher(workContacts, plan.contactPatches);
  const patchLead = patcher(workLeads, plan.leadPatches);

  // 1. References (I1, I2). Consistent pairs claim their lead first.
  const sortedContacts = [...workContacts.values()].sort((a, b) => a.id.localeCompare(b.id));
  const claimed = new Map<string, string>(); // lead id → contact id
  for (const contact of sortedContacts) {
    const lead = workLeads.get(contact.leadId);
    if (lead?.contactId === contact.id) claimed.set(lead.id, contact.id);
  }
  const danglingIds = sortedContacts
    .filter((contact) => contact.leadId && !workLeads.has(contact.leadId))
    .map((contact) => contact.leadId);
  const everStored = new Set(
    danglingIds.length === 0
      ? []
      : (await db.leads.storageInstance.findDocumentsById(danglingIds, true)).map((doc) => doc.id),
  );
  for (const contact of sortedContacts) {
    if (!contact.leadId || claimed.get(contact.leadId) === contact.id) continue;
    const lead = workLeads.get(contact.leadId);
    if (lead) {
      const owner = lead.contactId ? workContacts.get(lead.contactId) : undefined;
      const ownedElsewhere = claimed.has(lead.id) || owner?.leadId === lead.id;
      if (!ownedElsewhere) {
        claimed.set(lead.id, contact.id);
        continue;
      }
      linkContact(contact.id, { leadId: '' });
    } else if (!everStored.has(contact.leadId) && contact.status === 'Lead') {
      // Its R1/R2 lead insert failed: create it now.
      const created = autoLeadFromContact(contact, contact.leadId, Date.now());
      plan.leadsToCreate.push(created);
      workLeads.set(created.id, { ...created });
      claimed.set(created.id, contact.id);
    } else {
      linkContact(contact.id, { leadId: '' });
    }
  }
  // Leads that point at a contact which does not own them: link them when the contact is free, else unlink.
  const sortedLeads = [...workLeads.values()].sort((a, b) => a.id.localeCompare(b.id));
  for (const lead of sortedLeads) {
    const claimant = claimed.get(lead.id);
    if (claimant) {
      linkLead(lead.id, { contactId: claimant });
      continue;
    }
    if (!lead.contactId) continue;
    const contact = workContacts.get(lead.contactId);
    if (contact && !contact.leadId) {
      claimed.set(lead.id, contact.id);
      linkContact(contact.id, { leadId: lead.id });
    } else {
      linkLead(lead.id, { contactId: '' });
    }
  }

  // 2 and 3. Pair state (I3, I4).
  const now = Date.now();
  for (const { contact, lead } of linkedPairs(workContacts, workLeads)) {
    if (lead.status === 'Won') {
      if (contact.status === 'Lead' && contact.updatedAt > lead.updatedAt) {
        patchLead(lead.id, { status: 'New', isConvertedToContact: false, conversionDate: null });
        patchContact(contact.id, { isConvertedFromLead: false, conversionDate: null });
      } else if (contact.status === 'Lead' || !contact.isConvertedFromLead) {
        const conversionDate = lead.conversionDate ?? contact.conversionDate ?? now;
        patchContact(contact.id, {
          isConvertedFromLead: true,
          conversionDate,
          ...(contact.status === 'Lead' ? { status: 'Active' as const } : {}),
        });
        patchLead(lead.id, { isConvertedToContact: true, conversionDate });
      }
    }
    if (contact.isConvertedFromLead && contact.status !== 'Lead' && isOpenLeadStatus(lead.status)) {
      if (contact.updatedAt >= lead.updatedAt) {
        const conversionDate = contact.conversionDate ?? now;
        patchLead(lead.id, { status: 'Won', isConvertedToContact: true, conversionDate });
      } else {
        patchContact(contact.id, {
          isConvertedFromLead: false,
          conversionDate: null,
          ...(contact.status === 'Active' || contact.status === 'Prospect'
            ? { status: 'Lead' as const }
            : {}),
        });
      }
    }
    if (contact.status === 'Lead' && isOpenLeadStatus(lead.status)) {
      if (contact.updatedAt >= lead.updatedAt) patchLead(lead.id, leadPatchFromContact(contact, lead));
      else patchContact(contact.id, contactPatchFromLead(lead, contact));
    }
  }
  return plan;
}
