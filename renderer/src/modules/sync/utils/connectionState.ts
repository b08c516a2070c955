import type { SyncStatus } from '@shared/sync';

/**
 * The one state the app shows for its connection, derived from whether a server is set and what the
 * replication reports, so the indicator and Settings never disagree.
 */
export type ConnectionState = 'not-connected' | 'offline' | 'syncing' | 'synced' | 'error';

export function connectionStateOf(status: SyncStatus, connected: boolean): ConnectionState {
  if (status.state === 'error') return 'error';
  if (!connected) return 'not-connected';
  return status.state;
}

export const connectionLabels: Record<ConnectionState, string> = {
  'not-connected': 'Not connected',
  offline: 'Offline',
  syncing: 'Syncing',
  synced: 'Synced',
  error: 'Sync error',
};
