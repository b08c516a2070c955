import type { StreamEvent } from '@shared/schemas';
import type { Queryable, Storage } from '../db';
import { CHANGES_CHANNEL, type ChangeNotification } from './sequence';
import { isClientWritable } from './validation';

/** A live stream of one device: gets each committed change as the `data` of an SSE event, its own writes left out. */
type Subscriber = { device: string | null; onChange(data: string): void; onInterrupted(): void };

/** Larger writes are announced without their documents: the clients pull them in pages instead. */
const MAX_DOCUMENTS_PER_EVENT = 1000;

type ChangedDocument = { seq: string | number; origin: string | null; doc: string };

/**
 * Fans committed changes out to the live streams of this process. The source is the database's NOTIFY
 * (one LISTEN connection per process on PostgreSQL, PGlite's own listen in embedded mode), so a write
 * through any server process reaches the streams of every process, and only after it committed.
 * A small write's notification carries its documents (a live edit: sent without a read); a larger one's
 * does not (NOTIFY payloads are limited to 8 kB): for a tenant with open streams the feed then reads the
 * changed documents once. Each stream gets those it did not write itself, so a live change costs a client
 * no pull request. Events of one tenant are sent in commit order.
 * The subscriber set is the only in-process state: it lives exactly as long as the open SSE connections.
 */
export class ChangeFeed {
  private readonly subscribers = new Map<string, Set<Subscriber>>();
  /** Per tenant, the delivery of the previous event: reads are async, the order must stay the commit order. */
  private readonly deliveries = new Map<string, Promise<void>>();

  private constructor(private readonly db: Queryable) {}

  static async start(storage: Storage): Promise<ChangeFeed> {
    const feed = new ChangeFeed(storage);
    await storage.listen(
      CHANGES_CHANNEL,
      (payload) => feed.dispatch(payload),
      () => feed.interruptAll(),
    );
    return feed;
  }

  /** Registers a stream of one tenant; returns the unsubscribe function. */
  subscribe(tenantId: string, subscriber: Subscriber): () => void {
    let set = this.subscribers.get(tenantId);
    if (!set) {
      set = new Set();
      this.subscribers.set(tenantId, set);
    }
    set.add(subscriber);
    return () => {
      set.delete(subscriber);
      if (set.size === 0 && this.subscribers.get(tenantId) === set) this.subscribers.delete(tenantId);
    };
  }

  get streamCount(): number {
    let count = 0;
    for (const set of this.subscribers.values()) count += set.size;
    return count;
  }

  /** Ends every stream (server shutdown, or missed notifications): clients reconnect and resynchronize. */
  interruptAll(): void {
    for (const set of this.subscribers.values())
      for (const subscriber of [...set]) subscriber.onInterrupted();
  }

  private dispatch(payload: string): void {
    let change: ChangeNotification;
    try {
      change = JSON.parse(payload) as ChangeNotification;
    } catch (error) {
      console.error('[change-feed] unreadable notification', payload, error);
      return;
    }
    const { tenantId } = change;
    if (!this.subscribers.has(tenantId)) return;
    const previous = this.deliveries.get(tenantId) ?? Promise.resolve();
    const delivery = previous.then(() => this.deliver(change));
    this.deliveries.set(tenantId, delivery);
    void delivery.finally(() => {
      if (this.deliveries.get(tenantId) === delivery) this.deliveries.delete(tenantId);
    });
  }

  private async deliver(change: ChangeNotification): Promise<void> {
    const set = this.subscribers.get(change.tenantId);
    if (!set || set.size === 0) return;
    let documents: ChangedDocument[] | null = null;
    // Streams of the writing device alone would get none of the documents: nothing to read.
    const onlyTheWriter =
      change.origin != null && [...set].every((subscriber) => subscriber.device === change.origin);
    if (onlyTheWriter && change.since !== undefined) {
      documents = [];
    } else if (change.documents && change.since !== undefined) {
      documents = change.documents.map(({ seq, origin, doc }) => ({ seq, origin, doc: JSON.stringify(doc) }));
    } else if (change.since !== undefined && isClientWritable(change.collection)) {
      try {
        documents = await this.changedDocuments(change);
      } catch (error) {
        // Without the documents the event would still be right, but a read that fails here fails for the
        // clients' pulls too: end the streams, they reconnect and resynchronize.
        console.error('[change-feed] reading changed documents failed', error);
        for (const subscriber of [...set]) subscriber.onInterrupted();
        return;
      }
    }
    const event: StreamEvent = { collection: change.collection, seq: change.seq };
    if (documents === null) {
      const data = JSON.stringify(event);
      for (const subscriber of [...set]) subscriber.onChange(data);
      return;
    }
    // Documents are pre-serialized by the database (as in pulls): splice them into the event's JSON.
    const head = JSON.stringify({ ...event, since: change.since }).slice(0, -1);
    for (const subscriber of [...set]) {
      const own = subscriber.device;
      const docs = documents.filter((document) => own === null || document.origin !== own).map((d) => d.doc);
      subscriber.onChange(`${head},"documents":[${docs.join(',')}]}`);
    }
  }

  /** The documents this write committed (null when too many to send live). */
  private async changedDocuments(change: ChangeNotification): Promise<ChangedDocument[] | null> {
    const rows = await this.db.query<ChangedDocument>(
      `SELECT seq, origin, (data || jsonb_build_object('serverRev', seq, '_deleted', deleted))::text AS doc
       FROM documents WHERE tenant_id = $1 AND collection = $2 AND seq > $3 AND seq <= $4
       ORDER BY seq LIMIT $5`,
      [change.tenantId, change.collection, change.since, change.seq, MAX_DOCUMENTS_PER_EVENT + 1],
    );
    return rows.length > MAX_DOCUMENTS_PER_EVENT ? null : rows;
  }
}
