import { useRuleErrors } from './useRuleErrors';
import { useSyncIssues } from './useSyncIssues';

/** Rejected documents, lost edits and rule errors the user has not dismissed yet. */
export function useSyncIssueCount(): number {
  return useSyncIssues().value.length + useRuleErrors().value.length;
}
