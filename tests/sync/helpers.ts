import { AsyncLocalStorage } from 'node:async_hooks';
import {
  type BackendKind,
  createToken,
  type PreparedBackend,
  prepareBackend,
  type ServerBackend,
  type ServerProcess,
  startServerProcess,
} from '@server/testing/server-process';
import {
  type Contact,
  clientWritableCollections,
  derivedFieldNames,
  meSchema,
  type PullResponse,
  type PushRequest,
  type PushResponse,
} from '@shared/schemas';
import type { CrmDatabase } from '@shared/sync';
import { syncedDocumentsEqual } from '@shared/sync/replication/merge';
import { assumedMasterStates, replicationsOf } from '@shared/sync/replication/rxdb-internals';
import { type StartSyncOptions, type SyncHandle, startSync } from '@shared/sync/replication/start-sync';
import { createTestDatabase } from '@testing/database';
import { StorageOperationLog } from '@testing/storage-operations';
import { IDBFactory } from 'fake-indexeddb';
import type { RxCollection } from 'rxdb';
import { filter, firstValueFrom, type Observable, timeout } from 'rxjs';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, afterEach, beforeAll } from 'vitest';

export { writeBypassingHooks } from '@testing/write-bypassing-hooks';

/** Server storages the scenarios run against: PGlite always, PostgreSQL when the test script provides one. */
export const backends: { name: string; kind: BackendKind }[] = [
  { name: 'PGlite', kind: 'pglite' },
  ...(process.env.TEST_DATABASE_URL ? [{ name: 'PostgreSQL', kind: 'postgres' as const }] : []),
];

/**
 * The real sync server (`server/cli.ts` as its own process, through the server's test harness) over a
 * fresh backend: a temporary PGlite directory, or a new database in the PostgreSQL of TEST_DATABASE_URL.
 * Restarts reuse the port, so clients keep their URL (and their replication checkpoints).
 */
export class TestServer {
  url = '';
  private process: ServerProcess | null = null;
  private prepared: PreparedBackend | null = null;
  private port = 0;

  constructor(private readonly kind: BackendKind) {}

  private get backend(): ServerBackend {
    if (!this.prepared) throw new Error('server backend not prepared: call start() first');
    return this.prepared.backend;
  }

  async start(): Promise<void> {
    this.prepared ??= await prepareBackend(this.kind);
    // Generous: a cold PGlite start on a busy 2-core machine can take tens of seconds.
    this.process = await startServerProcess(this.backend, { port: this.port, startTimeoutMs: 120_000 });
    this.url = this.process.url;
    this.port = Number(new URL(this.url).port);
  }

  /** SIGKILL: the process gets no chance to clean up (power cut). */
  async kill(): Promise<void> {
    await this.process?.kill();
    this.process = null;
  }

  async stop(): Promise<void> {
    await this.process?.stop();
    this.process = null;
    await this.prepared?.cleanup();
    this.prepared = null;
  }

  /** A token for a new tenant, created the way the CLI does (without a process per token). */
  token(prefix: string): Promise<string> {
    return createToken(this.backend, uniqueTenant(prefix), `u-${prefix}`);
  }
}

/** Inside a `describe`: a real sync server over `kind`, started before its tests and stopped after them. */
export function useTestServer(kind: BackendKind): TestServer {
  const server = new TestServer(kind);
  beforeAll(() => server.start(), 180_000);
  afterAll(() => server.stop(), 180_000);
  return server;
}

/**
 * Inside a `describe`: `team(...names)` gives each test devices of a new tenant on `server`, closed after
 * the test (RxDB's open-source build allows 13 open collections per process). `devices` lists them, so a
 * test can add one it made itself; `token` is the last team's.
 */
