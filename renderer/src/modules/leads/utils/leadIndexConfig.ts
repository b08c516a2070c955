import type { RecordIndexConfig } from '@renderer/modules/object-record/components/RecordIndex';
import {
  type Lead,
  leadFieldCatalogue,
  leadStatuses,
  priorities,
  searchFieldsOf,
  sortFieldsOf,
  sources,
} from '@shared/schemas';
import { leadColumns, leadPath } from './leadColumns';

export const leadIndexConfig: RecordIndexConfig<Lead> = {
  collection: 'leads',
  title: 'Leads',
  noun: 'lead',
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
    { field: 'status', label: 'Status filter', options: leadStatuses, anyLabel: 'Any status' },
    { field: 'priority', label: 'Priority filter', options: priorities, anyLabel: 'Any priority' },
    { field: 'source', label: 'Source filter', options: sources, anyLabel: 'Any source' },
    { field: 'assignedTo', label: 'Assigned to filter', options: 'teamMembers', anyLabel: 'Anyone' },
  ],
};
