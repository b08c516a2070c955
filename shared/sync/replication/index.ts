export { SyncHttpError, SyncNetworkError } from './http';
export { crmConflictHandler, mergeDocumentStates, syncedDocumentsEqual } from './merge';
export { pendingIds$ } from './outbox';
export {
  type StartSyncOptions,
  type SyncHandle,
  type SyncState,
  type SyncStatus,
  startSync,
} from './start-sync';
export { dismissSyncIssue, restoreDeletedFromIssue, type SyncIssue, syncIssues$ } from './sync-issues';
