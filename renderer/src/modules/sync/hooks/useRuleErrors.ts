import { useMemo } from 'react';
import { type RuleError, ruleErrors$ } from '../../../../../shared/sync';
import { useDatabase } from '../../database/hooks/useDatabase';
import { type ObservableState, useObservable } from '../../database/hooks/useObservable';

export function useRuleErrors(): ObservableState<RuleError[]> {
  const db = useDatabase();
  const errors$ = useMemo(() => ruleErrors$(db), [db]);
  return useObservable(errors$, [] as RuleError[]);
}
