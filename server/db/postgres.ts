import pg from 'pg';
import type { Queryable, QueryOptions, Storage } from './storage';

function queryable(target: pg.Pool | pg.PoolClient): Queryable {
  return {
    async query<Row>(sql: string, params?: readonly unknown[], options?: QueryOptions) {
      const values = params ? [...params] : undefined;
      // node-postgres prepares a named statement once per connection.
      const result = await (options?.prepared
        ? target.query({ name: options.prepared, text: sql, values })
        : target.query(sql, values));
      return result.rows as Row[];
    },
    async exec(sql: string) {
      // Without parameters pg uses the simple query protocol, which accepts several statements.
      await target.query(sql);
    },
  };
}

/** The LISTEN session's application_name. */
export const LISTEN_APPLICATION_NAME = 'fieldbook-listen';

const LISTEN_RETRY_MS = [100, 500, 1000, 2000, 5000];

export async function openPostgresStorage(
  connectionString: string,
  { poolMax, listenProbeMs }: { poolMax: number; listenProbeMs: number },
): Promise<Storage> {
  const pool = new pg.Pool({ connectionString, max: poolMax });
  // An idle client that loses its connection emits 'error' on the pool; without a handler Node would crash.
  pool.on('error', (error) => console.error('[postgres] idle client error', error));
  let closing = false;

  /*
   * One LISTEN session per process, whatever the number of channels: each `listen` adds its channel to it.
   * When the session is lost, a new one listens on every channel again, and then every listener is told
   * (`onInterrupted`): whatever was notified in between is lost.
   */
  type Listener = { channel: string; onPayload(payload: string): void; onInterrupted(): void };
  const listeners: Listener[] = [];
  /** The LISTEN session; undefined before the first `listen` and while a lost one is being replaced. */
  let session: Promise<pg.Client> | undefined;
  let reconnecting = false;
  /** Stops the liveness checks of the current session (on close). */
  let stopProbe = () => {};

  async function openSession(): Promise<pg.Client> {
    // LISTEN needs a session of its own: a pooled connection would be handed to other requests.
    // Named, so that operators (and tests) can tell it in pg_stat_activity.
    const client = new pg.Client({
      connectionString,
      keepAlive: true,
      application_name: LISTEN_APPLICATION_NAME,
    });
    let interrupted = false;
    let probe: NodeJS.Timeout | undefined;
    const interrupt = (error?: Error) => {
      clearInterval(probe);
      if (interrupted || closing) return;
      interrupted = true;
      console.error('[postgres] LISTEN connection lost; reconnecting', error?.message ?? '');
      session = undefined;
      reconnecting = true;
      client.end().catch(() => {});
      void reconnect(0);
    };
    client.on('notification', (message) => {
      for (const listener of listeners)
        if (listener.channel === message.channel) listener.onPayload(message.payload ?? '');
    });
    client.on('error', interrupt);
    client.on('end', () => interrupt());
    try {
      await client.connect();
      // Until every channel is listened: a `listen` made while this loop awaits adds one.
      const listened = new Set<string>();
      for (let next = unlistened(listened); next !== undefined; next = unlistened(listened)) {
        await client.query(`LISTEN ${pg.escapeIdentifier(next)}`);
        listened.add(next);
      }
    } catch (error) {
      // The caller retries or fails: this half-open session must not start a reconnect of its own.
      interrupted = true;
      client.end().catch(() => {});
      throw error;
    }
    // A session dropped without a word (a proxy, a failover, a cable) emits no 'end': the kernel's keep-alive
    // finds out after minutes at best, and no notification arrives meanwhile. Ask it something now and then.
    probe = setInterval(() => {
      const silence = setTimeout(
        () => interrupt(new Error(`no answer to a liveness check within ${listenProbeMs} ms`)),
        listenProbeMs,
      );
      client.query('SELECT 1').then(
        () => clearTimeout(silence),
        (error: Error) => {
          clearTimeout(silence);
          interrupt(error);
        },
      );
    }, listenProbeMs);
    probe.unref();
    stopProbe = () => clearInterval(probe);
    return client;
  }

  function unlistened(listened: ReadonlySet<string>): string | undefined {
    return listeners.find((listener) => !listened.has(listener.channel))?.channel;
  }

  async function reconnect(attempt: number): Promise<void> {
    const delay = LISTEN_RETRY_MS[Math.min(attempt, LISTEN_RETRY_MS.length - 1)];
    await new Promise((resolve) => setTimeout(resolve, delay));
    if (closing) return;
    try {
      const opening = openSession();
      session = opening;
      await opening;
      reconnecting = false;
      // Whatever was notified while no connection listened is lost: tell subscribers to resynchronize.
      for (const listener of listeners) listener.onInterrupted();
    } catch (error) {
      session = undefined;
      console.error('[postgres] LISTEN reconnect failed', (error as Error).message);
      return reconnect(attempt + 1);
    }
  }

  async function listen(
    channel: string,
    onPayload: (payload: string) => void,
    onInterrupted: () => void,
  ): Promise<void> {
    const known = listeners.some((listener) => listener.channel === channel);
    listeners.push({ channel, onPayload, onInterrupted });
    // While reconnecting, the new session listens on every channel of `listeners`, this one included.
    if (reconnecting) return;
    if (session) {
      if (!known) await (await session).query(`LISTEN ${pg.escapeIdentifier(channel)}`);
      return;
    }
    const opening = openSession();
    session = opening;
    try {
      await opening;
    } catch (error) {
      session = undefined;
      throw error;
    }
  }

  return {
    kind: 'postgres',
    ...queryable(pool),
    async transaction(work) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await work(queryable(client));
        await client.query('COMMIT');
        client.release();
        return result;
      } catch (error) {
        try {
          await client.query('ROLLBACK');
          client.release();
        } catch (rollbackError) {
          // The connection is unusable: destroy it instead of returning it to the pool.
          client.release(rollbackError as Error);
        }
        throw error;
      }
    },
    listen,
    async close() {
      closing = true;
      stopProbe();
      const client = await session?.catch(() => undefined);
      await client?.end();
      await pool.end();
    },
  };
}
