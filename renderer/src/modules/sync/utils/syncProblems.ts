import type { Notification } from '@renderer/modules/feedback/components/NotificationProvider';
import { asSentence } from '@renderer/modules/ui/utils/asSentence';

/** What the app knows of sync problems at one moment. */
export type SyncProblems = {
  /** The replication's error in words, while it has one. */
  error: string | null;
  /** Sync issues and rule errors not dismissed yet, by id. */
  issueIds: readonly string[];
};

export type SyncProblemNotice = Pick<Notification, 'message' | 'severity'> & {
  /** Where its action leads. */
  path: '/settings' | '/sync-issues';
  actionLabel: string;
};

/**
 * The notification for a sync problem that appeared since `previous` (null: nothing new to tell). Problems
 * known when the app started are not announced again: the indicator and the navigation count show them.
 */
export function newSyncProblem(previous: SyncProblems, current: SyncProblems): SyncProblemNotice | null {
  if (current.error !== null && current.error !== previous.error)
    return {
      message: `Sync stopped: ${asSentence(current.error)} Your work is kept on this device.`,
      severity: 'error',
      path: '/settings',
      actionLabel: 'Settings',
    };
  const known = new Set(previous.issueIds);
  const added = current.issueIds.filter((id) => !known.has(id)).length;
  if (added === 0) return null;
  return {
    message: `${added === 1 ? 'A record needs' : `${added} records need`} your attention after sync.`,
    severity: 'warning',
    path: '/sync-issues',
    actionLabel: 'Review',
  };
}
