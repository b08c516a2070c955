/**
 * The outbox tracker against a real RxDB replication whose push handler the test answers by hand (no
 * server): pending ids follow what the "server" has acknowledged, across a stop and a restart.
 */
import type { Department } from '@shared/schemas';
import { createTestDatabase } from '@testing/database';
import { writeBypassingHooks } from '@testing/write-bypassing-hooks';
import { IDBFactory } from 'fake-indexeddb';
import type { RxCollection } from 'rxdb';
import { type RxReplicationState, replicateRxCollection } from 'rxdb/plugins/replication';
import { filter, firstValueFrom } from 'rxjs';
import { afterEach, describe, expect, it } from 'vitest';
import type { CrmDatabase } from '../database';
import { OutboxTracker, pendingIds$ } from './outbox';

type Push = { ids: string[]; answer: () => void };

/** A device whose department pushes wait until the test answers them. */
function device(indexedDB = new IDBFactory(), name = `outbox-${Math.random().toString(36).slice(2)}`) {
  const pushes: Push[] = [];
  let waiting: ((push: Push) => void) | null = null;
  let db: CrmDatabase;
  let replication: RxReplicationState<unknown, unknown>;
  let tracker: OutboxTracker;
  const errors: Error[] = [];
  return {
    indexedDB,
    name,
    errors,
    get db() {
      return db;
    },
    get tracker() {
      return tracker;
    },
    /** `beforeStart` sees the database and tracker before the replication and the tracker's count start. */
    async open(beforeStart?: (db: CrmDatabase, tracker: OutboxTracker) => void) {
      db = await createTestDatabase({ indexedDB, name });
      replication = replicateRxCollection<unknown, unknown>({
        replicationIdentifier: 'outbox-test',
        collection: db.departments as unknown as RxCollection,
        live: true,
        autoStart: false,
        waitForLeadership: false,
        toggleOnDocumentVisible: false,
        pull: { handler: async () => ({ documents: [], checkpoint: null }) },
        push: {
          handler: (rows) =>
            new Promise((resolve) => {
              const push = {
                ids: rows.map((row) => String((row.newDocumentState as unknown as { id: string }).id)),
                answer: () => resolve([]),
              };
              if (waiting) waiting(push);
              else pushes.push(push);
            }),
        },
      });
      tracker = new OutboxTracker(db, db.departments as unknown as RxCollection, replication, (error) =>
        errors.push(error),
      );
      beforeStart?.(db, tracker);
      await replication.start();
      await tracker.start();
    },
    /** The next push the replication sends (it waits for `answer()`). */
    nextPush(): Promise<Push> {
      const queued = pushes.shift();
      if (queued) return Promise.resolve(queued);
      return new Promise((resolve) => {
        waiting = (push) => {
          waiting = null;
          resolve(push);
        };
      });
    },
    async stop() {
      tracker.stop();
      await replication.cancel();
    },
    async close() {
      await replication.cancel();
      await db.close();
    },
  };
}

const insertDepartment = (db: CrmDatabase, id: string) =>
  db.departments.insert({ id, name: `Dept ${id}` } as Department);
const pending = (db: CrmDatabase) => firstValueFrom(pendingIds$(db, 'departments'));
const pendingBecomes = (db: CrmDatabase, ids: string[]) =>
  firstValueFrom(
    pendingIds$(db, 'departments').pipe(
      filter((set) => set.size === ids.length && ids.every((id) => set.has(id))),
    ),
  );

let open: ReturnType<typeof device> | null = null;
afterEach(async () => {
  await open?.close();
  open = null;
});

