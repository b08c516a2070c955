/**
 * Test seam, deliberately not exported from `shared/sync/index.ts`: production code never imports it.
 * Lets tests make the rules' writes to linked documents fail, to exercise graceful degradation.
 */
import type { CrmDatabase } from '@shared/sync';
import {
  type LinkedWrite,
  type LinkedWriteFault,
  setLinkedWriteFault,
} from '@shared/sync/rules/linked-writes';

export type { LinkedWrite, LinkedWriteFault };

/** Calls `intercept` as each linked write starts (it may throw to fail that write); null stops it. */
export function interceptLinkedWrites(db: CrmDatabase, intercept: LinkedWriteFault | null) {
  setLinkedWriteFault(db, intercept);
}

/** Every linked write for which `shouldFail` answers true throws; pass null to stop injecting. */
export function injectLinkedWriteFailures(
  db: CrmDatabase,
  shouldFail: ((write: LinkedWrite) => boolean) | null,
) {
  interceptLinkedWrites(
    db,
    shouldFail &&
      ((write) => {
        if (shouldFail(write))
          throw new Error(`Injected failure writing ${write.target.collection} ${write.target.id}`);
      }),
  );
}
