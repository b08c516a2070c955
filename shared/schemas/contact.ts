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

export const contactStatuses = ['Lead', 'Prospect', 'Active', 'Inactive'] as const;
export const contactStatus = z.enum(contactStatuses);
export type ContactStatus = z.infer<typeof contactStatus>;

export const contactSchema = z.object({
  ...baseFields,
  firstName: requiredText(100, 'First name is required'),
  lastName: optionalText(100),
  email,
  /** Trimmed, lower-cased `email`; derived by the database layer, indexed for the uniqueness rule. */
  emailKey: plainText(EMAIL_MAX),
  phone: optionalText(50),
  mobile: optionalText(50),
  company: optionalText(200),
  jobTitle: optionalText(200),
  departmentId: reference,
  source: source.nullable(),
  assignedTo: reference,
  status: contactStatus,
  notes: optionalText(10_000),
  leadId: reference,
  isConvertedFromLead: z.boolean(),
  conversionDate: epochMs.nullable(),
});
export type Contact = z.infer<typeof contactSchema>;

export const contactDefaults = {
  lastName: '',
  email: '',
  emailKey: '',
  phone: '',
  mobile: '',
  company: '',
  jobTitle: '',
  departmentId: '',
  source: null,
  assignedTo: '',
  notes: '',
  leadId: '',
  isConvertedFromLead: false,
  conversionDate: null,
} satisfies Partial<Contact>;
