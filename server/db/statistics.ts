import type { Storage } from './storage';

const FIRST_ANALYZE_AFTER = 200;
const MAX_INTERVAL = 50_000;

/**
 * Keeps the planner's statistics of `documents` fresh. PGlite runs no autovacuum, so without this its
 * statistics stay those of an empty table, and a fresh PostgreSQL table waits for the autovacuum daemon.
 * With stale statistics the planner believes a tenant's collection holds one row and answers the push
 * lookup (`id = ANY(...)`) by scanning the whole collection instead of probing the primary key.
 * ANALYZE runs after the first 200 written rows of this process, then after twice as many each time
 * (at most every 50,000): a handful of cheap, sampled runs while a table grows, none when it is stable.
 */
export class StatisticsKeeper {
  private writtenSinceAnalyze = 0;
  private nextAnalyzeAt = FIRST_ANALYZE_AFTER;
  private running = false;

  constructor(
    private readonly storage: Storage,
    private readonly onError: (error: unknown) => void,
  ) {}

  /** Call after a commit that wrote `rows` documents. */
  recordWrites(rows: number): void {
    this.writtenSinceAnalyze += rows;
    if (this.running || this.writtenSinceAnalyze < this.nextAnalyzeAt) return;
    this.running = true;
    this.writtenSinceAnalyze = 0;
    this.nextAnalyzeAt = Math.min(this.nextAnalyzeAt * 2, MAX_INTERVAL);
    this.storage
      .exec('ANALYZE documents')
      .catch(this.onError)
      .finally(() => {
        this.running = false;
      });
  }
}
