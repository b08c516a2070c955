/**
 * What a Fieldbook database is, apart from how it is made (database.ts): the rule engine and the local
 * lists name this type, and database.ts installs them, so the type lives where neither imports the other.
 */
import type { CollectionName, DocumentTypes } from '@shared/schemas';
import type { RxCollection, RxDatabase } from 'rxdb';

export type CrmCollections = { [K in CollectionName]: RxCollection<DocumentTypes[K]> };
export type CrmDatabase = RxDatabase<CrmCollections> & { crm: CrmContext };

/** Per-database state the hooks and rules need. */
export type CrmContext = {
  /** User id written to `updatedBy`; a rule's write is attributed to the user whose write triggered it. */
  userId: string;
  /** Ids being inserted by `bulkInsertKeepingTimes`: their caller's `updatedAt` is kept. */
  keepTimesOf: Set<string>;
  /** Ids being written by `writingTimelineEntries`: what their write's own timeline entry says. */
  timelineEntryOf: Map<string, TimelineEntry>;
};

/**
 * The timeline entry of a user write told by its caller instead of "Contact … created" / "… edited": an
 * import's "Imported from salesforce-leads.csv" (an update's entry keeps its field values in `changes`).
 */
export type TimelineEntry = { kind: 'imported'; summary: string; fields: string[] };
