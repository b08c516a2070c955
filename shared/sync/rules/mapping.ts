import type { Contact, Lead, Source } from '@shared/schemas';

/** Fields kept equal between a linked contact and lead (docs/link-rules.md), in both directions. */
export const mappedFields = [
  'firstName',
  'lastName',
  'email',
  'phone',
  'company',
  'jobTitle',
  'departmentId',
  'source',
  'assignedTo',
] as const;
export type MappedField = (typeof mappedFields)[number];
export type MappedValues = {
  [K in MappedField]: K extends 'source' ? Source : string;
};

/** Source of an auto-created lead when the contact has none (docs/link-rules.md). */
export const DEFAULT_LEAD_SOURCE: Source = 'Website';

/**
 * The mapped values a contact gives its lead: `phone || mobile`, and a missing source reads as Website.
 * Comparing this with `mappedValuesOfLead` is what "equal mapped fields" (I4, no-op rule) means.
 */
export function mappedValuesOfContact(contact: Contact): MappedValues {
  return {
    firstName: contact.firstName,
    lastName: contact.lastName,
    email: contact.email,
    phone: contact.phone || contact.mobile,
    company: contact.company,
    jobTitle: contact.jobTitle,
    departmentId: contact.departmentId,
    source: contact.source ?? DEFAULT_LEAD_SOURCE,
    assignedTo: contact.assignedTo,
  };
}

export function mappedValuesOfLead(lead: Lead): MappedValues {
  return {
    firstName: lead.firstName,
    lastName: lead.lastName,
    email: lead.email,
    phone: lead.phone,
    company: lead.company,
    jobTitle: lead.jobTitle,
    departmentId: lead.departmentId,
    source: lead.source ?? DEFAULT_LEAD_SOURCE,
    assignedTo: lead.assignedTo,
  };
}

/** Mapped fields on which the pair disagrees (empty: I4 holds for this pair). */
export function differingMappedFields(contact: Contact, lead: Lead): MappedField[] {
  const fromContact = mappedValuesOfContact(contact);
  const fromLead = mappedValuesOfLead(lead);
  return mappedFields.filter((field) => fromContact[field] !== fromLead[field]);
}

/** Patch that makes the lead's mapped fields equal the contact's (R5); empty when they already are. */
export function leadPatchFromContact(contact: Contact, lead: Lead): Partial<Lead> {
  const values = mappedValuesOfContact(contact);
  const patch: Partial<Lead> = {};
  for (const field of differingMappedFields(contact, lead)) {
    (patch as Record<string, unknown>)[field] = values[field];
  }
  return patch;
}

/**
 * Patch that makes the contact's mapped fields equal the lead's (R9); empty when they already are.
 * The lead has one phone: it goes to `contact.phone`. When the lead's phone is cleared, the contact's
 * mobile is cleared too, since otherwise `phone || mobile` would still differ (decision beyond the spec).
 */
export function contactPatchFromLead(lead: Lead, contact: Contact): Partial<Contact> {
  const patch: Partial<Contact> = {};
  for (const field of differingMappedFields(contact, lead)) {
    if (field === 'phone') {
      patch.phone = lead.phone;
      if (lead.phone === '') patch.mobile = '';
    } else if (field === 'source') {
      patch.source = lead.source ?? DEFAULT_LEAD_SOURCE;
    } else {
      (patch as Record<string, unknown>)[field] = lead[field];
    }
  }
  return patch;
}

/** Keys of `patch` whose value differs from `doc` (the no-op rule: only these are written). */
export function effectivePatch<T extends object>(doc: T, patch: Partial<T>): Partial<T> {
  const effective: Partial<T> = {};
  for (const [key, value] of Object.entries(patch) as [keyof T, T[keyof T]][]) {
    if (doc[key] !== value) effective[key] = value;
  }
  return effective;
}
