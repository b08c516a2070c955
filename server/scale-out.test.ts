import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient, contactDoc, openStream } from './testing/fixtures';
import {
  backendKinds,
  createToken,
  type PreparedBackend,
  prepareBackend,
  type ServerProcess,
  startServerProcess,
} from './testing/server-process';

const postgres = backendKinds.find((backend) => backend.kind === 'postgres')!;

// PGlite is one process by design (a second process on its DATA_DIR is refused: see cli.test.ts).
describe.skipIf(!postgres.available)(`two server processes over one database [${postgres.label}]`, () => {
  let prepared: PreparedBackend;
  let servers: ServerProcess[] = [];
  let token: string;
  let admin: pg.Client;

  beforeAll(async () => {
    prepared = await prepareBackend('postgres');
    // Started together on an empty database: the migration advisory lock must keep them from racing.
    servers = await Promise.all([startServerProcess(prepared.backend), startServerProcess(prepared.backend)]);
    token = await createToken(prepared.backend, 'scale', 'rep');
    admin = new pg.Client({
      connectionString: prepared.backend.kind === 'postgres' ? prepared.backend.databaseUrl : '',
    });
    await admin.connect();
  }, 90_000);

  afterAll(async () => {
    await admin?.end();
    await Promise.all(servers.map((server) => server.stop()));
    await prepared?.cleanup();
  });

  it('migrated the database exactly once', async () => {
    const { rows } = await admin.query('SELECT version FROM schema_migrations ORDER BY version');
    expect(rows).toEqual([{ version: 1 }, { version: 2 }]);
  });

  it('delivers a write through one process to a stream of the other', async () => {
    const [a, b] = servers;
    const stream = openStream(b!.url, token);
    await stream.opened;
    try {
      await apiClient(a!.url, token).push('contacts', [{ newDocumentState: contactDoc('via-a') }]);
      const doc = (await apiClient(b!.url, token).pullAll('contacts')).documents.find(
        (d) => d.id === 'via-a',
      );
      expect(doc).toBeDefined();
      await stream.waitFor((event) => event.collection === 'contacts' && event.seq === doc?.serverRev);
    } finally {
      stream.close();
    }
  });

  it('re-listens after losing its LISTEN connection and makes streams resynchronize', async () => {
    const [a, b] = servers;
    const stream = openStream(b!.url, token);
    await stream.opened;
    let reopened = 0;
    stream.source.addEventListener('open', () => reopened++);
    try {
      const { rowCount } = await admin.query(
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
         WHERE datname = current_database() AND query LIKE 'LISTEN%' AND pid <> pg_backend_pid()`,
      );
      expect(rowCount).toBe(2);
      // The server ends its streams so clients reconnect (a RESYNC for them) once it listens again.
      await expect.poll(() => reopened, { timeout: 15_000 }).toBeGreaterThan(0);
      await apiClient(a!.url, token).push('contacts', [{ newDocumentState: contactDoc('after-relisten') }]);
      const doc = (await apiClient(b!.url, token).pullAll('contacts')).documents.find(
        (d) => d.id === 'after-relisten',
      );
      await stream.waitFor((event) => event.seq === doc?.serverRev, 15_000);
    } finally {
      stream.close();
    }
  });

  it('answers /healthz with 503 while the database refuses connections, 200 again after', async () => {
    const server = servers[0]!;
    const { rows } = await admin.query('SELECT current_database() AS name, pg_backend_pid() AS pid');
    const database = rows[0].name as string;
    // A database cannot lock itself out: act from the maintenance database.
    const maintenance = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
    await maintenance.connect();
    await maintenance.query(`ALTER DATABASE ${pg.escapeIdentifier(database)} ALLOW_CONNECTIONS false`);
    try {
      // Cut the servers' connections (not this test's own).
      await maintenance.query(
        'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> $2',
        [database, rows[0].pid],
      );
      await expect
        .poll(async () => (await fetch(new URL('/healthz', server.url))).status, { timeout: 15_000 })
        .toBe(503);
    } finally {
      await maintenance.query(`ALTER DATABASE ${pg.escapeIdentifier(database)} ALLOW_CONNECTIONS true`);
      await maintenance.end();
    }
    await expect
      .poll(async () => (await fetch(new URL('/healthz', server.url))).status, { timeout: 15_000 })
      .toBe(200);
  });
});
