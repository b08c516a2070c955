import type { StreamEvent } from '@shared/schemas';
import type { Storage } from '../db';
import { CHANGES_CHANNEL, type ChangeNotification } from './sequence';

type Subscriber = { onChange(event: StreamEvent): void; onInterrupted(): void };

/**
 * Fans committed changes out to the live streams of this process. The source is the database's NOTIFY
 * (one LISTEN connection per process on PostgreSQL, PGlite's own listen in embedded mode), so a write
 * through any server process reaches the streams of every process, and only after it committed.
 * The subscriber set is the only in-process state: it lives exactly as long as the open SSE connections.
 */
export class ChangeFeed {
  private readonly subscribers = new Map<string, Set<Subscriber>>();

  static async start(storage: Storage): Promise<ChangeFeed> {
    const feed = new ChangeFeed();
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
    const set = this.subscribers.get(change.tenantId);
    if (!set) return;
    const event = { collection: change.collection, seq: change.seq } as StreamEvent;
    for (const subscriber of set) subscriber.onChange(event);
  }
}
