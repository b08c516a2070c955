import type { RecordIndexConfig } from '@renderer/modules/object-record/components/RecordIndex';
import { type Contact, contactStatuses, sources } from '@shared/schemas';
import { contactColumns } from './contactColumns';
import { contactSearchFields, contactSortFields } from './contactFields';

export const contactIndexConfig: RecordIndexConfig<Contact> = {
  collection: 'contacts',
  title: 'Contacts',
  noun: 'contact',
  newLabel: 'New contact',
  newPath: '/contacts/new',
  detailPath: (contact) => `/contacts/${encodeURIComponent(contact.id)}`,
  columns: contactColumns,
  searchFields: contactSearchFields,
  sortFields: contactSortFields,
  defaultSort: { key: 'name', direction: 'asc' },
  // [status, updatedAt] is indexed, so a status filter can still be counted without a scan.
  countableFilters: ['status'],
  filterDefinitions: [
    { field: 'status', label: 'Status filter', options: contactStatuses, anyLabel: 'Any status' },
    { field: 'source', label: 'Source filter', options: sources, anyLabel: 'Any source' },
    { field: 'assignedTo', label: 'Assigned to filter', options: 'teamMembers', anyLabel: 'Anyone' },
  ],
};
