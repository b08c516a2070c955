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
  /** On a contact deleted by a duplicate merge: the contact it was merged into (docs/duplicates.md). */
  // A default, so a push from an app version before this field is still accepted.
  mergedInto: reference.default(''),
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
  mergedInto: '',
} satisfies Partial<Contact>;
