import pg from 'pg';
import type { Queryable, Storage } from './storage';

function queryable(target: pg.Pool | pg.PoolClient): Queryable {
  return {
    async query<Row>(sql: string, params?: readonly unknown[]) {
      const result = await target.query(sql, params ? [...params] : undefined);
      return result.rows as Row[];
    },
    async exec(sql: string) {
      // Without parameters pg uses the simple query protocol, which accepts several statements.
      await target.query(sql);
    },
  };
}

const LISTEN_RETRY_MS = [100, 500, 1000, 2000, 5000];

export async function openPostgresStorage(connectionString: string, poolMax: number): Promise<Storage> {
  const pool = new pg.Pool({ connectionString, max: poolMax });
  // An idle client that loses its connection emits 'error' on the pool; without a handler Node would crash.
  pool.on('error', (error) => console.error('[postgres] idle client error', error));
  const listeners: pg.Client[] = [];
  let closing = false;

  async function listenOnce(
    channel: string,
    onPayload: (payload: string) => void,
    onInterrupted: () => void,
  ) {
    // LISTEN needs a session of its own: a pooled connection would be handed to other requests.
    const client = new pg.Client({ connectionString });
    let interrupted = false;
    const interrupt = (error?: Error) => {
      if (interrupted || closing) return;
      interrupted = true;
      console.error(`[postgres] LISTEN ${channel} connection lost; reconnecting`, error?.message ?? '');
      listeners.splice(listeners.indexOf(client), 1);
      client.end().catch(() => {});
      void reconnect(channel, onPayload, onInterrupted, 0);
    };
    client.on('notification', (message) => {
      if (message.channel === channel) onPayload(message.payload ?? '');
    });
    client.on('error', interrupt);
    client.on('end', () => interrupt());
    await client.connect();
    await client.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
    listeners.push(client);
  }

  async function reconnect(
    channel: string,
    onPayload: (payload: string) => void,
    onInterrupted: () => void,
    attempt: number,
  ): Promise<void> {
    const delay = LISTEN_RETRY_MS[Math.min(attempt, LISTEN_RETRY_MS.length - 1)];
    await new Promise((resolve) => setTimeout(resolve, delay));
    if (closing) return;
    try {
      await listenOnce(channel, onPayload, onInterrupted);
      // Whatever was notified while no connection listened is lost: tell subscribers to resynchronize.
      onInterrupted();
    } catch (error) {
      console.error(`[postgres] LISTEN ${channel} reconnect failed`, (error as Error).message);
      return reconnect(channel, onPayload, onInterrupted, attempt + 1);
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
    listen: (channel, onPayload, onInterrupted) => listenOnce(channel, onPayload, onInterrupted),
    async close() {
      closing = true;
      await Promise.all(listeners.map((client) => client.end()));
      await pool.end();
    },
  };
}
