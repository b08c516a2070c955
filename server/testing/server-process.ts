import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { withAdmin } from '../admin/client';

/**
 * Test helpers that run the REAL sync server (`server/cli.ts`) as a child process. Shared with the
 * replication tests (tests/sync): they need a server on a free port, tokens, SIGKILL and restart.
 */

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** Where a server keeps its data: a PGlite directory, or a PostgreSQL database. */
export type ServerBackend = { kind: 'pglite'; dataDir: string } | { kind: 'postgres'; databaseUrl: string };
export type BackendKind = ServerBackend['kind'];

export type ServerProcess = {
  url: string;
  pid: number;
  child: ChildProcess;
  /** stdout + stderr so far (pino JSON lines), for assertions and failure messages. */
  output(): string;
  /** SIGTERM, then wait for the exit. */
  stop(): Promise<void>;
  /** SIGKILL, then wait for the exit: a crash. */
  kill(): Promise<void>;
};

function backendEnv(backend: ServerBackend): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.DATABASE_URL;
  delete env.DATA_DIR;
  if (backend.kind === 'pglite') env.DATA_DIR = backend.dataDir;
  else env.DATABASE_URL = backend.databaseUrl;
  return env;
}

/** `node --import tsx` keeps the server in ONE process, so a signal reaches the server itself. */
function spawnCli(args: string[], env: NodeJS.ProcessEnv): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', join(repoRoot, 'server/cli.ts'), ...args], {
    cwd: repoRoot,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolveExit) => child.once('exit', () => resolveExit()));
}

export async function startServerProcess(
  backend: ServerBackend,
  options: { env?: Record<string, string>; port?: number; startTimeoutMs?: number } = {},
): Promise<ServerProcess> {
  const child = spawnCli([], {
    ...backendEnv(backend),
    HOST: '127.0.0.1',
    PORT: String(options.port ?? 0),
    LOG_LEVEL: 'info',
    ...options.env,
  });
  let output = '';
  const url = await new Promise<string>((resolveUrl, reject) => {
    const timer = setTimeout(
      () =>
        reject(new Error(`server did not start within ${options.startTimeoutMs ?? 120_000} ms:\n${output}`)),
      options.startTimeoutMs ?? 120_000,
    );
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = output.match(/"url":"(http:\/\/[^"]+)"[^\n]*"msg":"fieldbook sync server ready"/);
      if (match?.[1]) {
        clearTimeout(timer);
        resolveUrl(match[1]);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`server exited (${code ?? signal}) before it was ready:\n${output}`));
    });
  });
  return {
    url,
    pid: child.pid ?? -1,
    child,
    output: () => output,
    async stop() {
      child.kill('SIGTERM');
      await exited(child);
    },
    async kill() {
      child.kill('SIGKILL');
      await exited(child);
    },
  };
}

export type CliResult = { code: number | null; stdout: string; stderr: string };

export async function runCli(backend: ServerBackend, args: string[]): Promise<CliResult> {
  const child = spawnCli(args, backendEnv(backend));
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const code = await new Promise<number | null>((resolveCode) => child.once('exit', (c) => resolveCode(c)));
  return { code, stdout, stderr };
}

/**
 * Issues a token for tenant + user (creating both if missing) the way the CLI does, but in this process:
 * directly on PostgreSQL or an idle PGlite directory, through the admin endpoint of a PGlite server that
 * holds the directory. Spares a CLI process per token; `runCli` tests the CLI itself.
 */
export async function createToken(
  backend: ServerBackend,
  tenantId: string,
  userId: string,
  name?: string,
): Promise<string> {
  const config = {
    databaseUrl: backend.kind === 'postgres' ? backend.databaseUrl : undefined,
    dataDir: backend.kind === 'pglite' ? backend.dataDir : '',
    pgPoolMax: 2,
  };
  const { token } = await withAdmin(config, (admin) => admin.createToken({ tenantId, userId, name }));
  return token;
}

export type PreparedBackend = { backend: ServerBackend; cleanup(): Promise<void> };

/**
 * A fresh, empty backend: a temporary PGlite directory, or a new database in the PostgreSQL of
 * TEST_DATABASE_URL (so every suite also exercises migrations from scratch).
 */
export async function prepareBackend(kind: BackendKind): Promise<PreparedBackend> {
  if (kind === 'pglite') {
    const dataDir = mkdtempSync(join(tmpdir(), 'fieldbook-server-test-'));
    return {
      backend: { kind, dataDir },
      cleanup: async () => rmSync(dataDir, { recursive: true, force: true }),
    };
  }
  const adminUrl = process.env.TEST_DATABASE_URL;
  if (!adminUrl) throw new Error('TEST_DATABASE_URL is not set');
  const name = `fieldbook_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const databaseUrl = new URL(adminUrl);
  databaseUrl.pathname = `/${name}`;
  return {
    backend: { kind, databaseUrl: databaseUrl.toString() },
    async cleanup() {
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}

if (!process.env.TEST_DATABASE_URL) {
  console.warn(
    '[server tests] PostgreSQL variants are SKIPPED: TEST_DATABASE_URL is not set. ' +
      'Run `PGPORT_TEST=55410 bash scripts/with-postgres.sh npx vitest run server/` to include them.',
  );
}

/** The backends every server suite runs against; PostgreSQL only when TEST_DATABASE_URL is set. */
export const backendKinds: readonly { kind: BackendKind; available: boolean; label: string }[] = [
  { kind: 'pglite', available: true, label: 'PGlite' },
  process.env.TEST_DATABASE_URL
    ? { kind: 'postgres', available: true, label: 'PostgreSQL' }
    : {
        kind: 'postgres',
        available: false,
        label: 'PostgreSQL — SKIPPED: TEST_DATABASE_URL is not set (run under scripts/with-postgres.sh)',
      },
];
