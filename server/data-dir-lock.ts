import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AdminEndpoint } from './admin/listener';

/**
 * PGlite is one PostgreSQL backend inside one process: two processes opening the same DATA_DIR would corrupt
 * it. The process that opens it holds this lock file; a server also records where its admin listener
 * listens, so the token CLI can go through the running server instead of opening the directory itself.
 */
export type LockInfo = {
  pid: number;
  /** When the holder started (Linux: /proc/<pid>/stat field 22): a later process with the same pid is not it. */
  startTime?: string;
  admin?: AdminEndpoint;
  adminSecret?: string;
};

const LOCK_FILE = 'fieldbook.lock.json';

type ProcessState = { exists: false } | { exists: true; zombie: boolean; startTime: string | undefined };

/**
 * What the kernel says about `pid`. Linux: /proc/<pid>/stat gives its state (Z: a zombie, dead but not yet
 * reaped by its parent, common in containers whose init does not reap) and its start time in clock ticks
 * since boot. Elsewhere only whether the pid exists. Hand-written: the lock libraries on npm check liveness
 * with `kill(pid, 0)` or file ages, which takes a zombie or a reused pid for a live holder.
 */
function processState(pid: number): ProcessState {
  let stat: string | undefined;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' && existsSync('/proc/self/stat')) return { exists: false };
  }
  if (stat !== undefined) {
    // "pid (comm) state ppid …": comm may hold spaces and parentheses, so split after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const state = fields[0];
    return { exists: true, zombie: state === 'Z' || state === 'X', startTime: fields[19] };
  }
  try {
    process.kill(pid, 0);
    return { exists: true, zombie: false, startTime: undefined };
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM'
      ? { exists: true, zombie: false, startTime: undefined }
      : { exists: false };
  }
}

/** The start time to record for this process (undefined where the platform does not tell). */
function ownStartTime(): string | undefined {
  const state = processState(process.pid);
  return state.exists ? state.startTime : undefined;
}

/** A holder holds the lock only while its process runs: not dead, not a zombie, not a new process on its pid. */
function holds(holder: LockInfo): boolean {
  if (holder.pid === process.pid) return false;
  const state = processState(holder.pid);
  if (!state.exists || state.zombie) return false;
  return (
    holder.startTime === undefined || state.startTime === undefined || holder.startTime === state.startTime
  );
}

export type DataDirLock = { update(info: Omit<LockInfo, 'pid'>): void; release(): void };

/**
 * Takes the lock, or returns who holds it. A lock whose holder does not hold it any more (see `holds`: killed,
 * a zombie, its pid reused by another program) is taken over, so a supervisor's restart is never refused.
 */
export function acquireDataDirLock(
  dataDir: string,
): { lock: DataDirLock } | { heldBy: LockInfo; path: string } {
  mkdirSync(dataDir, { recursive: true });
  const path = join(dataDir, LOCK_FILE);
  const write = (info: LockInfo, flag: 'wx' | 'w') =>
    // 0600: the admin secret is as sensitive as the database files next to it.
    writeFileSync(path, JSON.stringify(info), { flag, mode: 0o600 });
  const own: LockInfo = { pid: process.pid, startTime: ownStartTime() };
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      write(own, 'wx');
      let released = false;
      return {
        lock: {
          update: (info) => write({ ...own, ...info }, 'w'),
          release: () => {
            if (released) return;
            released = true;
            rmSync(path, { force: true });
          },
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    let holder: LockInfo | undefined;
    try {
      holder = JSON.parse(readFileSync(path, 'utf8')) as LockInfo;
    } catch {
      // Unreadable (half-written by a process that died at that instant): treat as stale.
    }
    if (holder && holds(holder)) return { heldBy: holder, path };
    rmSync(path, { force: true });
  }
  throw new Error(`Could not take the lock ${path}`);
}
