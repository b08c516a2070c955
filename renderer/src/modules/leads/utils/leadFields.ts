import type { FieldDefinition } from '@renderer/modules/object-record/types/FieldDefinition';
import { leadStatuses, priorities, sources } from '@shared/schemas';

/** The lead form; labels are part of the product's contract (SPEC §6). */
export const leadFields: FieldDefinition[] = [
  { name: 'firstName', label: 'First name', kind: 'text', required: true, autoFocus: true },
  { name: 'lastName', label: 'Last name', kind: 'text' },
  { name: 'email', label: 'Email', kind: 'email' },
  { name: 'phone', label: 'Phone', kind: 'tel' },
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
  { name: 'status', label: 'Status', kind: 'select', options: leadStatuses, required: true },
  { name: 'priority', label: 'Priority', kind: 'select', options: priorities, required: true },
  { name: 'value', label: 'Value', kind: 'number' },
  { name: 'notes', label: 'Notes', kind: 'multiline' },
];

export const leadSearchFields = ['firstName', 'lastName', 'email', 'company'] as const;

/** Sort key → indexed fields; names, companies and emails sort by the derived, locale-aware keys. */
export const leadSortFields: Record<string, readonly string[]> = {
  name: ['nameSortKey'],
  company: ['companySortKey'],
  email: ['emailKey'],
  value: ['valueSortKey'],
  status: ['status', 'boardOrder'],
  updatedAt: ['updatedAt'],
};
