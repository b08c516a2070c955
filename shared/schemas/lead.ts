import { z } from 'zod';
import {
  baseFields,
  EMAIL_MAX,
  email,
  epochMs,
  optionalText,
  plainText,
  reference,
  requiredText,
  source,
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
  firstName: requiredText(100, 'First name is required'),
  lastName: optionalText(100),
  email,
  emailKey: plainText(EMAIL_MAX),
  phone: optionalText(50),
  company: optionalText(200),
  jobTitle: optionalText(200),
  departmentId: reference,
  source: source.nullable(),
  assignedTo: reference,
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
});
export type Lead = z.infer<typeof leadSchema>;

export const leadDefaults = {
  lastName: '',
  email: '',
  emailKey: '',
  phone: '',
  company: '',
  jobTitle: '',
  departmentId: '',
  source: null,
  assignedTo: '',
  status: 'New',
  priority: 'Medium',
  value: null,
  notes: '',
  contactId: '',
  autoCreatedFromContact: false,
  isConvertedToContact: false,
  conversionDate: null,
  position: '',
} satisfies Partial<Lead>;

/** Id of the lead auto-created for a contact: deterministic, so two devices create the same lead (docs/link-rules.md). */
export function autoLeadIdFor(contactId: string): string {
  return `lead-${contactId}`;
}
