import { useDatabase } from '@renderer/modules/database/hooks/useDatabase';
import { type ObservableState, useObservable } from '@renderer/modules/database/hooks/useObservable';
import type { Department } from '@shared/schemas';
import { useMemo } from 'react';

/** All departments by name (a team has tens of them, not thousands). */
export function useDepartments(): ObservableState<Department[]> {
  const db = useDatabase();
  const departments$ = useMemo(() => db.departments.find({ sort: [{ name: 'asc' }] }).$, [db]);
  return useObservable(departments$ as never, [] as Department[]);
}
