/**
 * What changed in some collections since a pass last looked: RxDB's storage change feed (every write,
 * local, replicated, merged or a tombstone, in write order) read from a checkpoint kept in a local
 * document. Reconcile (`rules/reconcile-scope.ts`) and duplicate detection (`duplicates/detect.ts`) each
 * keep their own checkpoint, so each reads only what changed since its own last pass.
 */
import type { CollectionName } from '@shared/schemas';
import { getChangedDocumentsSince, now, type RxCollection } from 'rxdb';
import type { CrmDatabase } from './crm-database';
import { isClosing } from './replication/rxdb-internals';

/** A position in a collection's storage change feed (RxDB's default checkpoint). */
export type FeedCheckpoint = { id: string; lwt: number };
export type StoredDocument = Record<string, unknown> & { id: string; _deleted?: boolean };

export type FeedChanges<C extends CollectionName> = {
  documents: Record<C, StoredDocument[]>;
  /** The feed positions read up to; `commit` them once the pass is done. */
  checkpoints: Record<C, FeedCheckpoint>;
};

/** Changes read per storage call. */
const FEED_PAGE = 500;

export type ChangeFeed<C extends CollectionName> = {
  /**
   * The documents written after the stored checkpoints (tombstones included); null without a stored
   * checkpoint (a new database, or one from before this pass existed) or beyond `maxDocuments`, where the
   * caller reads everything instead.
   */
  changes(maxDocuments: number): Promise<FeedChanges<C> | null>;
  /**
   * Checkpoints at this moment, for a pass that reads everything: every write from here on has a later
   * `_meta.lwt` (RxDB's now() never goes back), so the next pass starts where this one began.
   */
  startingNow(): Record<C, FeedCheckpoint>;
  commit(checkpoints: Record<C, FeedCheckpoint>): Promise<void>;
};

/** The feed of `collections` with its checkpoint in the local document `checkpointDocument`. */
export function changeFeed<C extends CollectionName>(
  db: CrmDatabase,
  checkpointDocument: string,
  collections: readonly C[],
): ChangeFeed<C> {
  return {
    async changes(maxDocuments) {
      const stored = await db.getLocal<Record<C, FeedCheckpoint>>(checkpointDocument);
      if (!stored) return null;
      const documents = {} as Record<C, StoredDocument[]>;
      const checkpoints = {} as Record<C, FeedCheckpoint>;
      let total = 0;
      for (const collection of collections) {
        const checkpoint = stored.get(collection) as FeedCheckpoint | undefined;
        if (!checkpoint) return null;
        const storage = (db[collection] as RxCollection).storageInstance;
        documents[collection] = [];
        checkpoints[collection] = checkpoint;
        for (;;) {
          const page = await getChangedDocumentsSince(storage, FEED_PAGE, checkpoints[collection]);
          documents[collection].push(...(page.documents as unknown as StoredDocument[]));
          checkpoints[collection] = page.checkpoint as FeedCheckpoint;
          total += page.documents.length;
          if (total > maxDocuments) return null;
          if (page.documents.length < FEED_PAGE) break;
        }
      }
      return { documents, checkpoints };
    },
    startingNow() {
      const checkpoint = { id: '', lwt: now() };
      return Object.fromEntries(collections.map((collection) => [collection, checkpoint])) as Record<
        C,
        FeedCheckpoint
      >;
    },
    async commit(checkpoints) {
      if (!isClosing(db)) await db.upsertLocal(checkpointDocument, checkpoints);
    },
  };
}

/** The document's own fields, without RxDB's bookkeeping (what `toJSON()` of a document gives). */
export function withoutStorageFields(document: StoredDocument): Record<string, unknown> {
  const { _deleted, _meta, _rev, _attachments, ...fields } = document;
  return fields;
}
