/**
 * The audit trail of the link rules: entries in the `activities` collection for what a user write and its
 * rules did. A failure to write them is recorded in the rule-error log and never reaches the caller: the
 * user's write is stored already and must not be reported as failed.
 */

import {
  type Activity,
  contactFieldCatalogue,
  type FieldChange,
  formFieldsOf,
  leadFieldCatalogue,
} from '@shared/schemas';
import { v5 as uuidv5, v7 as uuidv7 } from 'uuid';
import type { CrmDatabase } from '../crm-database';
import { messageOf } from '../errors';
import { perDatabase } from '../per-database';
import { type RuleErrorTarget, recordRuleError } from './rule-errors';
import { track, whenPromptWorkSettled } from './rule-work';
import type { ActivityDraft } from './rules';

/**
 * An entry arriving less than this after the previous one belongs to a burst: it is written once writes pause
 * this long, so the burst shares one bulk write…
 */
const ACTIVITY_QUIET_MS = 30;
/** …but never later than this after the first waiting entry, nor with more than this many waiting. */
const ACTIVITY_MAX_WAIT_MS = 1000;
const ACTIVITY_FLUSH_MAX_BATCH = 500;

type AuditQueue = {
  entries: { entry: Partial<Activity>; trigger: RuleErrorTarget }[];
  /** The scheduled flush, while one is scheduled or running. */
  flush: Promise<void> | null;
  /** Ends the wait of the scheduled flush (set while it waits). */
  flushNow: (() => void) | null;
  /** Restarts the quiet period of the waiting flush, within its longest wait (set while it waits). */
  waitLonger: (() => void) | null;
  /** Someone waits for the entries (`whenRulesSettled`, closing): the running flush waits no more. */
  hurried: boolean;
  /** When the latest entry was queued (`Date.now()`): an entry soon after it is part of a burst. */
  lastQueuedAt: number;
};

const queueOf = perDatabase(
  (): AuditQueue => ({
    entries: [],
    flush: null,
    flushNow: null,
    waitLonger: null,
    hurried: false,
    lastQueuedAt: Number.NEGATIVE_INFINITY,
  }),
);

/** An audit entry attributed to the local user; time and remaining fields are filled by the database layer. */
export function activityOf(
  db: CrmDatabase,
  draft: ActivityDraft,
  ids: { contactId: string; leadId: string },
): Partial<Activity> {
  return { id: uuidv7(), ...draft, ...ids, updatedBy: db.crm.userId };
}

/** The fields a person edits on the form: their changes are what the timeline shows of a manual edit. */
const editableFields = {
  contacts: formFieldsOf(contactFieldCatalogue).map((field) => field.name),
  leads: formFieldsOf(leadFieldCatalogue).map((field) => field.name),
};
/** The timeline keeps a readable start of long values (notes), not the whole text. */
const MAX_TIMELINE_VALUE = 200;

function timelineValue(value: unknown): FieldChange['before'] {
  if (value === undefined || value === null) return null;
  if (typeof value === 'string')
    return value.length > MAX_TIMELINE_VALUE ? `${value.slice(0, MAX_TIMELINE_VALUE - 1)}…` : value;
  if (typeof value === 'number' || typeof value === 'boolean') return value;
  return JSON.stringify(value).slice(0, MAX_TIMELINE_VALUE);
}

/**
 * What a person's edit changed, field by field with values before and after ("Phone: +1 555 0100 →
 * +1 555 0199"), for the 'edited' timeline entry. Only form fields: the rule-managed and derived fields
 * have entries of their own or none.
 */
export function userEditChanges(
  collection: 'contacts' | 'leads',
  before: Record<string, unknown>,
  after: Record<string, unknown>,
): FieldChange[] {
  return editableFields[collection]
    .filter((field) => (before[field] ?? null) !== (after[field] ?? null))
    .map((field) => ({ field, before: timelineValue(before[field]), after: timelineValue(after[field]) }));
}

/** Names the entries of replaced edits (uuid v5 of their cause), so one conflict gives one entry. */
const REPLACED_EDITS_NAMESPACE = '8d1f6f0e-5b1c-4a59-9a43-2f0c1f7e6b21';

/**
 * Queues the timeline entry of this device's edits that the conflict merge replaced with another
 * device's later edit ("Your edit of Company was replaced by Bob's later edit"). Only form fields are
 * told; the entry is attributed to the local user, whose edit was lost. RxDB resolves a conflict again
 * when the record changed locally while it was resolved, so the entry's id is derived from the conflict
 * (record, server revision, fields) and a second resolution writes nothing new.
 */
export function queueReplacedEdits(
  db: CrmDatabase,
  collection: 'contacts' | 'leads',
  conflict: {
    record: Record<string, unknown> & { id: string };
    lost: readonly { field: string; lost: unknown; kept: unknown }[];
    replacedBy: string;
    serverRev: unknown;
  },
): void {
  const shown = new Set<string>(editableFields[collection]);
  const changes = conflict.lost
    .filter((edit) => shown.has(edit.field))
    .map((edit) => ({
      field: edit.field,
      before: timelineValue(edit.lost),
      after: timelineValue(edit.kept),
    }));
  if (changes.length === 0) return;
  const { record } = conflict;
  const fields = changes.map((change) => change.field);
  const ids =
    collection === 'contacts'
      ? { contactId: record.id, leadId: String(record.leadId ?? '') }
      : { contactId: String(record.contactId ?? ''), leadId: record.id };
  const cause = [collection, record.id, String(conflict.serverRev), ...fields].join('/');
  const entry = activityOf(
    db,
    {
      kind: 'replaced',
      rule: null,
      statusBefore: '',
      statusAfter: '',
      fields,
      summary: `Edit of ${fields.join(', ')} replaced by a later edit`,
    },
    ids,
  );
  queueActivities(
    db,
    [{ ...entry, id: uuidv5(cause, REPLACED_EDITS_NAMESPACE), changes, replacedBy: conflict.replacedBy }],
    { collection, id: record.id },
  );
}

