export {
  type BulkCollection,
  type BulkFailure,
  type BulkPatch,
  type BulkProgress,
  type BulkResult,
  patchInBulk,
  removeInBulk,
} from './bulk-actions';
export { withoutStorageFields } from './change-feed';
export {
  bulkInsertKeepingTimes,
  type CreateCrmDatabaseOptions,
  type CrmDatabase,
  createCrmDatabase,
  crmStorage,
  type TimelineEntry,
  writingTimelineEntries,
} from './database';
export { type DetectionResult, detectDuplicates, holdDuplicateDetection } from './duplicates/detect';
export { dismissDuplicate, type MergeRequest, mergeDuplicates } from './duplicates/merge';
export { duplicatePairs, duplicatePairs$, type ListedDuplicatePair } from './duplicates/pair-list';
export {
  type DuplicateCertainty,
  type DuplicateCollection,
  type DuplicatePair,
  type DuplicateReason,
  defaultMergeValues,
  defaultSurvivor,
  differingFields,
  mergeableFields,
} from './duplicates/pairs';
export { CrmValidationError, isCrmValidationError } from './errors';
export type { LocalListItem } from './local-list';
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
export { checkInvariants, type InvariantId, type InvariantViolation } from './rules/invariants';
export { linkLeadToContact, unlinkLead } from './rules/links';
export { mappedFields } from './rules/mapping';
export { checkAllData, type DataCheckResult, type ReconcileResult, reconcile } from './rules/reconcile';
export {
  clearRuleErrors,
  dismissRuleError,
  getRuleErrors,
  type RuleError,
  type RuleErrorTarget,
  ruleErrors$,
} from './rules/rule-errors';
export { whenRulesSettled } from './rules/rule-work';
export {
  openSearchStoreEarly,
  type SearchIndex,
  type SearchResult,
  type StatusTotal,
  type StatusTotals,
  searchIndexOf,
} from './search/search-index';
export { type SearchableCollection, searchableCollections } from './search/search-tokens';
export {
  logWork,
  saveTeamSettings,
  setWorkDone,
  teamSettingsWithDefaults,
  type WorkDraft,
} from './work';
