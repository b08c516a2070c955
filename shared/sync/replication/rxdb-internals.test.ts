import { createRxDatabase, type RxCollection, type RxDatabase } from 'rxdb';
import { replicateRxCollection } from 'rxdb/plugins/replication';
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import { afterEach, describe, expect, it } from 'vitest';
import {
  assumedMasterKey,
  checkpointKey,
  isReplicationActive,
  recordAcceptedRevision,
  replicationMeta,
  upstreamSettled,
} from './rxdb-internals';

/*
 * Pins the RxDB internals the replication relies on (see rxdb-internals.ts) against a real replication
 * of RxDB's own memory storage: when an RxDB upgrade changes one of them, this fails before sync does.
 */
type Note = { id: string; text: string; serverRev: number };

const schema = {
  version: 0,
  primaryKey: 'id',
  type: 'object',
  properties: {
    id: { type: 'string', maxLength: 64 },
    text: { type: 'string' },
    serverRev: { type: 'number' },
  },
  required: ['id', 'text', 'serverRev'],
} as const;

describe('RxDB internals used by the replication', () => {
  let db: RxDatabase | undefined;
  afterEach(async () => {
    await db?.remove();
  });

  async function notes(): Promise<RxCollection<Note>> {
    db = await createRxDatabase({
      name: `internals-${Math.random().toString(36).slice(2)}`,
      storage: getRxStorageMemory(),
      multiInstance: false,
    });
    await db.addCollections({ notes: { schema } });
    return db.notes as RxCollection<Note>;
  }

  it('stores the revision set on a pushed row as its assumed master state, after the handler returns', async () => {
    const collection = await notes();
    const seenInHandler: { active: boolean; metaRevisionAfterSettle?: unknown }[] = [];
    const replication = replicateRxCollection<Note, { seq: number }>({
      replicationIdentifier: 'internals-push',
      collection,
      live: false,
      autoStart: false,
      waitForLeadership: false,
      push: {
        handler: async (rows) => {
          const seen: (typeof seenInHandler)[number] = { active: isReplicationActive(replication) };
          seenInHandler.push(seen);
          for (const row of rows) recordAcceptedRevision(row, 42);
          void upstreamSettled(replication).then(async () => {
            const meta = replicationMeta(replication)!;
            const [stored] = await meta.findDocumentsById([assumedMasterKey(meta, 'n1')], false);
            seen.metaRevisionAfterSettle = stored?.docData?.serverRev;
          });
          return [];
        },
      },
    });
    await collection.insert({ id: 'n1', text: 'hello', serverRev: 0 });
    await replication.start();
    await replication.awaitInitialReplication();
    await upstreamSettled(replication);

    expect(seenInHandler).toEqual([{ active: true, metaRevisionAfterSettle: 42 }]);
    expect(isReplicationActive(replication)).toBe(false);
    const meta = replicationMeta(replication)!;
    const [assumed] = await meta.findDocumentsById([assumedMasterKey(meta, 'n1')], false);
    expect(assumed).toMatchObject({ itemId: 'n1', isCheckpoint: '0', docData: { id: 'n1', serverRev: 42 } });
    const [upCheckpoint] = await meta.findDocumentsById([checkpointKey(meta, 'up')], false);
    expect(upCheckpoint?.checkpointData).toBeDefined();
    await replication.cancel();
  });
});
