import type { StreamEvent, WireDocument } from '@shared/schemas';

/** Buffered live events older than this many are dropped (a device that fell that far behind pulls). */
const maxBufferedEvents = 200;

type LiveEvent = { since: number; seq: number; documents: WireDocument[] };

/**
 * The live changes of one collection that arrived on the stream, served to RxDB in one of two ways. When the
 * replication is idle, start-sync.ts hands them to RxDB's `stream$` as documents + checkpoint. Otherwise an
 * event only triggers a pull (`RESYNC`) and the pull handler answers from here — without a request — when the
 * buffered events continue the checkpoint without a gap. Not handed over while a push runs: RxDB holds
 * stream items back until it ends, and judges them against assumed master states that the push's answer has
 * not updated yet, so an event delayed behind this device's own accepted push could put the older state
 * back; a pull is decided when RxDB runs it, against the states of that moment.
 *
 * It also remembers stretches of the sequence that held nothing for this device (its own writes, which
 * the server leaves out): RxDB keeps no checkpoint from an empty page, so without this every later event
 * would look like a gap.
 */
export class LiveChanges {
  private events: LiveEvent[] = [];
  /** from → to: (from, to] holds nothing for this device. */
  private readonly emptyStretches = new Map<number, number>();

  /** Keeps an event's documents; false when it carries none to use (a large write): pull from the server. */
  add(event: StreamEvent): boolean {
    if (event.documents === undefined || event.since === undefined) return false;
    this.events.push({ since: event.since, seq: event.seq, documents: event.documents as WireDocument[] });
    if (this.events.length > maxBufferedEvents) this.events.shift();
    return true;
  }

  /** True while events wait in the buffer (not yet served, e.g. after a gap). */
  get holdsEvents(): boolean {
    return this.events.length > 0;
  }

  /** Where a pull from RxDB's checkpoint `from` really starts: past the stretches known to be empty. */
  start(from: number): number {
    let at = from;
    for (let next = this.emptyStretches.get(at); next !== undefined; next = this.emptyStretches.get(at))
      at = next;
    return at;
  }

  /** Records that (from, to] held nothing for this device (an empty page RxDB will not remember). */
  nothingBetween(from: number, to: number): void {
    if (to > from) this.emptyStretches.set(from, to);
  }

  /**
   * The buffered documents after `from`, up to `limit`, with the checkpoint they reach; null when the
   * buffer does not continue `from` (a gap, or nothing new): then the server is asked.
   */
  take(from: number, limit: number): { documents: WireDocument[]; checkpoint: number } | null {
    let at = from;
    const documents: WireDocument[] = [];
    for (const event of this.events) {
      if (event.seq <= at) continue;
      if (event.since > at) break;
      const fresh = event.documents.filter((document) => Number(document.serverRev) > at);
      if (documents.length + fresh.length > limit) break;
      documents.push(...fresh);
      at = event.seq;
    }
    this.events = this.events.filter((event) => event.seq > at);
    return at === from ? null : { documents, checkpoint: at };
  }
}
