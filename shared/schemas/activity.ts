import { z } from 'zod';
import { baseFields, epochMs, optionalText, plainText, reference } from './fields';

/** What a person does and logs: calls, meetings and tasks can be planned (`dueAt`) and marked done. */
export const workKinds = ['call', 'meeting', 'task', 'note'] as const;
export type WorkKind = (typeof workKinds)[number];

export const activityKinds = [
  ...workKinds,
  /** A manual field edit or stage move, with its values in `changes`. */
  'edited',
  /** A local edit the conflict merge replaced with another device's later edit (values in `changes`). */
  'replaced',
  'created',
  'rule',
  'converted',
  'reopened',
  'linked',
  'unlinked',
  'deleted',
  'restored',
  /** A record created or updated by a CSV import ("Imported from salesforce-leads.csv"). */
  'imported',
  /** Another record was merged into this one (duplicates). */
  'merged',
  /** A pair the team said is not a duplicate (duplicates). */
  'not-duplicate',
] as const;
export const activityKind = z.enum(activityKinds);
export type ActivityKind = z.infer<typeof activityKind>;

export const ruleIds = [
  'R1',
  'R2',
  'R3',
  'R4',
  'R5',
  'R6',
  'R7',
  'R8',
  'R9',
  'R10',
  'R11',
  'reconcile',
] as const;
export const ruleId = z.enum(ruleIds);
export type RuleId = z.infer<typeof ruleId>;

/** A field value as the timeline shows it (documents hold strings, numbers, booleans and nulls). */
export const changedValue = z.union([plainText(1000), z.number(), z.boolean(), z.null()]);
export const fieldChange = z.object({
  field: plainText(100),
  before: changedValue,
  after: changedValue,
});
export type FieldChange = z.infer<typeof fieldChange>;

/**
 * One entry of a record's timeline, queryable per record (indexed by both ids): the audit trail (rule
 * effects, conversions, edits with their values) and the work people log or plan (calls, meetings,
 * notes, tasks).
 */
export const activitySchema = z.object({
  ...baseFields,
  kind: activityKind,
  rule: ruleId.nullable(),
  contactId: reference,
  leadId: reference,
  statusBefore: plainText(50),
  statusAfter: plainText(50),
  /** Names of the fields the effect wrote. */
  fields: z.array(plainText(100)).max(50),
  summary: plainText(1000),
  /** Work: the title ("Call about the renewal"). */
  subject: optionalText(200),
  /** Work: what was said or what to do. */
  body: optionalText(10_000),
  /** Planned time (0: not planned). Not nullable: it is indexed for "due today" and next steps. */
  dueAt: epochMs,
  /** When it was done (0: still open). A logged call or a note is done when it is written. */
  doneAt: epochMs,
  /** Team member who does it ('' for audit entries). */
  assignedTo: reference,
  /** Field values before and after, for edits, rule copies and replaced edits. */
  changes: z.array(fieldChange).max(60),
  /** For 'replaced': the team member whose later edit was kept. */
  replacedBy: reference,
});
export type Activity = z.infer<typeof activitySchema>;
export const activityDefaults = {
  rule: null,
  contactId: '',
  leadId: '',
  statusBefore: '',
  statusAfter: '',
  fields: [],
  summary: '',
  subject: '',
  body: '',
  dueAt: 0,
  doneAt: 0,
  assignedTo: '',
  changes: [],
  replacedBy: '',
} satisfies Partial<Activity>;

export function isWorkKind(kind: ActivityKind): kind is WorkKind {
  return (workKinds as readonly string[]).includes(kind);
}