export function useTeams(server: TestServer, purpose: string) {
  const teams = {
    devices: [] as Device[],
    token: '',
    async team<Names extends string[]>(...names: Names): Promise<{ [K in keyof Names]: Device }> {
      teams.token = await server.token(purpose);
      teams.devices = await Promise.all(names.map((name) => Device.create(name, server, teams.token)));
      return teams.devices as { [K in keyof Names]: Device };
    },
  };
  afterEach(async () => {
    await Promise.all(teams.devices.map((device) => device.close()));
    teams.devices = [];
  });
  return teams;
}

/** Everything the server holds for a tenant, live documents only, by collection and id. */
export async function serverSnapshot(url: string, token: string): Promise<Snapshot> {
  const snapshot: Snapshot = {};
  for (const collection of clientWritableCollections) {
    const documents: Record<string, Record<string, unknown>> = {};
    let seq = 0;
    for (;;) {
      const response = await fetch(`${url}/api/sync/${collection}/pull?seq=${seq}&limit=5000`, {
        headers: { authorization: `Bearer ${token}` },
      });
      if (!response.ok) throw new Error(`pull ${collection}: ${response.status} ${await response.text()}`);
      const page = (await response.json()) as PullResponse;
      for (const document of page.documents) {
        const { _deleted, ...data } = document as Record<string, unknown>;
        if (_deleted) delete documents[document.id];
        else documents[document.id] = data;
      }
      if (page.documents.length === 0) break;
      seq = page.checkpoint.seq;
    }
    snapshot[collection] = documents;
  }
  return snapshot;
}

export type Snapshot = Record<string, Record<string, Record<string, unknown>>>;

/** A stored document without the fields each device derives for its own indexes (never on the server). */
function withoutLocalFields(document: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(document).filter(([key]) => !derivedFieldNames.has(key)));
}

/**
 * The live documents of a device, as plain data (no RxDB bookkeeping, no device-local derived fields), each
 * with the server revision the device holds of it as `serverRev`: its assumed master state's, where the
 * device keeps the revision of its own accepted writes (docs/replication.md); missing when it has none. The
 * document's own `serverRev` is left out: it stays what the last pull or merge wrote. Taken while the
 * device syncs (the running replications hold the assumed master states).
 */
export async function deviceSnapshot(db: CrmDatabase): Promise<Snapshot> {
  const snapshot: Snapshot = {};
  for (const collection of clientWritableCollections) {
    const replications = replicationsOf(db.collections[collection] as unknown as RxCollection);
    if (replications.length !== 1)
      throw new Error(
        `${collection}: ${replications.length} replications running; snapshot a syncing device`,
      );
    const documents = await db.collections[collection].find().exec();
    const assumed = await assumedMasterStates(
      replications[0]!,
      documents.map((document) => document.primary),
    );
    snapshot[collection] = Object.fromEntries(
      documents.map((document) => {
        const { serverRev: _ownRevision, ...data } = withoutLocalFields(document.toJSON());
        return [document.primary, { ...data, serverRev: assumed.get(document.primary)?.serverRev }];
      }),
    );
  }
  return snapshot;
}

/**
 * I6 differences between two snapshots, readable in a failed assertion: documents must match in every
 * synced field and in `serverRev` (on a device, its assumed master state's: see deviceSnapshot).
 */
export function snapshotDifferences(a: Snapshot, b: Snapshot, labelA: string, labelB: string): string[] {
  const differences: string[] = [];
  for (const collection of clientWritableCollections) {
    const docsA = a[collection] ?? {};
    const docsB = b[collection] ?? {};
    for (const id of new Set([...Object.keys(docsA), ...Object.keys(docsB)])) {
      const [docA, docB] = [docsA[id], docsB[id]];
      if (!docA || !docB || docA.serverRev !== docB.serverRev || !syncedDocumentsEqual(docA, docB)) {
        differences.push(
          `${collection}/${id}: ${labelA}=${JSON.stringify(docsA[id])} ${labelB}=${JSON.stringify(docsB[id])}`,
        );
      }
    }
  }
  return differences;
}

/** Names the work storage calls belong to: `storageCallScope.run('reconcile', …)` (see StorageOperationLog). */
export const storageCallScope = new AsyncLocalStorage<string>();

