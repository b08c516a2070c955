import type { RecordIndexConfig } from '@renderer/modules/object-record/components/RecordIndex';
import { catalogueFilter } from '@renderer/modules/object-record/utils/catalogueFilter';
import { type Lead, leadFieldCatalogue, searchFieldsOf, sortFieldsOf } from '@shared/schemas';
import { leadColumns, leadPath } from './leadColumns';

export const leadIndexConfig: RecordIndexConfig<Lead> = {
  collection: 'leads',
  title: 'Leads',
  noun: 'lead',
  catalogue: leadFieldCatalogue as RecordIndexConfig<Lead>['catalogue'],
  newLabel: 'New lead',
  newPath: '/leads/new',
  detailPath: leadPath,
  columns: leadColumns,
  searchFields: searchFieldsOf(leadFieldCatalogue),
  sortFields: sortFieldsOf(leadFieldCatalogue),
  // [status, position] is indexed: the default order is the pipeline's, without a scan.
  defaultSort: { key: 'status', direction: 'asc' },
  countableFilters: ['status'],
  filterDefinitions: [
    catalogueFilter(leadFieldCatalogue, 'status', 'Any status'),
    catalogueFilter(leadFieldCatalogue, 'priority', 'Any priority'),
    catalogueFilter(leadFieldCatalogue, 'source', 'Any source'),
    catalogueFilter(leadFieldCatalogue, 'assignedTo', 'Anyone'),
  ],
};
