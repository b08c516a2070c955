import type { RecordIndexConfig } from '@renderer/modules/object-record/components/RecordIndex';
import {
  type Contact,
  contactFieldCatalogue,
  contactStatuses,
  searchFieldsOf,
  sortFieldsOf,
  sources,
} from '@shared/schemas';
import { contactColumns, contactPath } from './contactColumns';

export const contactIndexConfig: RecordIndexConfig<Contact> = {
  collection: 'contacts',
  title: 'Contacts',
  noun: 'contact',
  newLabel: 'New contact',
  newPath: '/contacts/new',
  detailPath: contactPath,
  columns: contactColumns,
  searchFields: searchFieldsOf(contactFieldCatalogue),
  sortFields: sortFieldsOf(contactFieldCatalogue),
  defaultSort: { key: 'name', direction: 'asc' },
  // [status, updatedAt] is indexed, so a status filter can still be counted without a scan.
  countableFilters: ['status'],
  filterDefinitions: [
    { field: 'status', label: 'Status filter', options: contactStatuses, anyLabel: 'Any status' },
    { field: 'source', label: 'Source filter', options: sources, anyLabel: 'Any source' },
    { field: 'assignedTo', label: 'Assigned to filter', options: 'teamMembers', anyLabel: 'Anyone' },
  ],
};
