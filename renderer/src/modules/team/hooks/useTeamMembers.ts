import { useDatabase } from '@renderer/modules/database/hooks/useDatabase';
import { type ObservableState, useObservable } from '@renderer/modules/database/hooks/useObservable';
import type { TeamMember } from '@shared/schemas';
import { useMemo } from 'react';

/** Team members replicated from the server (read-only on this device). */
export function useTeamMembers(): ObservableState<TeamMember[]> {
  const db = useDatabase();
  const members$ = useMemo(() => db.teamMembers.find({ sort: [{ name: 'asc' }] }).$, [db]);
  return useObservable(members$ as never, [] as TeamMember[]);
}

export type SelectOption = { value: string; label: string };

/**
 * Who a record can be assigned to. Before the first sync there are no team members yet; the current
 * user is then the only choice, so a rep working offline from day one can still assign to themself.
 */
export function useAssigneeOptions(): SelectOption[] {
  const db = useDatabase();
  const { value: members } = useTeamMembers();
  return useMemo(() => {
    const options = members.map((member) => ({ value: member.id, label: member.name }));
    if (!options.some((option) => option.value === db.crm.userId)) {
      options.unshift({ value: db.crm.userId, label: 'Me' });
    }
    return options;
  }, [members, db]);
}
