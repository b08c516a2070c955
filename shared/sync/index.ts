export { type CreateCrmDatabaseOptions, type CrmDatabase, createCrmDatabase } from './database';
export { CrmValidationError, isCrmValidationError } from './errors';
export {
  dismissSyncIssue,
  pendingIds$,
  restoreDeletedFromIssue,
  type StartSyncOptions,
  type SyncHandle,
  SyncHttpError,
  type SyncIssue,
  SyncNetworkError,
  type SyncState,
  type SyncStatus,
  startSync,
  syncIssues$,
} from './replication';
