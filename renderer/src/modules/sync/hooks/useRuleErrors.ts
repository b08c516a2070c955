import { useDatabase } from '@renderer/modules/database/hooks/useDatabase';
import { type ObservableState, useObservable } from '@renderer/modules/database/hooks/useObservable';
import { type RuleError, ruleErrors$ } from '@shared/sync/rules/rule-errors';
import { useMemo } from 'react';

export function useRuleErrors(): ObservableState<RuleError[]> {
  const db = useDatabase();
  const errors$ = useMemo(() => ruleErrors$(db), [db]);
  return useObservable(errors$, [] as RuleError[]);
}
