import type { FieldDefinition } from '@renderer/modules/object-record/types/FieldDefinition';
import { contactStatuses, sources } from '@shared/schemas';

/** The contact form; labels are part of the product's contract (SPEC §6). */
export const contactFields: FieldDefinition[] = [
  { name: 'firstName', label: 'First name', kind: 'text', required: true, autoFocus: true },
  { name: 'lastName', label: 'Last name', kind: 'text' },
  { name: 'email', label: 'Email', kind: 'email' },
  { name: 'phone', label: 'Phone', kind: 'tel' },
  { name: 'mobile', label: 'Mobile', kind: 'tel' },
  { name: 'company', label: 'Company', kind: 'text' },
  { name: 'jobTitle', label: 'Job title', kind: 'text' },
  { name: 'departmentId', label: 'Department', kind: 'select', options: 'departments', emptyOption: 'None' },
  {
    name: 'source',
    label: 'Source',
    kind: 'select',
    options: sources,
    emptyOption: 'Unknown',
    nullable: true,
  },
  { name: 'assignedTo', label: 'Assigned to', kind: 'select', options: 'teamMembers', emptyOption: 'Nobody' },
  { name: 'status', label: 'Status', kind: 'select', options: contactStatuses, required: true },
  { name: 'notes', label: 'Notes', kind: 'multiline' },
];

export const contactSearchFields = ['firstName', 'lastName', 'email', 'company'] as const;

/** Sort key → indexed fields; names, companies and emails sort by the derived, locale-aware keys. */
export const contactSortFields: Record<string, readonly string[]> = {
  name: ['nameSortKey'],
  company: ['companySortKey'],
  email: ['emailKey'],
  status: ['status', 'updatedAt'],
  updatedAt: ['updatedAt'],
};
