import { withNextWorkColumn } from '@renderer/modules/activity/utils/nextWorkColumn';
import { Money } from '@renderer/modules/money/components/Money';
import { catalogueColumns } from '@renderer/modules/object-record/utils/catalogueColumns';
import { type Lead, leadFieldCatalogue } from '@shared/schemas';

export const leadPath = (lead: Lead) => `/leads/${encodeURIComponent(lead.id)}`;

export const leadColumns = withNextWorkColumn(
  catalogueColumns<Lead>(leadFieldCatalogue, leadPath, {
    value: (lead) => <Money value={lead.value} />,
  }),
  'leadId',
);
