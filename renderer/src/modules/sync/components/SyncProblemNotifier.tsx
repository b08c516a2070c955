import { useNotify } from '@renderer/modules/feedback/hooks/useNotify';
import { useEffect, useMemo, useRef } from 'react';
import { useNavigate } from 'react-router';
import { useRuleErrors } from '../hooks/useRuleErrors';
import { useSync } from '../hooks/useSync';
import { useSyncIssues } from '../hooks/useSyncIssues';
import { newSyncProblem, type SyncProblems } from '../utils/syncProblems';

/** Tells the user, wherever they are, when the sync stops on an error or leaves records to fix. */
export function SyncProblemNotifier() {
  const notify = useNotify();
  const navigate = useNavigate();
  const { status } = useSync();
  const issues = useSyncIssues();
  const ruleErrors = useRuleErrors();
  const ready = issues.ready && ruleErrors.ready;
  const error = status.state === 'error' ? status.lastError : null;
  const issueIds = useMemo(
    () => [
      ...issues.value.map((issue) => `issue:${issue.id}`),
      ...ruleErrors.value.map((ruleError) => `rule:${ruleError.id}`),
    ],
    [issues.value, ruleErrors.value],
  );
  // Until both lists are read, what they hold is not news.
  const previous = useRef<SyncProblems | null>(null);
  useEffect(() => {
    if (!ready) return;
    const current = { error, issueIds };
    const notice = previous.current === null ? null : newSyncProblem(previous.current, current);
    previous.current = current;
    if (notice === null) return;
    notify({
      message: notice.message,
      severity: notice.severity,
      action: { label: notice.actionLabel, onClick: () => navigate(notice.path) },
    });
  }, [ready, error, issueIds, notify, navigate]);
  return null;
}
