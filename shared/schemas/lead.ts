import { z } from 'zod';
import {
  baseFields,
  epochMs,
  optionalText,
  personDefaults,
  personSchemaFields,
  plainText,
  reference,
  workplaceDefaults,
  workplaceSchemaFields,
} from './fields';

export const leadStatuses = ['New', 'Contacted', 'Qualified', 'Won', 'Lost'] as const;
export const leadStatus = z.enum(leadStatuses);
export type LeadStatus = z.infer<typeof leadStatus>;
export const openLeadStatuses = ['New', 'Contacted', 'Qualified'] as const satisfies readonly LeadStatus[];
export const closedLeadStatuses = ['Won', 'Lost'] as const satisfies readonly LeadStatus[];
export function isOpenLeadStatus(status: LeadStatus): boolean {
  return (openLeadStatuses as readonly LeadStatus[]).includes(status);
}

export const priorities = ['Low', 'Medium', 'High'] as const;
export const priority = z.enum(priorities);
export type Priority = z.infer<typeof priority>;

export const leadSchema = z.object({
  ...baseFields,
  ...personSchemaFields,
  ...workplaceSchemaFields,
  status: leadStatus,
  priority,
  /** Expected deal value. */
  value: z.number().finite().min(0, 'Must not be negative').nullable(),
  notes: optionalText(10_000),
  contactId: reference,
  autoCreatedFromContact: z.boolean(),
  isConvertedToContact: z.boolean(),
  conversionDate: epochMs.nullable(),
  /** Fractional index (see `fractional-indexing`) ordering the card inside its Kanban column. */
  position: plainText(200),
  /** On a lead deleted by a duplicate merge: the lead it was merged into (docs/duplicates.md). */
  // A default, so a push from an app version before this field is still accepted.
  mergedInto: reference.default(''),
});
export type Lead = z.infer<typeof leadSchema>;

export const leadDefaults = {
  ...personDefaults,
  ...workplaceDefaults,
  status: 'New',
  priority: 'Medium',
  value: null,
  notes: '',
  contactId: '',
  autoCreatedFromContact: false,
  isConvertedToContact: false,
  conversionDate: null,
  position: '',
  mergedInto: '',
} satisfies Partial<Lead>;

/** Id of the lead auto-created for a contact: deterministic, so two devices create the same lead (docs/link-rules.md). */
export function autoLeadIdFor(contactId: string): string {
  return `lead-${contactId}`;
}