/** A simulated device: its own IndexedDB (fresh fake-indexeddb factory), database and sync handle. */
export class Device {
  handle: SyncHandle | null = null;
  /** When true every request fails like a dropped network. */
  networkDown = false;
  /** Extra delay before push requests (to catch a push in flight). */
  pushDelayMs = 0;
  /** When > 0, that many push requests fail before pushes go through again. */
  failingPushes = 0;
  /**
   * While set, pull answers are held until it resolves (the request was answered by the server already):
   * a slow pull, to make a pull page reach the client after a push of the same record settled.
   */
  pullGate: Promise<void> | null = null;
  /** While set, push requests wait for it before they are sent. */
  pushGate: Promise<void> | null = null;

  /** Every storage call of this device's database and replications (operation-budget tests). */
  readonly storageLog = new StorageOperationLog(() => storageCallScope.getStore());
  /** Every push and pull request, with the ids of the documents it carried (pushed, or pulled back). */
  readonly requests: { kind: 'push' | 'pull'; collection: string; ids: string[] }[] = [];

  /** The device's IndexedDB: kept across close/open, like a laptop's disk across a restart. */
  private readonly indexedDB = new IDBFactory();
  private readonly databaseName: string;
  private database: CrmDatabase | null = null;

  private constructor(
    readonly name: string,
    private readonly server: { url: string },
    private readonly token: string,
    readonly userId: string,
  ) {
    this.databaseName = `device-${name}-${uuidv7()}`;
  }

  static async create(
    name: string,
    server: { url: string },
    token: string,
    { userId, openNow = true }: { userId?: string; openNow?: boolean } = {},
  ): Promise<Device> {
    // As the app does (renderer currentUser.ts): writes are attributed to the token's member, the author the
    // server records anyway; a token the server refuses leaves the device's name.
    const me = await fetch(`${server.url}/api/me`, { headers: { authorization: `Bearer ${token}` } });
    const member = me.ok ? meSchema.parse(await me.json()).userId : name;
    const device = new Device(name, server, token, userId ?? member);
    if (openNow) await device.open();
    return device;
  }

  get db(): CrmDatabase {
    if (!this.database) throw new Error(`device ${this.name} is closed`);
    return this.database;
  }

  get isOpen(): boolean {
    return this.database !== null;
  }

  /** Opens (or reopens) the device's database from its IndexedDB. */
  async open(): Promise<void> {
    if (this.database) return;
    this.database = await createTestDatabase({
      name: this.databaseName,
      indexedDB: this.indexedDB,
      wrapStorage: (storage) => this.storageLog.wrap(storage),
      userId: this.userId,
      strict: false,
    });
  }

  /**
   * `collection/id` of every document state the server acknowledged (a 200 push answer that lists it
   * neither as conflict nor as rejected), recorded from the wire, independently of the client's own books.
   */
  readonly acknowledged = new Set<string>();

  readonly fetch: typeof fetch = async (input, init) => {
    if (this.networkDown) throw new TypeError('fetch failed (simulated network outage)');
    const url = String(input instanceof Request ? input.url : input);
    if (url.includes('/pull?')) {
      const response = await fetch(input, init);
      if (this.pullGate) await this.pullGate;
      const collection = url.split('/').at(-2) ?? '';
      const page = response.ok ? ((await response.clone().json()) as PullResponse) : { documents: [] };
      this.requests.push({ kind: 'pull', collection, ids: page.documents.map((document) => document.id) });
      return response;
    }
    if (!url.endsWith('/push')) return fetch(input, init);
    if (this.failingPushes > 0) {
      this.failingPushes -= 1;
      throw new TypeError('fetch failed (simulated push failure)');
    }
    if (this.pushDelayMs > 0) await new Promise((wait) => setTimeout(wait, this.pushDelayMs));
    if (this.pushGate) await this.pushGate;
    if (this.networkDown) throw new TypeError('fetch failed (simulated network outage)');
    const response = await fetch(input, init);
    const collection = url.split('/').at(-2) ?? '';
    const request = JSON.parse(String(init?.body)) as PushRequest;
    this.requests.push({ kind: 'push', collection, ids: request.rows.map((row) => row.newDocumentState.id) });
    if (response.ok) {
      const answer = (await response.clone().json()) as PushResponse;
      const refused = new Set([
        ...answer.conflicts.map((doc) => doc.id),
        ...answer.rejected.map((doc) => doc.id),
      ]);
      for (const row of request.rows) {
        if (!refused.has(row.newDocumentState.id))
          this.acknowledged.add(`${collection}/${row.newDocumentState.id}`);
      }
    }
    return response;
  };

