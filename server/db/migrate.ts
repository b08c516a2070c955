import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Storage } from './storage';

const migrationsDir = join(dirname(fileURLToPath(import.meta.url)), 'migrations');

/** Arbitrary constant key of the advisory lock that serializes migrations across server processes. */
const MIGRATION_LOCK_KEY = 4_711_2026;

export type Migration = { version: number; name: string; sql: string };

/** `NNNN_name.sql` files, in version order. */
export function loadMigrations(dir = migrationsDir): Migration[] {
  return readdirSync(dir)
    .filter((file) => /^\d{4}_[\w-]+\.sql$/.test(file))
    .sort()
    .map((file) => ({
      version: Number(file.slice(0, 4)),
      name: file.slice(5, -4),
      sql: readFileSync(join(dir, file), 'utf8'),
    }));
}

/**
 * Applies pending migrations and records each in `schema_migrations`. A hand-written runner of numbered SQL
 * files because the migration libraries we could use target either `pg` or PGlite, not both.
 * Everything runs in one transaction that first takes a transaction-scoped advisory lock: several server
 * processes starting over one PostgreSQL wait for each other, and the later ones find nothing left to do.
 * PostgreSQL DDL is transactional, so a failing migration leaves the schema as it was.
 */
export async function migrate(storage: Storage, migrations = loadMigrations()): Promise<number[]> {
  return storage.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
    await tx.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version integer PRIMARY KEY,
      name text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now()
    )`);
    const applied = new Set(
      (await tx.query<{ version: number }>('SELECT version FROM schema_migrations')).map((row) =>
        Number(row.version),
      ),
    );
    const done: number[] = [];
    for (const migration of migrations) {
      if (applied.has(migration.version)) continue;
      await tx.exec(migration.sql);
      await tx.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [
        migration.version,
        migration.name,
      ]);
      done.push(migration.version);
    }
    return done;
  });
}
