import { IDBCursor as FakeCursor, IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import {
  createRxDatabase,
  defaultConflictHandler,
  getChangedDocumentsSinceQuery,
  type MangoQuery,
  normalizeMangoQuery,
  prepareQuery,
  type RxCollection,
  type RxDatabase,
  type RxStorageDefaultCheckpoint,
} from 'rxdb';
import { replicateRxCollection } from 'rxdb/plugins/replication';
import { getRxStorageDexie } from 'rxdb/plugins/storage-dexie';
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import { Subject } from 'rxjs';
import { afterEach, describe, expect, it } from 'vitest';
import { pulledStateKeepsLocal } from './conflicts';
import {
  assumedMasterKey,
  changedIdsSince,
  checkpointKey,
  comparingPulledStatesWithAssumed,
  type IndexEntry,
  idsSharingIndexedValue,
  indexEntriesAfter,
  isReplicationActive,
  replicationMeta,
  reversedIndexPlan,
  setPushedRevision,
  upstreamSettled,
  withIndexedChangeFeed,
  withPagedIndexQueries,
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
          for (const row of rows) setPushedRevision(row, 42);
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

  it("reads the Dexie storage's changes from its [_meta.lwt+id] index exactly as RxDB's query does", async () => {
    db = await createRxDatabase({
      name: `internals-feed-${Math.random().toString(36).slice(2)}`,
      storage: withIndexedChangeFeed(getRxStorageDexie({ indexedDB: new IDBFactory(), IDBKeyRange })),
      multiInstance: false,
    });
    await db.addCollections({ notes: { schema } });
    const collection = db.notes as RxCollection<Note>;
    const instance = collection.storageInstance;
    expect(instance.getChangedDocumentsSince, 'the Dexie instance got the indexed feed').toBeDefined();
    // One bulk write shares one lwt (ties broken by id), later writes move documents to the end, a deletion stays.
    await collection.bulkInsert(['n3', 'n1', 'n5', 'n2', 'n4'].map((id) => ({ id, text: id, serverRev: 0 })));
    await collection
      .findOne('n1')
      .exec()
      .then((doc) => doc!.patch({ text: 'edited' }));
    await collection
      .findOne('n2')
      .exec()
      .then((doc) => doc!.remove());
    await collection.insert({ id: 'n0', text: 'late', serverRev: 0 });

    const byQuery = async (limit: number, checkpoint?: RxStorageDefaultCheckpoint) => {
      const query = getChangedDocumentsSinceQuery(instance, limit, checkpoint);
      const { documents } = await instance.query(prepareQuery(instance.schema, query));
      const last = documents.at(-1);
      return last ? { id: last.id, lwt: last._meta.lwt } : (checkpoint ?? { id: '', lwt: 0 });
    };
    const walk = async (limit: number) => {
      const pages: { ids: string[]; deleted: boolean[] }[] = [];
      let checkpoint: RxStorageDefaultCheckpoint | undefined;
      for (;;) {
        const page = await instance.getChangedDocumentsSince!(limit, checkpoint);
        expect(page.checkpoint).toEqual(await byQuery(limit, checkpoint));
        if (page.documents.length === 0) break;
        pages.push({
          ids: page.documents.map((doc) => doc.id),
          deleted: page.documents.map((doc) => doc._deleted),
        });
        checkpoint = page.checkpoint as RxStorageDefaultCheckpoint;
      }
      return pages;
    };
    expect(await walk(2)).toEqual([
      { ids: ['n3', 'n4'], deleted: [false, false] },
      { ids: ['n5', 'n1'], deleted: [false, false] },
      { ids: ['n2', 'n0'], deleted: [true, false] },
    ]);
    expect((await walk(10)).flatMap((page) => page.ids)).toEqual(['n3', 'n4', 'n5', 'n1', 'n2', 'n0']);

    // The key-only walk of the same index (the outbox's count) gives the same ids and checkpoints.
    const idPages: string[][] = [];
    let checkpoint: RxStorageDefaultCheckpoint | undefined;
    for (;;) {
      const page = await changedIdsSince(collection as unknown as RxCollection, 2, checkpoint);
      const feed = await instance.getChangedDocumentsSince!(2, checkpoint);
      expect(page?.checkpoint).toEqual(feed.checkpoint);
      if (!page?.ids.length) break;
      idPages.push(page.ids);
      checkpoint = page.checkpoint;
    }
    expect(idPages).toEqual([
      ['n3', 'n4'],
      ['n5', 'n1'],
      ['n2', 'n0'],
    ]);
  });

  /** A Dexie-stored collection with an index on `text`: a–h, of which g is deleted. */
  async function indexedNotes(): Promise<RxCollection<Note>> {
    db = await createRxDatabase({
      name: `internals-${Math.random().toString(36).slice(2)}`,
      storage: getRxStorageDexie({ indexedDB: new IDBFactory(), IDBKeyRange }),
      multiInstance: false,
    });
    await db.addCollections({
      notes: {
        schema: {
          ...schema,
          properties: { ...schema.properties, text: { type: 'string', maxLength: 20 } },
          indexes: ['text'],
        },
      },
    });
    const collection = db.notes as RxCollection<Note>;
    await collection.bulkInsert(
      [
        ['a', 'same'],
        ['b', 'once'],
        ['c', 'same'],
        ['d', ''],
        ['e', ''],
        ['f', 'gone'],
        ['g', 'gone'],
        ['h', 'same'],
      ].map(([id, text]) => ({ id: id!, text: text!, serverRev: 0 })),
    );
    await (await collection.findOne('g').exec())!.remove();
    return collection;
  }

  it("lists the live documents sharing a value from the Dexie storage's [_deleted+field+id] index keys", async () => {
    const collection = await indexedNotes();
    // Empty values and deleted documents form no group; 'gone' has one live document left.
    expect(await idsSharingIndexedValue(collection, 'text')).toEqual([['a', 'c', 'h']]);
    // No such index, or a storage without index keys: the caller reads documents instead.
    expect(await idsSharingIndexedValue(collection, 'serverRev')).toBeUndefined();
    expect(await idsSharingIndexedValue(await notes(), 'text')).toBeUndefined();
  });

  it('lists every stored document with its deletion and indexed value, page by page in index order', async () => {
    const collection = await indexedNotes();
    const entries: IndexEntry[] = [];
    for (let page = await indexEntriesAfter(collection, 'text', null, 3); page?.length; ) {
      entries.push(...page);
      page = await indexEntriesAfter(collection, 'text', page.at(-1)!, 3);
    }
    const live = (id: string, value: string) => ({ id, deleted: false, value });
    expect(entries).toEqual([
      live('d', ''),
      live('e', ''),
      live('f', 'gone'),
      live('b', 'once'),
      live('a', 'same'),
      live('c', 'same'),
      live('h', 'same'),
      { id: 'g', deleted: true, value: 'gone' },
    ]);
    expect(await indexEntriesAfter(collection, 'serverRev', null, 3)).toBeUndefined();
    expect(await indexEntriesAfter(await notes(), 'text', null, 3)).toBeUndefined();
  });

  it('a pulled state is compared with the local document knowing the assumed master state RxDB read for it', async () => {
    const collection = await notes();
    const seen: { pulled: string; assumedRev: number | undefined; keptLocal: boolean }[] = [];
    // The replication's own comparison (conflicts.ts), watched.
    collection.conflictHandler = comparingPulledStatesWithAssumed<Note>(
      { isEqual: (a, b) => a.text === b.text, resolve: defaultConflictHandler.resolve },
      (pulled, local, assumed) => {
        const keptLocal = pulledStateKeepsLocal(pulled, local, assumed);
        seen.push({ pulled: pulled.text, assumedRev: assumed?.serverRev, keptLocal });
        return keptLocal;
      },
    );
    const pages = [
      { documents: [{ id: 'n1', text: 'first', serverRev: 5, _deleted: false }], checkpoint: { seq: 5 } },
      // A state the server numbered after the local document's own revision (5) but before the revision
      // this device's push recorded in its assumed master state (8): older than what the device has.
      { documents: [{ id: 'n1', text: 'older', serverRev: 6, _deleted: false }], checkpoint: { seq: 6 } },
      // The revision the push recorded, with data the server changed: the server's state of that revision.
      { documents: [{ id: 'n1', text: 'as stored', serverRev: 8, _deleted: false }], checkpoint: { seq: 8 } },
      { documents: [{ id: 'n1', text: 'newer', serverRev: 9, _deleted: false }], checkpoint: { seq: 9 } },
    ];
    let served = 1;
    const stream = new Subject<'RESYNC'>();
    const replication = replicateRxCollection<Note, { seq: number }>({
      replicationIdentifier: 'internals-pulled-vs-assumed',
      collection,
      live: true,
      autoStart: false,
      waitForLeadership: false,
      pull: {
        batchSize: 10,
        stream$: stream.asObservable(),
        handler: async (checkpoint) =>
          pages.slice(0, served).find((page) => page.checkpoint.seq > (checkpoint?.seq ?? 0)) ?? {
            documents: [],
            checkpoint: checkpoint ?? { seq: 0 },
          },
      },
      push: {
        handler: async (rows) => {
          for (const row of rows) setPushedRevision(row, 8);
          return [];
        },
      },
    });
    await replication.start();
    await replication.awaitInSync();
    await (await collection.findOne('n1').exec())!.incrementalPatch({ text: 'mine' });
    await replication.awaitInSync();
    await upstreamSettled(replication);
    const meta = replicationMeta(replication)!;
    const assumed = async () => (await meta.findDocumentsById([assumedMasterKey(meta, 'n1')], false))[0];
    expect((await assumed())?.docData).toMatchObject({ text: 'mine', serverRev: 8 });
    const local = async () => (await collection.findOne('n1').exec())?.toJSON();
    expect(await local()).toMatchObject({ text: 'mine', serverRev: 5 });

    served = 2;
    stream.next('RESYNC');
    await replication.awaitInSync();
    expect(await local()).toMatchObject({ text: 'mine', serverRev: 5 });
    expect((await assumed())?.docData).toMatchObject({ text: 'mine', serverRev: 8 });
    const [downCheckpoint] = await meta.findDocumentsById([checkpointKey(meta, 'down')], false);
    expect(downCheckpoint?.checkpointData).toEqual({ seq: 6 });

    served = 3;
    stream.next('RESYNC');
    await replication.awaitInSync();
    expect(await local()).toMatchObject({ text: 'as stored', serverRev: 8 });

    served = 4;
    stream.next('RESYNC');
    await replication.awaitInSync();
    expect(await local()).toMatchObject({ text: 'newer', serverRev: 9 });
    expect(seen).toEqual([
      { pulled: 'older', assumedRev: 8, keptLocal: true },
      { pulled: 'as stored', assumedRev: 8, keptLocal: false },
      { pulled: 'newer', assumedRev: 8, keptLocal: false },
    ]);
    await replication.cancel();
  });

  it("reads a page of an index-ordered query with one request, with exactly the documents and order of RxDB's cursor", async () => {
    type Card = { id: string; status: string; rank: string };
    const cardSchema = {
      version: 0,
      primaryKey: 'id',
      type: 'object',
      properties: {
        id: { type: 'string', maxLength: 64 },
        status: { type: 'string', maxLength: 16 },
        rank: { type: 'string', maxLength: 16 },
      },
      required: ['id', 'status', 'rank'],
      indexes: [['status', 'rank'], 'rank'],
    } as const;
    const open = async (paged: boolean) => {
      const dexie = getRxStorageDexie({ indexedDB: new IDBFactory(), IDBKeyRange });
      const database = await createRxDatabase({
        name: `internals-paged-${Math.random().toString(36).slice(2)}`,
        storage: paged ? withPagedIndexQueries(dexie) : dexie,
        multiInstance: false,
      });
      await database.addCollections({ cards: { schema: cardSchema } });
      const cards = database.cards as RxCollection<Card>;
      await cards.bulkInsert(
        Array.from({ length: 40 }, (_, index) => ({
          id: `c${String(index).padStart(2, '0')}`,
          status: ['a', 'b', 'c'][index % 3]!,
          // Ties on rank: the index's id suffix orders them.
          rank: String.fromCharCode(122 - (index % 7)),
        })),
      );
      // Deleted documents stay in the index and must not be returned.
      for (const id of ['c03', 'c07'])
        await cards
          .findOne(id)
          .exec()
          .then((doc) => doc!.remove());
      return { database, cards };
    };
    const paged = await open(true);
    const cursor = await open(false);
    db = paged.database;
    const queries: MangoQuery<Card>[] = [
      { selector: {}, sort: [{ rank: 'asc' }, { id: 'asc' }], limit: 7 },
      {
        selector: { status: { $eq: 'b' } },
        sort: [{ status: 'asc' }, { rank: 'asc' }],
        limit: 5,
      },
      {
        selector: { status: { $eq: 'a' } },
        sort: [{ status: 'asc' }, { rank: 'asc' }],
        limit: 4,
        skip: 3,
      },
      {
        selector: { status: { $eq: 'none' } },
        sort: [{ status: 'asc' }, { rank: 'asc' }],
        limit: 4,
      },
      // Not answered by the index alone: RxDB's own cursor query, through the wrapper.
      { selector: { id: { $regex: '1' } }, sort: [{ rank: 'asc' }], limit: 6 },
      // Descending on every field: the same index read backwards.
      { selector: {}, sort: [{ rank: 'desc' }, { id: 'desc' }], limit: 7 },
      {
        selector: { status: { $eq: 'a' } },
        sort: [{ status: 'desc' }, { rank: 'desc' }, { id: 'desc' }],
        limit: 4,
        skip: 2,
      },
      // Mixed directions (RxDB adds the id ascending): RxDB's own query.
      { selector: {}, sort: [{ rank: 'desc' }], limit: 5 },
    ];
    for (const query of queries) {
      const ids = async (cards: RxCollection<Card>) => (await cards.find(query).exec()).map((doc) => doc.id);
      const expected = await ids(cursor.cards);
      expect(await ids(paged.cards), JSON.stringify(query)).toEqual(expected);
    }
    // The first three are read by the paged path (the index selects and orders them).
    const schemaOfCards = paged.cards.storageInstance.schema;
    const plans = queries.map(
      (query) =>
        prepareQuery(schemaOfCards, {
          ...normalizeMangoQuery(schemaOfCards, query as never),
          selector: { ...query.selector, _deleted: { $eq: false } },
        } as never).queryPlan,
    );
    expect(plans.map((plan) => plan.selectorSatisfiedByIndex && plan.sortSatisfiedByIndex)).toEqual([
      true,
      true,
      true,
      true,
      false,
      false,
      false,
      false,
    ]);
    // The descending ones are read backwards from an index; the mixed one is not.
    expect(
      queries.map(
        (query) =>
          reversedIndexPlan(schemaOfCards, {
            ...normalizeMangoQuery(schemaOfCards, query as never),
            selector: { ...query.selector, _deleted: { $eq: false } },
          } as never) !== null,
      ),
    ).toEqual([false, false, false, false, false, true, true, false]);
    // One page of a descending sort steps a cursor over that page only, not over every document.
    const cursorSteps = async (cards: RxCollection<Card>) => {
      const steps = { count: 0 };
      const advance = FakeCursor.prototype.continue;
      FakeCursor.prototype.continue = function (
        this: InstanceType<typeof FakeCursor>,
        ...args: Parameters<typeof advance>
      ) {
        steps.count += 1;
        return advance.apply(this, args);
      };
      try {
        await cards.find({ selector: {}, sort: [{ rank: 'desc' }, { id: 'desc' }], limit: 5 }).exec();
      } finally {
        FakeCursor.prototype.continue = advance;
      }
      return steps.count;
    };
    expect(await cursorSteps(paged.cards)).toBeLessThanOrEqual(6);
    expect(await cursorSteps(cursor.cards)).toBeGreaterThanOrEqual(30);
    await cursor.database.remove();
  });
});
