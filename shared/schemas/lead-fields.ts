import type { FieldCatalogue } from './field-catalogue';
import { type Lead, leadStatuses, priorities } from './lead';
import { nameColumn, personFields as person } from './person-fields';

/** Leads' field catalogue (see field-catalogue.ts); key order is form order. */
export const leadFieldCatalogue = {
  id: person.id,
  firstName: { ...person.firstName, column: { ...nameColumn, position: 1 } },
  lastName: person.lastName,
  email: { ...person.email, column: { position: 3, width: 'minmax(140px, 2fr)', hideBelow: 'xl' } },
  phone: person.phone,
  company: { ...person.company, column: { position: 2, width: 'minmax(110px, 1.5fr)', hideBelow: 'sm' } },
  jobTitle: person.jobTitle,
  departmentId: person.departmentId,
  source: person.source,
  assignedTo: person.assignedTo,
  status: {
    ...person.status,
    options: leadStatuses,
    column: { position: 6, width: '110px' },
    sortBy: ['status', 'boardOrder'],
  },
  priority: {
    label: 'Priority',
    type: 'select',
    options: priorities,
    required: true,
    section: 'Sales',
    column: { position: 4, width: '90px', hideBelow: 'md' },
    importSynonyms: [],
    exportHeader: 'Priority',
  },
  value: {
    label: 'Value',
    type: 'number',
    nullable: true,
    section: 'Sales',
    column: { position: 5, width: '110px', hideBelow: 'md' },
    importSynonyms: ['deal value', 'amount', 'expected value'],
    exportHeader: 'Value',
    sortBy: ['valueSortKey'],
  },
  notes: person.notes,
  createdAt: person.createdAt,
  updatedAt: { ...person.updatedAt, column: { position: 7, width: '165px', hideBelow: 'md' } },
} as const satisfies FieldCatalogue<Lead>;
