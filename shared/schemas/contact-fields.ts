import { type Contact, contactStatuses } from './contact';
import type { FieldCatalogue } from './field-catalogue';
import { nameColumn, personFields as person } from './person-fields';

/** Contacts' field catalogue (see field-catalogue.ts); key order is form order. */
export const contactFieldCatalogue = {
  id: person.id,
  firstName: { ...person.firstName, column: { ...nameColumn, position: 1 } },
  lastName: person.lastName,
  email: { ...person.email, column: { position: 2, width: 'minmax(140px, 2fr)', hideBelow: 'sm' } },
  phone: { ...person.phone, column: { position: 4, width: 'minmax(125px, 1fr)', hideBelow: 'lg' } },
  mobile: {
    label: 'Mobile',
    type: 'tel',
    section: 'Person',
    importSynonyms: ['cell', 'cell phone', 'mobile phone'],
    exportHeader: 'Mobile',
    search: 'digits',
  },
  company: { ...person.company, column: { position: 3, width: 'minmax(110px, 1.5fr)', hideBelow: 'md' } },
  jobTitle: person.jobTitle,
  departmentId: person.departmentId,
  source: person.source,
  assignedTo: person.assignedTo,
  status: {
    ...person.status,
    options: contactStatuses,
    column: { position: 5, width: '100px' },
    sortBy: ['status', 'updatedAt'],
  },
  notes: person.notes,
  createdAt: person.createdAt,
  updatedAt: { ...person.updatedAt, column: { position: 6, width: '165px', hideBelow: 'md' } },
} as const satisfies FieldCatalogue<Contact>;
