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
 * 2. I3: a Won lead whose contact is in Lead: the later-updated side wins (R6 converts the contact, or R2
 *    reopens the lead). A Won lead's contact that is not flagged converted gets the flags. A contact
 *    flagged converted whose linked lead is open: the later side wins (R3 wins the lead, or R8 undoes it).
 * 3. I4: the later-updated side's mapped fields are copied to the other side.
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
import { findLive } from './storage-reads';

/** `documentsWritten` counts every write reconcile made, `retried` the share that re-applied logged failures. */
export type ReconcileResult = { retried: number; documentsWritten: number; failures: number };

const MAX_PASSES = 3;

type Plan = {
  contactPatches: Map<string, Partial<Contact>>;
  leadPatches: Map<string, Partial<Lead>>;
  leadsToCreate: Lead[];
};

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
    total.failures += result.failures;
    if (result.documentsWritten === 0 || result.failures > 0) break;
  }
  if (total.failures > 0 && scope) {
    const fallback = await fallbackRepairs(db, await scope.reload());
    total.documentsWritten += fallback.documentsWritten;
  }
  return total;
}

/**
 * Step 4, when a repair failed (typically: the email to copy is taken in the other collection): a reference
 * that is still one-sided is cleared — a contact whose lead cannot be created, and a half pair whose
 * relinking write also carried the refused field copy (one write per document: the reference and the
 * fields fail together) — so the pair ends unlinked; a pair whose fields cannot be made equal takes the
 * older side's values instead, and when that fails too the pair is unlinked. The failures stay in the
 * rule-error log, so the user sees why.
 */
async function fallbackRepairs(
  db: CrmDatabase,
  { contacts, leads }: LinkedDocuments,
): Promise<{ documentsWritten: number }> {
  let documentsWritten = 0;
  const write = async (target: LinkedWrite['target'], trigger: LinkedWrite['trigger'], patch: object) => {
    const ok = await writeLinked(db, { rule: 'reconcile', trigger, triggerUpdatedAt: 0, target, patch });
    if (ok) documentsWritten++;
    return ok;
  };
  for (const violation of findViolations(contacts, leads)) {
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
      const synced =
        contact.updatedAt >= lead.updatedAt
          ? await write(contactSide, leadSide, contactPatchFromLead(lead, contact))
          : await write(leadSide, contactSide, leadPatchFromContact(contact, lead));
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
): Promise<Omit<ReconcileResult, 'retried'>> {
  const plan = await planRepairs(db, contacts, leads);
  let documentsWritten = 0;
  let failures = 0;
  const activities: Parameters<typeof appendActivities>[1] = [];
  const record = (ok: boolean, contactId: string, leadId: string, fields: string[], status: string) => {
    if (!ok) {
      failures++;
      return;
    }
    documentsWritten++;
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
        { contactId, leadId },
      ),
    );
  };
  const write = (linkedWrite: LinkedWrite) => writeLinked(db, linkedWrite);

  for (const lead of plan.leadsToCreate) {
    const ok = await write({
      rule: 'reconcile',
      trigger: { collection: 'contacts', id: lead.contactId },
      triggerUpdatedAt: contacts.get(lead.contactId)?.updatedAt ?? 0,
      target: { collection: 'leads', id: lead.id },
      create: lead,
    });
    record(ok, lead.contactId, lead.id, ['created'], lead.status);
  }
  for (const [id, patch] of plan.leadPatches) {
    const lead = leads.get(id) as Lead;
    const ok = await write({
      rule: 'reconcile',
      trigger: { collection: 'contacts', id: patch.contactId ?? lead.contactId },
      triggerUpdatedAt: 0,
      target: { collection: 'leads', id },
      patch,
    });
    record(ok, patch.contactId ?? lead.contactId, id, Object.keys(patch), patch.status ?? lead.status);
  }
  for (const [id, patch] of plan.contactPatches) {
    const contact = contacts.get(id) as Contact;
    const ok = await write({
      rule: 'reconcile',
      trigger: { collection: 'leads', id: patch.leadId ?? contact.leadId },
      triggerUpdatedAt: 0,
      target: { collection: 'contacts', id },
      patch,
    });
    record(ok, id, patch.leadId ?? contact.leadId, Object.keys(patch), patch.status ?? contact.status);
  }
  const firstActivity = activities[0];
  if (firstActivity)
    await appendActivities(db, activities, { collection: 'contacts', id: firstActivity.contactId ?? '' });
  return { documentsWritten, failures };
}

async function planRepairs(
  db: CrmDatabase,
  contacts: Map<string, Contact>,
  leads: Map<string, Lead>,
): Promise<Plan> {
  const plan: Plan = { contactPatches: new Map(), leadPatches: new Map(), leadsToCreate: [] };
  // Working copies: later steps see the earlier repairs.
  const workContacts = new Map([...contacts].map(([id, doc]) => [id, { ...doc }]));
  const workLeads = new Map([...leads].map(([id, doc]) => [id, { ...doc }]));
  const patchContact = (id: string, patch: Partial<Contact>) => {
    const doc = workContacts.get(id) as Contact;
    const effective = effectivePatch(doc, patch);
    if (Object.keys(effective).length === 0) return;
    Object.assign(doc, effective);
    plan.contactPatches.set(id, { ...plan.contactPatches.get(id), ...effective });
  };
  const patchLead = (id: string, patch: Partial<Lead>) => {
    const doc = workLeads.get(id) as Lead;
    const effective = effectivePatch(doc, patch);
    if (Object.keys(effective).length === 0) return;
    Object.assign(doc, effective);
    plan.leadPatches.set(id, { ...plan.leadPatches.get(id), ...effective });
  };

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
      patchContact(contact.id, { leadId: '' });
    } else if (!everStored.has(contact.leadId) && contact.status === 'Lead') {
      // Its R1/R2 lead insert failed: create it now.
      const created = autoLeadFromContact(contact, contact.leadId, Date.now());
      plan.leadsToCreate.push(created);
      workLeads.set(created.id, { ...created });
      claimed.set(created.id, contact.id);
    } else {
      patchContact(contact.id, { leadId: '' });
    }
  }
  // Leads that point at a contact which does not own them: link them when the contact is free, else unlink.
  const sortedLeads = [...workLeads.values()].sort((a, b) => a.id.localeCompare(b.id));
  for (const lead of sortedLeads) {
    const claimant = claimed.get(lead.id);
    if (claimant) {
      patchLead(lead.id, { contactId: claimant });
      continue;
    }
    if (!lead.contactId) continue;
    const contact = workContacts.get(lead.contactId);
    if (contact && !contact.leadId) {
      claimed.set(lead.id, contact.id);
      patchContact(contact.id, { leadId: lead.id });
    } else {
      patchLead(lead.id, { contactId: '' });
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
