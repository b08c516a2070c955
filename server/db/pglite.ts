import { mkdirSync } from 'node:fs';
import { setImmediate as nextMacrotask } from 'node:timers/promises';
import { PGlite, type Transaction } from '@electric-sql/pglite';
import type { Queryable, Storage } from './storage';

function queryable(target: PGlite | Transaction): Queryable {
  return {
    async query<Row>(sql: string, params?: readonly unknown[]) {
      const result = await target.query<Row>(sql, params ? [...params] : undefined);
      return result.rows;
    },
    async exec(sql: string) {
      await target.exec(sql);
    },
  };
}

/**
 * Runs operations on the single PGlite connection one at a time, in call order, with one event-loop turn
 * between two operations. PGlite's own mutex hands the connection from one waiter to the next inside the
 * microtask queue, and its WASM work is synchronous: under load that chain never lets Node read sockets,
 * so request bodies (pushes) starved behind an endless stream of body-less queries (auth, pulls).
 */
class OperationQueue {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(operation: () => Promise<T>): Promise<T> {
    const result = this.tail.then(() => nextMacrotask()).then(operation);
    this.tail = result.catch(() => undefined);
    return result;
  }
}

/**
 * PGlite is one in-process PostgreSQL backend with a single connection: transactions and statements
 * outside them go through one queue (statements inside a transaction use the transaction directly).
 */
export async function openPgliteStorage(dataDir: string): Promise<Storage> {
  mkdirSync(dataDir, { recursive: true });
  const db = await PGlite.create(dataDir);
  const base = queryable(db);
  const queue = new OperationQueue();
  return {
    kind: 'pglite',
    query: (sql, params) => queue.run(() => base.query(sql, params)),
    exec: (sql) => queue.run(() => base.exec(sql)),
    transaction: (work) => queue.run(() => db.transaction((tx) => work(queryable(tx)))),
    async listen(channel, onPayload) {
      // One process owns the data directory, so PGlite's own LISTEN/NOTIFY is the complete fan-out;
      // it is never interrupted while the process lives.
      await db.listen(channel, onPayload);
    },
    close: () => queue.run(() => db.close()),
  };
}
