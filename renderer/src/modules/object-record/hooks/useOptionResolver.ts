import { useDepartments } from '@renderer/modules/team/hooks/useDepartments';
import { type SelectOption, useAssigneeOptions } from '@renderer/modules/team/hooks/useTeamMembers';
import { useCallback } from 'react';
import type { OptionSource } from '../types/FieldDefinition';

/** Turns a field's option source into the choices a select shows. */
export function useOptionResolver(): (source: OptionSource) => SelectOption[] {
  const { value: departments } = useDepartments();
  const assignees = useAssigneeOptions();
  return useCallback(
    (source: OptionSource) => {
      if (source === 'departments') return departments.map((d) => ({ value: d.id, label: d.name }));
      if (source === 'teamMembers') return assignees;
      return source.map((option) => ({ value: option, label: option }));
    },
    [departments, assignees],
  );
}
