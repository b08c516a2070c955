/**
 * The storage interface the server codes against, apart from the code that opens one (index.ts): the
 * implementations (pglite.ts, postgres.ts) name it without importing their opener.
 */

/**
 * `prepared`: a name for `sql` (letters, digits, _), given by a hot statement of the sync API. The database
 * then parses and plans it once per connection instead of at every call (issue 9: on PGlite that was two
 * thirds of a push statement's cost and half a pull's). One name, one SQL text, for the whole process.
 */
export type QueryOptions = { prepared?: string };

/** Something that runs one parameterized SQL statement: the database itself or an open transaction. */
export type Queryable = {
  query<Row = Record<string, unknown>>(
    sql: string,
    params?: readonly unknown[],
    options?: QueryOptions,
  ): Promise<Row[]>;
  /** Runs a script of several statements without parameters (migrations). */
  exec(sql: string): Promise<void>;
};

export type StorageKind = 'pglite' | 'postgres';

/**
 * The one storage interface the server codes against: PGlite (embedded) and PostgreSQL run the same SQL.
 * Implementations differ only in connection handling (PGlite: one in-process connection whose transactions
 * are serialized; PostgreSQL: a pool plus one dedicated LISTEN connection).
 */
export type Storage = Queryable & {
  readonly kind: StorageKind;
  /** Runs `work` in one transaction (READ COMMITTED): committed when it resolves, rolled back when it throws. */
  transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T>;
  /**
   * Subscribes to NOTIFY on `channel`. Notifications sent inside a transaction arrive only after it commits.
   * `onInterrupted` is called when the subscription was broken (and re-established): notifications may have
   * been missed in between, so listeners must resynchronize.
   */
  listen(channel: string, onPayload: (payload: string) => void, onInterrupted: () => void): Promise<void>;
  close(): Promise<void>;
};
