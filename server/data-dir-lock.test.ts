import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { acquireDataDirLock } from './data-dir-lock';
import { apiClient, contactDoc } from './testing/fixtures';
import { createToken, startServerProcess } from './testing/server-process';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const onLinux = process.platform === 'linux';

/** Field 3 (state) and 22 (start time) of /proc/<pid>/stat, or undefined once the process is gone. */
function procStat(pid: number): { state: string; startTime: string } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { state: fields[0] ?? '', startTime: fields[19] ?? '' };
  } catch {
    return undefined;
  }
}

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'fieldbook-lock-test-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/**
 * Runs `script` under a parent that never reaps its children (`exec sleep` replaces the shell): a child that
 * dies stays a zombie for as long as this parent lives, as under a container init that does not reap.
 */
function nonReapingParent(script: string, env: NodeJS.ProcessEnv = process.env): ChildProcess {
  const parent = spawn('sh', ['-c', `${script}\nexec sleep 600`], {
    cwd: repoRoot,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  cleanups.push(() => parent.kill('SIGKILL'));
  return parent;
}

function firstMatch(stream: NodeJS.ReadableStream, pattern: RegExp, timeoutMs = 120_000): Promise<string> {
  let text = '';
  return new Promise((resolveMatch, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`no ${pattern} within ${timeoutMs} ms:\n${text}`)),
      timeoutMs,
    );
    stream.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      const match = text.match(pattern);
      if (match?.[1]) {
        clearTimeout(timer);
        resolveMatch(match[1]);
      }
    });
  });
}

async function zombie(): Promise<number> {
  // The child outlives the shell's `exec` (a shell reaps a child that died before it execs: no zombie then;
  // seen once under load with `sleep 0`).
  const parent = nonReapingParent('sleep 1 & echo "child $!"');
  const pid = Number(await firstMatch(parent.stdout as NodeJS.ReadableStream, /child (\d+)/));
  await expect.poll(() => procStat(pid)?.state, { timeout: 10_000 }).toBe('Z');
  return pid;
}

describe.runIf(onLinux)('the data directory lock never locks out a restart (issue 8)', () => {
  it('is not held by a zombie', async () => {
    const dataDir = tempDir();
    const pid = await zombie();
    const startTime = procStat(pid)?.startTime;
    writeFileSync(join(dataDir, 'fieldbook.lock.json'), JSON.stringify({ pid, startTime }));
    const result = acquireDataDirLock(dataDir);
    expect(result).toHaveProperty('lock');
    if ('lock' in result) result.lock.release();
  });

  it('is not held by another program that got the pid of a dead holder', async () => {
    const dataDir = tempDir();
    const other = spawn('sleep', ['600'], { stdio: 'ignore' });
    cleanups.push(() => other.kill('SIGKILL'));
    const pid = other.pid ?? -1;
    await expect.poll(() => procStat(pid)?.state).toMatch(/[RS]/);
    const lockFile = join(dataDir, 'fieldbook.lock.json');
    // The same pid, recorded by a process that started at another time.
    writeFileSync(lockFile, JSON.stringify({ pid, startTime: '1' }));
    const taken = acquireDataDirLock(dataDir);
    expect(taken).toHaveProperty('lock');
    if ('lock' in taken) taken.lock.release();
    // The very process that recorded it still holds it.
    writeFileSync(lockFile, JSON.stringify({ pid, startTime: procStat(pid)?.startTime }));
    expect(acquireDataDirLock(dataDir)).toMatchObject({ heldBy: { pid } });
  });

  it('records its own start time', () => {
    const dataDir = tempDir();
    const result = acquireDataDirLock(dataDir);
    if (!('lock' in result)) throw new Error('lock not taken');
    const recorded = JSON.parse(readFileSync(join(dataDir, 'fieldbook.lock.json'), 'utf8'));
    expect(recorded).toEqual({ pid: process.pid, startTime: procStat(process.pid)?.startTime });
    result.lock.release();
  });

  it('a server whose process group was SIGKILLed and not reaped is restarted at once, nothing acknowledged lost', {
    timeout: 240_000,
  }, async () => {
    const dataDir = tempDir();
    const backend = { kind: 'pglite', dataDir } as const;
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      DATA_DIR: dataDir,
      HOST: '127.0.0.1',
      PORT: '0',
      LOG_LEVEL: 'warn',
    };
    delete env.DATABASE_URL;
    // Its own process group (setsid), under a parent that does not reap it.
    const parent = nonReapingParent(`setsid "${process.execPath}" --import tsx server/cli.ts &`, env);
    const ready = await firstMatch(
      parent.stdout as NodeJS.ReadableStream,
      /("pid":\d+,"url":"[^"]+")[^\n]*fieldbook sync server ready/,
    );
    const { pid, url } = JSON.parse(`{${ready}}`) as { pid: number; url: string };
    const token = await createToken(backend, 'crash', 'writer');
    const api = apiClient(url, token);
    const acknowledged = await api.push(
      'contacts',
      Array.from({ length: 50 }, (_, i) => ({ newDocumentState: contactDoc(`before-kill-${i}`) })),
    );
    expect(acknowledged.accepted).toHaveLength(50);

    process.kill(-pid, 'SIGKILL');
    await expect.poll(() => procStat(pid)?.state, { timeout: 10_000 }).toBe('Z');

    const restarted = await startServerProcess(backend);
    cleanups.push(() => restarted.child.kill('SIGKILL'));
    const { documents } = await apiClient(restarted.url, token).pullAll('contacts');
    expect(documents.map((doc) => doc.id).sort()).toEqual(
      acknowledged.accepted.map((revision) => revision.id).sort(),
    );
    await restarted.stop();
  });
});
