import { z } from 'zod';
import {
  baseFields,
  epochMs,
  optionalText,
  personDefaults,
  personSchemaFields,
  reference,
  workplaceDefaults,
  workplaceSchemaFields,
} from './fields';

export const contactStatuses = ['Lead', 'Prospect', 'Active', 'Inactive'] as const;
export const contactStatus = z.enum(contactStatuses);
export type ContactStatus = z.infer<typeof contactStatus>;

export const contactSchema = z.object({
  ...baseFields,
  ...personSchemaFields,
  mobile: optionalText(50),
  ...workplaceSchemaFields,
  status: contactStatus,
  notes: optionalText(10_000),
  leadId: reference,
  isConvertedFromLead: z.boolean(),
  conversionDate: epochMs.nullable(),
});
export type Contact = z.infer<typeof contactSchema>;

export const contactDefaults = {
  ...personDefaults,
  mobile: '',
  ...workplaceDefaults,
  notes: '',
  leadId: '',
  isConvertedFromLead: false,
  conversionDate: null,
} satisfies Partial<Contact>;
