import { mkdirSync } from 'node:fs';
import { PGlite, type Transaction } from '@electric-sql/pglite';
import type { Queryable, Storage } from './index';

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
 * PGlite is one in-process PostgreSQL backend with a single connection. Its `transaction()` holds an internal
 * mutex, so transactions (and statements issued outside them) are serialized in call order: the queue the
 * single connection needs, without a second copy of it here.
 */
export async function openPgliteStorage(dataDir: string): Promise<Storage> {
  mkdirSync(dataDir, { recursive: true });
  const db = await PGlite.create(dataDir);
  const base = queryable(db);
  return {
    kind: 'pglite',
    ...base,
    transaction: (work) => db.transaction((tx) => work(queryable(tx))),
    async listen(channel, onPayload) {
      // One process owns the data directory, so PGlite's own LISTEN/NOTIFY is the complete fan-out;
      // it is never interrupted while the process lives.
      await db.listen(channel, onPayload);
    },
    close: () => db.close(),
  };
}
