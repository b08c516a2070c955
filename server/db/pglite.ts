import { mkdirSync } from 'node:fs';
import { setImmediate as nextMacrotask } from 'node:timers/promises';
import { PGlite, type Transaction } from '@electric-sql/pglite';
import type { Queryable, QueryOptions, Storage } from './storage';

/**
 * A parameter as an SQL literal, for EXECUTE: the values of the sync statements are text, numbers and null.
 * An E'' string with its backslashes and quotes doubled is read back as exactly the given text, whatever
 * standard_conforming_strings says; a NUL cannot be in a PostgreSQL text at all (the extended protocol
 * refuses it too).
 */
export function sqlLiteral(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value === 'string' && !value.includes('\0')) {
    return `E'${value.replaceAll('\\', '\\\\').replaceAll("'", "''")}'`;
  }
  throw new Error(
    `A prepared statement's parameter must be text without NUL, a finite number or null, got ${typeof value}`,
  );
}

/**
 * PGlite's API has no named statements, so a prepared one is made with PREPARE (parameter types inferred
 * from the SQL, as for a parameterized query) and run with EXECUTE and literal parameters. The one
 * connection lives as long as the process: `prepared` remembers what it holds (PREPARE is not undone by a
 * rollback).
 */
function queryable(target: PGlite | Transaction, prepared: Set<string>): Queryable {
  return {
    async query<Row>(sql: string, params?: readonly unknown[], options?: QueryOptions) {
      const name = options?.prepared;
      if (name) {
        if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`Invalid statement name "${name}"`);
        if (!prepared.has(name)) {
          await target.exec(`PREPARE ${name} AS ${sql}`);
          prepared.add(name);
        }
        const results = await target.exec(`EXECUTE ${name} (${(params ?? []).map(sqlLiteral).join(', ')})`);
        return (results.at(-1)?.rows ?? []) as Row[];
      }
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
  const prepared = new Set<string>();
  const base = queryable(db, prepared);
  const queue = new OperationQueue();
  return {
    kind: 'pglite',
    query: (sql, params, options) => queue.run(() => base.query(sql, params, options)),
    exec: (sql) => queue.run(() => base.exec(sql)),
    transaction: (work) => queue.run(() => db.transaction((tx) => work(queryable(tx, prepared)))),
    async listen(channel, onPayload) {
      // One process owns the data directory, so PGlite's own LISTEN/NOTIFY is the complete fan-out;
      // it is never interrupted while the process lives.
      await db.listen(channel, onPayload);
    },
    close: () => queue.run(() => db.close()),
  };
}