describe('outbox tracker', () => {
  it('lists a local write until the server acknowledges its push, and only that state', async () => {
    open = device();
    await open.open();
    expect(await pending(open.db)).toEqual(new Set());
    await insertDepartment(open.db, 'd1');
    const push = await open.nextPush();
    expect(push.ids).toEqual(['d1']);
    await pendingBecomes(open.db, ['d1']);

    push.answer();
    await pendingBecomes(open.db, []);
    // An edit after the acknowledgement is pending again.
    await (await open.db.departments.findOne('d1').exec())?.patch({ name: 'Renamed' });
    await pendingBecomes(open.db, ['d1']);
    (await open.nextPush()).answer();
    await pendingBecomes(open.db, []);
    expect(open.errors).toEqual([]);
  });

  it('while stopped, every local write is pending; after a restart, only unacknowledged ones are', async () => {
    open = device();
    await open.open();
    await insertDepartment(open.db, 'acked');
    const push = await open.nextPush();
    await pendingBecomes(open.db, ['acked']);
    push.answer();
    await pendingBecomes(open.db, []);
    await open.stop();
    await insertDepartment(open.db, 'offline');
    await pendingBecomes(open.db, ['offline']);

    // Restart on the same IndexedDB: the tracker rebuilds the outbox from RxDB's replication meta data.
    const { indexedDB, name } = open;
    await open.close();
    open = device(indexedDB, name);
    const restarted = open;
    const started = restarted.open();
    const pushAfterRestart = await restarted.nextPush();
    await started;
    expect(pushAfterRestart.ids).toEqual(['offline']);
    expect(await pending(restarted.db)).toEqual(new Set(['offline']));
    pushAfterRestart.answer();
    await pendingBecomes(restarted.db, []);
    expect(restarted.errors).toEqual([]);
  });

  it('after a restart, a document rewritten since the last push with the state the server has is not pending', async () => {
    open = device();
    await open.open();
    await insertDepartment(open.db, 'same');
    (await open.nextPush()).answer();
    await pendingBecomes(open.db, []);
    await open.stop();
    // Written after the last push (so the start's count looks at it) with the acknowledged data, as a pulled
    // state whose meta write was lost is.
    const acknowledged = (await open.db.departments.findOne('same').exec())!.toJSON();
    await writeBypassingHooks(open.db, 'departments', { ...acknowledged });
    // Written after it: its push, unanswered, keeps RxDB's upstream checkpoint before both while the count runs.
    await insertDepartment(open.db, 'new');
    await pendingBecomes(open.db, ['same', 'new']); // while stopped, every local write counts as pending

    const { indexedDB, name } = open;
    await open.close();
    open = device(indexedDB, name);
    const restarted = open;
    const listed: string[][] = [];
    const started = restarted.open((db) => {
      pendingIds$(db, 'departments').subscribe((ids) => listed.push([...ids]));
    });
    const push = await restarted.nextPush();
    await started;
    expect(push.ids).toEqual(['new']);
    expect(listed.at(-1)).toEqual(['new']);
    expect(listed.flat()).not.toContain('same');
    push.answer();
    await pendingBecomes(restarted.db, []);
    expect(restarted.errors).toEqual([]);
  });

  it("a start's count shows the pending ids page by page and says it is counting until it ends", async () => {
    open = device();
    await open.open();
    await open.stop();
    const count = 2_500; // the count reads pages of 1,000
    await open.db.departments.bulkInsert(
      Array.from({ length: count }, (_, index) => ({ id: `d${index}`, name: `Dept ${index}` }) as Department),
    );
    const { indexedDB, name } = open;
    await open.close();
    open = device(indexedDB, name);
    const seen: { size: number; counting: boolean }[] = [];
    await open.open((db, tracker) => {
      expect(tracker.counting).toBe(true); // before the count started: not "nothing pending" yet
      pendingIds$(db, 'departments').subscribe((ids) =>
        seen.push({ size: ids.size, counting: tracker.counting }),
      );
    });
    expect(open.tracker.counting).toBe(false);
    // Found so far, while counting (the pushes are not answered, so nothing leaves the outbox meanwhile).
    expect(seen.filter((emission) => emission.counting).map((emission) => emission.size)).toEqual([
      0, 1_000, 2_000, 2_500,
    ]);
    expect(seen.at(-1)?.size).toBe(count);
    expect(open.errors).toEqual([]);
  });
});
