import { clientWritableCollections, type Department } from '@shared/schemas';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import type { RxCollection } from 'rxdb';
import { getRxStorageDexie } from 'rxdb/plugins/storage-dexie';
import { filter, firstValueFrom, timeout } from 'rxjs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type CrmDatabase, createCrmDatabase } from '../database';
import { replicationsOf } from './rxdb-internals';
import { startSync } from './start-sync';

/** While `held` is set, the outboxes' start-up counts wait for it before they read their first page of ids. */
const countGate = vi.hoisted(() => ({
  held: null as Promise<void> | null,
  arrivals: 0,
  onArrival: () => {},
}));
vi.mock('./rxdb-internals', async (importOriginal) => {
  const actual = await importOriginal<typeof import('./rxdb-internals')>();
  return {
    ...actual,
    changedIdsSince: async (...args: Parameters<typeof actual.changedIdsSince>) => {
      if (countGate.held) {
        countGate.arrivals += 1;
        countGate.onArrival();
        await countGate.held;
      }
      return actual.changedIdsSince(...args);
    },
  };
});

// A reconciler that never settles: every run "repairs" something by writing a new document.
const reconcileCalls = { count: 0 };
const neverSettlingReconcile = async (db: CrmDatabase) => {
  reconcileCalls.count += 1;
  await db.departments.insert({ id: `d-${reconcileCalls.count}`, name: 'Repair' } as Department);
  return { documentsWritten: 1 };
};

/** A server that accepts everything and never has news: enough to drive rounds without a process. */
const acceptingServer: typeof fetch = async (input) => {
  const url = String(input);
  if (url.includes('/api/sync/stream')) {
    const body = new ReadableStream({
      start(controller) {
        controller.enqueue(new TextEncoder().encode(': connected\n\n'));
      },
    });
    return new Response(body, { headers: { 'content-type': 'text/event-stream' } });
  }
  if (url.includes('/pull')) return Response.json({ documents: [], checkpoint: { seq: 0 } });
  return Response.json({ accepted: [], conflicts: [], rejected: [] });
};

describe('startSync', () => {
  let db: CrmDatabase | undefined;
  afterEach(async () => {
    await db?.close();
  });

  it('stops running reconcile after sync when it keeps rewriting documents, and says so', async () => {
    db = await createCrmDatabase({
      name: `loop-${Math.random().toString(36).slice(2)}`,
      storage: getRxStorageDexie({ indexedDB: new IDBFactory(), IDBKeyRange }) as never,
    });
    const handle = startSync(db, {
      url: 'http://sync.invalid',
      token: 't',
      fetch: acceptingServer,
      retryBaseMs: 50,
      reconcile: neverSettlingReconcile,
    });
    const status = await firstValueFrom(
      handle.status$.pipe(
        filter((candidate) => candidate.state === 'error'),
        timeout(20_000),
      ),
    );
    expect(status.lastError).toMatch(/Reconcile keeps rewriting/);
    const runs = reconcileCalls.count;
    expect(runs).toBe(5);
    // Later rounds succeed at the HTTP level, yet neither reconcile nor the error come back.
    await db.departments.insert({ id: 'after', name: 'Later write' } as Department);
    await handle.awaitInSync(5_000);
    expect(reconcileCalls.count).toBe(runs);
    expect((await firstValueFrom(handle.status$)).state).toBe('error');
    expect(() => startSync(db!, { url: 'http://sync.invalid', token: 't', fetch: acceptingServer })).toThrow(
      /already syncing/,
    );
    await handle.stop();
  });

  it('says syncing while an outbox is still counting, though nothing is pending and no replication runs', async () => {
    db = await createCrmDatabase({
      name: `counting-${Math.random().toString(36).slice(2)}`,
      storage: getRxStorageDexie({ indexedDB: new IDBFactory(), IDBKeyRange }) as never,
    });
    let release = () => {};
    countGate.held = new Promise((resolve) => {
      release = resolve;
    });
    const allCounting = new Promise<void>((resolve) => {
      countGate.onArrival = () => {
        if (countGate.arrivals === clientWritableCollections.length) resolve();
      };
    });
    const handle = startSync(db, { url: 'http://sync.invalid', token: 't', fetch: acceptingServer });
    await allCounting;
    // Every replication done with its first round, and the handle told so (it follows active$).
    const replications = Object.values(db.collections).flatMap((collection) =>
      replicationsOf(collection as unknown as RxCollection),
    );
    expect(replications).toHaveLength(clientWritableCollections.length + 1); // + teamMembers, pulled only
    await Promise.all(replications.map((replication) => replication.awaitInSync()));
    await Promise.all(
      replications.map((replication) =>
        firstValueFrom(replication.active$.pipe(filter((active) => !active))),
      ),
    );
    expect(await firstValueFrom(handle.status$)).toMatchObject({ state: 'syncing', pending: 0 });

    countGate.held = null;
    release();
    const status = await firstValueFrom(
      handle.status$.pipe(
        filter((candidate) => candidate.state !== 'syncing'),
        timeout(20_000),
      ),
    );
    expect(status).toMatchObject({ state: 'synced', pending: 0, lastError: null });
    await handle.stop();
  });
});
