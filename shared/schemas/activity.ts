import { z } from 'zod';
import { baseFields, reference } from './fields';

export const activityKinds = [
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

/** Audit trail entry: one per rule effect or conversion, queryable per record (indexed by both ids). */
export const activitySchema = z.object({
  ...baseFields,
  kind: activityKind,
  rule: ruleId.nullable(),
  contactId: reference,
  leadId: reference,
  statusBefore: z.string().max(50),
  statusAfter: z.string().max(50),
  /** Names of the fields the effect wrote. */
  fields: z.array(z.string().max(100)).max(50),
  summary: z.string().max(1000),
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
} satisfies Partial<Activity>;
