import type { RecordIndexConfig } from '@renderer/modules/object-record/components/RecordIndex';
import { catalogueFilter } from '@renderer/modules/object-record/utils/catalogueFilter';
import { type Contact, contactFieldCatalogue, searchFieldsOf, sortFieldsOf } from '@shared/schemas';
import { contactColumns, contactPath } from './contactColumns';

export const contactIndexConfig: RecordIndexConfig<Contact> = {
  collection: 'contacts',
  title: 'Contacts',
  noun: 'contact',
  catalogue: contactFieldCatalogue as RecordIndexConfig<Contact>['catalogue'],
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
    catalogueFilter(contactFieldCatalogue, 'status', 'Any status'),
    catalogueFilter(contactFieldCatalogue, 'source', 'Any source'),
    catalogueFilter(contactFieldCatalogue, 'assignedTo', 'Anyone'),
  ],
};
