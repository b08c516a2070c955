import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AdminEndpoint } from './admin/listener';

/**
 * PGlite is one PostgreSQL backend inside one process: two processes opening the same DATA_DIR would corrupt
 * it. The process that opens it holds this lock file; a server also records where its admin listener
 * listens, so the token CLI can go through the running server instead of opening the directory itself.
 */
export type LockInfo = { pid: number; admin?: AdminEndpoint; adminSecret?: string };

const LOCK_FILE = 'fieldbook.lock.json';

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export type DataDirLock = { update(info: Omit<LockInfo, 'pid'>): void; release(): void };

/** Takes the lock, or returns who holds it. A lock left by a dead process (SIGKILL) is taken over. */
export function acquireDataDirLock(
  dataDir: string,
): { lock: DataDirLock } | { heldBy: LockInfo; path: string } {
  mkdirSync(dataDir, { recursive: true });
  const path = join(dataDir, LOCK_FILE);
  const write = (info: LockInfo, flag: 'wx' | 'w') =>
    // 0600: the admin secret is as sensitive as the database files next to it.
    writeFileSync(path, JSON.stringify(info), { flag, mode: 0o600 });
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      write({ pid: process.pid }, 'wx');
      let released = false;
      return {
        lock: {
          update: (info) => write({ pid: process.pid, ...info }, 'w'),
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
    if (holder && holder.pid !== process.pid && isAlive(holder.pid)) return { heldBy: holder, path };
    rmSync(path, { force: true });
  }
  throw new Error(`Could not take the lock ${path}`);
}
