import { useDatabase } from '@renderer/modules/database/hooks/useDatabase';
import { useMoneyFormat } from '@renderer/modules/money/hooks/useMoneyFormat';
import { useDepartments } from '@renderer/modules/team/hooks/useDepartments';
import { useTeamMembers } from '@renderer/modules/team/hooks/useTeamMembers';
import { formatDateTime } from '@renderer/modules/ui/utils/formatDateTime';
import { catalogueFields, contactFieldCatalogue, leadFieldCatalogue } from '@shared/schemas';
import { useMemo } from 'react';
import type { Describers } from '../utils/describeActivity';

/** Labels of fields the catalogue leaves without one (link bookkeeping no form shows). */
const linkFieldLabels: Record<string, string> = {
  leadId: 'Linked lead',
  contactId: 'Linked contact',
  isConvertedFromLead: 'Converted from a lead',
  isConvertedToContact: 'Converted to a customer',
  autoCreatedFromContact: 'Created from a contact',
  conversionDate: 'Conversion date',
  position: 'Place in the pipeline column',
};

/** Field labels, values and people in words for the timeline. */
export function useDescribers(): Describers {
  const db = useDatabase();
  const money = useMoneyFormat();
  const { value: members } = useTeamMembers();
  const { value: departments } = useDepartments();
  return useMemo(() => {
    const labels = new Map<string, string>(Object.entries(linkFieldLabels));
    // The field catalogue (one per entity) names every field a person sees.
    for (const field of [...catalogueFields(contactFieldCatalogue), ...catalogueFields(leadFieldCatalogue)])
      if (field.label) labels.set(field.name, field.label);
    const people = new Map(members.map((member) => [member.id, member.name]));
    const departmentNames = new Map(departments.map((department) => [department.id, department.name]));
    const personOf = (userId: string) =>
      userId === db.crm.userId ? 'you' : (people.get(userId) ?? (userId || 'someone'));
    return {
      labelOf: (field) => labels.get(field) ?? field,
      personOf,
      valueOf: (field, value) => {
        if (value === null || value === '') return '';
        if (typeof value === 'boolean') return value ? 'yes' : 'no';
        if (field === 'value' && typeof value === 'number') return money.exact(value);
        if (field === 'conversionDate' && typeof value === 'number') return formatDateTime(value);
        if (field === 'assignedTo') return personOf(String(value));
        if (field === 'departmentId') return departmentNames.get(String(value)) ?? String(value);
        return String(value);
      },
    };
  }, [db, money, members, departments]);
}