  online(extra: Partial<StartSyncOptions> = {}): SyncHandle {
    if (!this.handle) {
      this.handle = startSync(this.db, {
        url: this.server.url,
        token: this.token,
        fetch: this.fetch,
        retryBaseMs: 100,
        retryMaxMs: 800,
        ...extra,
      });
    }
    return this.handle;
  }

  async offline(): Promise<void> {
    const handle = this.handle;
    this.handle = null;
    await handle?.stop();
  }

  /** Stops syncing and closes the database (RxDB's open-source build allows only 13 open collections). */
  async close(): Promise<void> {
    await this.offline();
    await this.database?.close();
    this.database = null;
  }
}

/**
 * RxDB's open-source build allows 13 open collections per process (six per device), so at most two
 * devices are open at once. Using a closed device reopens it from its IndexedDB and closes the least
 * recently used other one: a laptop lid closing, which also takes that device offline, and every reopen
 * exercises resuming from the stored checkpoints and assumed master states.
 */
export class OpenDevices {
  private readonly recent: number[] = [];
  constructor(private readonly devices: Device[]) {}

  async use(index: number): Promise<void> {
    const device = this.devices[index]!;
    const position = this.recent.indexOf(index);
    if (position >= 0) this.recent.splice(position, 1);
    if (!device.isOpen && this.recent.length >= 2) {
      const evicted = this.recent.shift()!;
      await this.devices[evicted]!.close();
    }
    this.recent.push(index);
    await device.open();
    device.online();
  }
}

/** Lets every online device sync until all of them and the server agree (or fails with the differences). */
export async function syncAll(devices: Device[], server: { url: string }, token: string, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  let differences: string[] = [];
  while (Date.now() < deadline) {
    for (const device of devices) await device.online().awaitInSync(Math.max(1000, deadline - Date.now()));
    const serverState = await serverSnapshot(server.url, token);
    differences = [];
    for (const device of devices) {
      differences.push(
        ...snapshotDifferences(serverState, await deviceSnapshot(device.db), 'server', device.name),
      );
    }
    if (differences.length === 0) return;
    await new Promise((wait) => setTimeout(wait, 50));
  }
  throw new Error(`devices did not converge:\n${differences.slice(0, 20).join('\n')}`);
}

export function uniqueTenant(prefix: string): string {
  return `${prefix}-${uuidv7()}`;
}

/** The value an observable holds right now (BehaviorSubject-backed streams emit it at once). */
export function current<T>(observable: Observable<T>): Promise<T> {
  return firstValueFrom(observable);
}

/** A contact insert with only the fields a caller must give; the database layer fills the rest (docs/documents.md). */
export function insertContact(
  db: CrmDatabase,
  data: Partial<Contact> & Pick<Contact, 'id' | 'firstName' | 'status'>,
) {
  return db.contacts.insert(data as Contact);
}

/** The first value of `observable` that satisfies `predicate` (fails after `ms`). */
export function waitFor<T>(
  observable: Observable<T>,
  predicate: (value: T) => boolean,
  ms = 20_000,
): Promise<T> {
  return firstValueFrom(observable.pipe(filter(predicate), timeout(ms)));
}