/** Appends audit entries in one bulk write; a failure goes to the rule-error log. */
export async function appendActivities(
  db: CrmDatabase,
  entries: Partial<Activity>[],
  trigger: RuleErrorTarget,
): Promise<void> {
  if (entries.length === 0) return;
  try {
    const result = await db.activities.bulkInsert(entries as Activity[]);
    // An entry whose id is derived from its cause and exists already was written before (see
    // queueReplacedEdits); entries with random ids never meet one.
    const failed = result.error.filter((error) => error.status !== 409);
    if (failed.length > 0) throw new Error(`${failed.length} audit entries not written`);
  } catch (error) {
    await recordRuleError(db, {
      rule: entries[0]?.rule ?? 'reconcile',
      trigger,
      target: trigger,
      message: `Audit trail not written: ${messageOf(error)}`,
    });
  }
}

/**
 * Audit entries of user writes are queued and bulk-written after the write, without holding up the caller's
 * promise: measured in Chromium, an awaited audit transaction per write made creating a contact in Lead
 * ~50 % slower (7.8 ms vs 5.3 ms p50).
 * A single write's entries (none queued in the ACTIVITY_QUIET_MS before, no flush waiting or running) are
 * written at once: the entry then goes to the server right after its record, in the push of the
 * activities replication that follows the record's, and is stored there and on the other devices while
 * they are still idle. Written ACTIVITY_QUIET_MS later, it was pushed when the person's next edit was, and
 * that edit's push waited for it in the tenant's group-commit queue and on both devices (issue 9: the live
 * delay between two devices; measured at load 14 the delay did not change, the contention moved to the
 * entry following its record: bench/README.md "Eighth pass").
 * The entries of a burst of writes (writes less than ACTIVITY_QUIET_MS apart, e.g. creates in a row or the
 * slices of an import) after its first share one bulk insert, written when the burst pauses or at the
 * latest ACTIVITY_MAX_WAIT_MS after its first waiting entry: IndexedDB runs an origin's transactions one
 * after another, so an audit transaction every 30 ms during a burst delayed the burst's own writes (in
 * Chromium, 84 audit transactions for 200 creates in a row, against 2 with the wait). For the same reason
 * a flush waits for the linked writes and leads of the user writes in flight: a bulkInsert of 10,000
 * contacts queued 5,000 entries at once, whose write competed with the 5,000 leads the insert's promise
 * waits for.
 * They are still written reliably: the flush is tracked, `whenRulesSettled` and `db.close()` start it at
 * once and wait for it, and a failure lands in the rule-error log. Only a crash while entries wait loses
 * them (never documents).
 */
export function queueActivities(
  db: CrmDatabase,
  entries: Partial<Activity>[],
  trigger: RuleErrorTarget,
): void {
  if (entries.length === 0) return;
  const queue = queueOf(db);
  const queuedAt = Date.now();
  const inBurst = queuedAt - queue.lastQueuedAt < ACTIVITY_QUIET_MS;
  queue.lastQueuedAt = queuedAt;
  for (const entry of entries) queue.entries.push({ entry, trigger });
  if (queue.entries.length >= ACTIVITY_FLUSH_MAX_BATCH) queue.flushNow?.();
  else queue.waitLonger?.();
  if (queue.flush) return;
  queue.flush = track(
    db,
    (async () => {
      // Entries that arrive while a batch is written are a burst: they wait for it to pause.
      for (let waits = inBurst; queue.entries.length > 0; waits = true) {
        if (waits && !queue.hurried && queue.entries.length < ACTIVITY_FLUSH_MAX_BATCH)
          await burstPause(queue);
        await whenPromptWorkSettled(db);
        const batch = queue.entries.splice(0);
        await appendActivities(
          db,
          batch.map((queued) => queued.entry),
          (batch[0] as (typeof batch)[number]).trigger,
        );
      }
      // Cleared in the same tick as the emptiness check, so a later entry always starts a new flush.
      queue.flush = null;
      queue.hurried = false;
    })(),
    () => {
      queue.hurried = true;
      queue.flushNow?.();
    },
  );
}

/** Resolves once no entry arrived for ACTIVITY_QUIET_MS, ACTIVITY_MAX_WAIT_MS after it began, or on `flushNow`. */
function burstPause(queue: AuditQueue): Promise<void> {
  return new Promise<void>((resolve) => {
    const latest = Date.now() + ACTIVITY_MAX_WAIT_MS;
    let timer = setTimeout(done, ACTIVITY_QUIET_MS);
    function done() {
      clearTimeout(timer);
      queue.flushNow = null;
      queue.waitLonger = null;
      resolve();
    }
    queue.flushNow = done;
    queue.waitLonger = () => {
      clearTimeout(timer);
      timer = setTimeout(done, Math.max(0, Math.min(ACTIVITY_QUIET_MS, latest - Date.now())));
    };
  });
}
