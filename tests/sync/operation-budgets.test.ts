import type { Contact } from '@shared/schemas';
import { type CrmDatabase, reconcile } from '@shared/sync';
import { pendingIds$ } from '@shared/sync/replication/outbox';
import { recordRuleError, ruleErrors$ } from '@shared/sync/rules/rule-errors';
import { isReplicationMeta, type StorageOperationLog } from '@testing/storage-operations';
import { IDBObjectStore } from 'fake-indexeddb';
import { describe, expect, it, vi } from 'vitest';
import {
  backends,
  type Device,
  serverSnapshot,
  storageCallScope,
  syncAll,
  useTeams,
  useTestServer,
  waitFor,
} from './helpers';

/**
 * Operation budgets of replication (issue 9): deterministic counts of requests and storage calls against
 * a real server process, not timings (those live in bench/). Each budget is what makes sync fast at team
 * volume: own writes never come back, live changes need no round trip.
 */
describe.each(backends)('replication operation budgets over $name', ({ kind }) => {
  const server = useTestServer(kind);
  const teams = useTeams(server, 'budget');
  async function team(...names: string[]): Promise<{ devices: Device[]; token: string }> {
    return { devices: await teams.team(...names), token: teams.token };
  }

  const contacts = (prefix: string, count: number) =>
    Array.from(
      { length: count },
      (_, index) =>
        ({
          id: `${prefix}-${index}`,
          firstName: `First ${index}`,
          lastName: prefix,
          status: 'Prospect',
        }) as Contact,
    );

  it('pushing N new documents takes ⌈N / batch⌉ requests, none comes back, no local write or read by id, no per-batch re-reads', async () => {
    const {
      devices: [a],
    } = await team('a');
    // Ten batches: a per-batch cost stands out from the few reads a database makes once (reconcile's and
    // duplicate detection's checkpoints, read again when RxDB's document cache dropped them).
    const count = 500;
    const batch = 50;
    await a!.db.contacts.bulkInsert(contacts('bulk', count));
    // The start-up count reads the assumed master states of a page of ids at once; how many of them it
    // finds depends on how many pushes were accepted before that read. The pushes wait until both
    // counts (contacts and their audit entries) have listed everything, so the meta reads counted below
    // are the ones the push path makes.
    await waitFor(a!.db.activities.count().$, (entries) => entries >= count);
    let releasePushes = () => {};
    a!.pushGate = new Promise((resolve) => {
      releasePushes = resolve;
    });
    a!.storageLog.reset();
    const handle = a!.online({ pushBatchSize: batch });
    await waitFor(pendingIds$(a!.db, 'contacts'), (ids) => ids.size === count);
    await waitFor(pendingIds$(a!.db, 'activities'), (ids) => ids.size >= count);
    releasePushes();
    a!.pushGate = null;
    await handle.awaitInSync();

    const pushes = a!.requests.filter(
      (request) => request.kind === 'push' && request.collection === 'contacts',
    );
    expect(pushes.length).toBeLessThanOrEqual(Math.ceil(count / batch));
    expect(new Set(pushes.flatMap((push) => push.ids)).size).toBe(count);
    const pulledBack = a!.requests
      .filter((request) => request.kind === 'pull')
      .flatMap((pull) => pull.ids)
      .filter((id) => id.startsWith('bulk-'));
    expect(pulledBack, 'documents pulled back by the device that pushed them').toEqual([]);
    const log = a!.storageLog;
    // The server's revision of each accepted row goes to RxDB's assumed master state only: the pushed
    // documents are not written again (issue 9: recording it in them was half of a large push's time).
    for (const collection of ['contacts', 'activities']) {
      expect(log.total('bulkWrite', collection).documents, `${collection} written\n${log.describe()}`).toBe(
        0,
      );
    }

    // Per-batch bookkeeping (issue 9): the push path reads each pushed document from the change feed once
    // (RxDB's upstream walk; the outbox's start counts never-pushed documents from the feed's index keys)
    // and reconcile once, and never by id: the outbox takes the pushed states as the local ones and
    // follows the batches from the storage events, and no sync-issue read happens per batch.
    const feedReads = log.total('getChangedDocumentsSince', 'contacts').documents;
    expect(feedReads, `contacts read from the change feed\n${log.describe()}`).toBeLessThanOrEqual(2 * count);
    const byId = log.total('findDocumentsById', 'contacts').documents;
    expect(byId, `contacts read by id\n${log.describe()}`).toBe(0);
    const assumedStates = log.total('findDocumentsById', isReplicationMeta).documents;
    expect(assumedStates, `replication meta documents read\n${log.describe()}`).toBeLessThan(10);
    const localReads = log.total('findDocumentsById', isLocalDocuments).calls;
    expect(localReads, `local document reads\n${log.describe()}`).toBeLessThan(Math.ceil(count / batch));
  });

  it('an edit after an accepted push is based on the revision the push recorded: no conflict round', async () => {
    const {
      devices: [a],
      token,
    } = await team('a');
    await a!.db.contacts.bulkInsert(contacts('accepted', 200));
    await a!.online({ pushBatchSize: 50 }).awaitInSync();
    const log = a!.storageLog;

    // The local documents still carry the revision they were created with; the edits are pushed on the
    // assumed master states' revisions and each goes through in one push (a stale revision would come back
    // as a conflict, be merged and pushed a second time).
    const edited = contacts('accepted', 10).map((contact) => contact.id);
    expect((await a!.db.contacts.findOne(edited[0]!).exec())?.serverRev).toBe(0);
    const pushesBefore = a!.requests.length;
    log.reset();
    for (const id of edited) {
      await a!.db.contacts.findOne(id).patch({ company: 'Edited Co' } as Partial<Contact>);
    }
    await a!.handle!.awaitInSync();
    const pushedAgain = a!.requests
      .slice(pushesBefore)
      .filter((request) => request.kind === 'push' && request.collection === 'contacts')
      .flatMap((push) => push.ids);
    expect(pushedAgain.toSorted()).toEqual(edited.toSorted());
    expect(log.total('bulkWrite', 'contacts').documents, 'the edits themselves, nothing more').toBe(
      edited.length,
    );
    const onServer = (await serverSnapshot(server.url, token)).contacts ?? {};
    for (const id of edited) expect(onServer[id]).toMatchObject({ company: 'Edited Co' });
  });

  it('a live change reaches another device through the stream, without a pull request or a resync', async () => {
    const {
      devices: [a, b],
      token,
    } = await team('a', 'b');
    a!.online();
    b!.online();
    await syncAll([a!, b!], server, token);
    const pullsBefore = b!.requests.filter((request) => request.kind === 'pull').length;
    b!.storageLog.reset();

    await a!.db.contacts.insert(contacts('live', 1)[0]!);
    await waitFor(b!.db.contacts.findOne('live-0').$, (document) => document !== null);

    const pulls = b!.requests.filter((request) => request.kind === 'pull').slice(pullsBefore);
    expect(pulls, 'pull requests B made to receive one live change').toEqual([]);
    // B was idle: the event's documents go straight to RxDB's downstream, which reads the document's
    // assumed master state once per collection (the contact, then its audit entry). A resync would also
    // re-read the up and down checkpoints on the live path. The harness's own reads while it waits for the
    // audit entry (its device snapshots) are told apart by their call scope.
    await storageCallScope.run('settling', () => syncAll([a!, b!], server, token));
    const metaReads = [...b!.storageLog.operations]
      .filter(([key]) => isReplicationMeta(key) && key.endsWith('.findDocumentsById'))
      .map(
        ([key, operation]) =>
          [key, operation.calls - (b!.storageLog.operations.get(`settling/${key}`)?.calls ?? 0)] as const,
      );
    expect(metaReads.length, `replications B read the meta data of\n${b!.storageLog.describe()}`).toBe(2);
    for (const [key, calls] of metaReads) {
      expect(calls, `B's reads of ${key}\n${b!.storageLog.describe()}`).toBe(1);
    }
  });

  it("a device's own accepted pushes run no reconcile pass there, unless failed rule writes wait for one", async () => {
    const {
      devices: [a, b],
      token,
    } = await team('a', 'b');
    const passes = { a: 0, b: 0 };
    const counted = (device: 'a' | 'b') => (db: CrmDatabase) => {
      passes[device] += 1;
      return reconcile(db);
    };
    a!.online({ reconcile: counted('a') });
    b!.online({ reconcile: counted('b') });
    await syncAll([a!, b!], server, token);
    passes.a = 0;
    passes.b = 0;
    // Two pushes from A (the contact, then its audit entry): A wrote both through the rules; B received them.
    const [own, second] = contacts('own', 2);
    await a!.db.contacts.insert(own!);
    await waitFor(b!.db.contacts.findOne(own!.id).$, (document) => document !== null);
    await syncAll([a!, b!], server, token);
    expect(passes.a, "A's reconcile passes after its own accepted pushes").toBe(0);
    expect(passes.b, "B's reconcile passes after receiving them").toBeGreaterThan(0);

    // A failed linked write waits in the rule-error log for reconcile's retry: the next round runs it.
    await recordRuleError(a!.db, {
      rule: 'R1',
      trigger: { collection: 'contacts', id: own!.id },
      target: { collection: 'leads', id: `lead-${own!.id}` },
      message: 'test: a linked write that failed',
      retry: { triggerUpdatedAt: 0, patch: {} },
    });
    await waitFor(ruleErrors$(a!.db), (errors) => errors.length === 1);
    await a!.db.contacts.insert(second!);
    await syncAll([a!, b!], server, token);
    expect(passes.a, "A's reconcile passes with a failed rule write to retry").toBeGreaterThan(0);
  });

  it('a sync round that changed k documents makes reconcile read O(k) documents, not all of them; so does start-up', async () => {
    const {
      devices: [a, b],
      token,
    } = await team('a', 'b');
    // B's reconciles run in a call scope, so their reads are told apart from the replication's own.
    const scopedReconcile = (db: CrmDatabase) => storageCallScope.run('reconcile', () => reconcile(db));
    a!.online();
    b!.online({ reconcile: scopedReconcile });
    const pairs = 150; // contacts in Lead, each with its lead: 300 linked documents on every device
    await a!.db.contacts.bulkInsert(
      contacts('pair', pairs).map((contact) => ({ ...contact, status: 'Lead' }) as Contact),
    );
    await syncAll([a!, b!], server, token, 120_000);
    expect(await b!.db.leads.count().exec()).toBe(pairs);

    // B restarts (cold caches) while A edits: an edit of a contact in Lead also writes its lead (R5).
    await b!.close();
    const edited = 3;
    const changed = edited * 2;
    for (let index = 0; index < edited; index++) {
      await a!.db.contacts.findOne(`pair-${index}`).patch({ company: 'Changed Co' } as Partial<Contact>);
    }
    b!.storageLog.reset();
    await storageCallScope.run('start-up', () => b!.open());
    expect(
      linkedReads(b!.storageLog, 'start-up'),
      'documents B read to open its database',
    ).toBeLessThanOrEqual(changed);

    b!.online({ reconcile: scopedReconcile });
    await waitFor(
      b!.db.leads.find({ selector: { company: 'Changed Co' } }).$,
      (documents) => documents.length === edited,
    );
    await syncAll([a!, b!], server, token);
    const reads = linkedReads(b!.storageLog, 'reconcile');
    expect(reads, b!.storageLog.describe()).toBeGreaterThan(0);
    expect(reads, `documents B's reconciles read after a round that changed ${changed}`).toBeLessThanOrEqual(
      4 * changed,
    );
  });

  it("a fresh device's first pull reads no absent document by key", async () => {
    const {
      devices: [a, b],
    } = await team('a', 'b');
    const count = 600;
    await a!.db.contacts.bulkInsert(contacts('pulled', count));
    await a!.online().awaitInSync();
    await a!.offline();
    // Every device's fake IndexedDB shares this class; A is offline and idle, so the reads are B's. Counted:
    // the point reads that found nothing (reads of stored documents, e.g. the outbox's, are not the point).
    let absentReads = 0;
    const get = IDBObjectStore.prototype.get;
    const gets = vi.spyOn(IDBObjectStore.prototype, 'get').mockImplementation(function (
      this: InstanceType<typeof IDBObjectStore>,
      key: unknown,
    ) {
      const request = get.call(this, key);
      request.addEventListener('success', () => {
        if (request.result === undefined) absentReads += 1;
      });
      return request;
    });
    try {
      await b!.online().awaitInSync();
      expect(await b!.db.contacts.count().exec()).toBe(count);
      // B pulls the contacts and their audit entries. RxDB reads every pulled page by id four times (the
      // local states, the assumed master states, and the conflict check inside each of its two bulk writes),
      // and on a fresh device none of those keys is stored: Dexie made a get per key (about 4 × 1,200), a
      // bulk read now lists its range's stored keys first (shared/sync/absent-key-reads.ts).
      expect(absentReads, 'IndexedDB point reads of absent keys during the first pull').toBeLessThan(
        count / 10,
      );
    } finally {
      gets.mockRestore();
    }
  });
});

/** Documents read from the contacts and leads storage within a call scope (by id, by query, from the change feed). */
function linkedReads(log: StorageOperationLog, scope: string): number {
  const linked = (label: string) => label === `${scope}/contacts` || label === `${scope}/leads`;
  return (['findDocumentsById', 'query', 'getChangedDocumentsSince'] as const).reduce(
    (sum, method) => sum + log.total(method, linked).documents,
    0,
  );
}

/** RxDB's local documents (sync issues, rule errors, reconcile's checkpoint). */
const isLocalDocuments = (label: string) => label.startsWith('plugin-local-documents');
