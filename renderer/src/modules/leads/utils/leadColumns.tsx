import { catalogueColumns } from '@renderer/modules/object-record/utils/catalogueColumns';
import { formatMoney } from '@renderer/modules/ui/utils/formatMoney';
import { type Lead, leadFieldCatalogue } from '@shared/schemas';

export const leadPath = (lead: Lead) => `/leads/${encodeURIComponent(lead.id)}`;

export const leadColumns = catalogueColumns<Lead>(leadFieldCatalogue, leadPath, {
  value: (lead) => formatMoney(lead.value),
});
