import net from 'node:net';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LISTEN_APPLICATION_NAME } from './db/postgres';
import { apiClient, contactDoc, openStream } from './testing/fixtures';
import {
  backendKinds,
  createToken,
  type PreparedBackend,
  prepareBackend,
  runCli,
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
         WHERE datname = current_database() AND application_name = $1`,
        [LISTEN_APPLICATION_NAME],
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

  it('refuses a token revoked elsewhere in both processes at once, and ends its open streams', async () => {
    const [a, b] = servers;
    const doomed = await createToken(prepared.backend, 'scale', 'leaver');
    // Both processes know (and cache) the token, and each has a stream of it open.
    for (const server of [a!, b!])
      expect((await apiClient(server.url, doomed).fetch('/api/me')).status).toBe(200);
    const streams = [openStream(a!.url, doomed), openStream(b!.url, doomed)];
    await Promise.all(streams.map((stream) => stream.opened));
    const ended = streams.map(
      (stream) =>
        new Promise<void>((resolve) => {
          // EventSource retries a closed stream; the retry of a revoked token is refused: 'error' either way.
          stream.source.addEventListener('error', () => resolve());
        }),
    );
    try {
      const revoke = await runCli(prepared.backend, ['token', 'revoke', doomed.slice(0, 12)]);
      expect(revoke.code, revoke.stderr).toBe(0);
      // The heartbeat (the other way a stream learns of it) is 15 s here: this must come from the notification.
      await Promise.race([
        Promise.all(ended),
        new Promise((_, reject) =>
          setTimeout(() => reject(new Error('streams still open after 5 s')), 5_000),
        ),
      ]);
      for (const server of [a!, b!])
        expect((await apiClient(server.url, doomed).fetch('/api/me')).status).toBe(401);
    } finally {
      for (const stream of streams) stream.close();
    }
  });

  it('replaces a LISTEN session that stopped answering without closing, and makes streams resynchronize', async () => {
    const database = new URL(
      prepared.backend.kind === 'postgres' ? prepared.backend.databaseUrl : 'postgres://unused',
    );
    // A proxy that can go silent: connections stay open but nothing passes (a dropped NAT entry, a failover).
    const pairs: net.Socket[][] = [];
    const proxy = net.createServer((inbound) => {
      const outbound = net.connect(Number(database.port || 5432), database.hostname);
      inbound.pipe(outbound).pipe(inbound);
      const drop = () => {
        inbound.destroy();
        outbound.destroy();
      };
      inbound.on('error', drop);
      outbound.on('error', drop);
      pairs.push([inbound, outbound]);
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    const proxied = new URL(database);
    proxied.hostname = '127.0.0.1';
    proxied.port = String((proxy.address() as net.AddressInfo).port);
    const c = await startServerProcess(prepared.backend, {
      env: { DATABASE_URL: proxied.toString(), LISTEN_PROBE_MS: '500' },
    });
    const stream = openStream(c.url, token);
    let reopened = 0;
    try {
      await stream.opened;
      stream.source.addEventListener('open', () => reopened++);
      // Silence the LISTEN session of the proxied process alone (its pool must keep answering).
      const { rows } = await admin.query(
        'SELECT client_port FROM pg_stat_activity WHERE datname = current_database() AND application_name = $1',
        [LISTEN_APPLICATION_NAME],
      );
      const listening = new Set(rows.map((row) => Number(row.client_port)));
      const silenced = pairs.filter(([, outbound]) => listening.has(outbound!.localPort!));
      expect(silenced).toHaveLength(1);
      for (const socket of silenced[0]!) {
        socket.unpipe();
        socket.pause();
      }
      // No 'end', no error: only the liveness check can tell. New connections pass again.
      await expect.poll(() => reopened, { timeout: 15_000 }).toBeGreaterThan(0);
      await apiClient(servers[0]!.url, token).push('contacts', [
        { newDocumentState: contactDoc('after-silence') },
      ]);
      const doc = (await apiClient(servers[0]!.url, token).pullAll('contacts')).documents.find(
        (d) => d.id === 'after-silence',
      );
      await stream.waitFor((event) => event.seq === doc?.serverRev, 15_000);
    } finally {
      stream.close();
      for (const pair of pairs) for (const socket of pair) socket.destroy();
      await c.stop();
      proxy.close();
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
