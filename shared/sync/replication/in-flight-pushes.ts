import type { Checkpoint, WireDocument } from '@shared/schemas';

/**
 * Closes a race between RxDB's upstream and downstream that would leave a device with a stale server
 * revision in its assumed master state (or another device's newer state missing, I6) and force a
 * conflict round on its next edit:
 *
 * 1. the upstream pushes document X; the server accepts it as seq N and tells every stream;
 * 2. this device's stream triggers a pull that returns X@N BEFORE the upstream has stored the push's
 *    outcome (its new assumed master state) in RxDB's meta data;
 * 3. the downstream sees a local state that differs from the assumed master, takes it for an unsent
 *    local change, skips X@N, and moves the pull checkpoint past N: X@N never arrives.
 *
 * So while a push request carrying X is on the wire (until RxDB has persisted its outcome), a pull
 * page stops just before X (checkpoint = the last document kept; pages are ordered by seq and each
 * document's `serverRev` is its seq). When that push settles, the collection resyncs and gets X@N
 * through the normal path. A push that FAILED releases its ids at once: pulls then go past X as RxDB
 * intends, and the retried push meets X@N as a conflict whose merge takes the server's `serverRev`.
 * (Pulls leave out this device's own writes, and accepted revisions come in the push answer; the cut
 * still matters when another device's newer state of X arrives while X's push is on the wire.)
 */
export class InFlightPushes {
  private readonly counts = new Map<string, number>();
  private cutSinceRelease = false;

  constructor(private readonly resync: () => void) {}

  /** No push is on the wire. */
  get idle(): boolean {
    return this.counts.size === 0;
  }

  begin(ids: readonly string[]): void {
    for (const id of ids) this.counts.set(id, (this.counts.get(id) ?? 0) + 1);
  }

  /** The push of `ids` settled; if a page was cut meanwhile, the collection resyncs to fetch the rest. */
  end(ids: readonly string[]): void {
    for (const id of ids) {
      const remaining = (this.counts.get(id) ?? 1) - 1;
      if (remaining > 0) this.counts.set(id, remaining);
      else this.counts.delete(id);
    }
    if (this.cutSinceRelease) {
      this.cutSinceRelease = false;
      this.resync();
    }
  }

  /** The part of a pull page that is safe to hand to RxDB now, with its checkpoint. */
  cut(
    documents: WireDocument[],
    pageCheckpoint: Checkpoint,
    requestedCheckpoint: Checkpoint | undefined,
  ): { documents: WireDocument[]; checkpoint: Checkpoint } {
    const firstInFlight = documents.findIndex((document) => this.counts.has(document.id));
    if (firstInFlight < 0) return { documents, checkpoint: pageCheckpoint };
    this.cutSinceRelease = true;
    const kept = documents.slice(0, firstInFlight);
    const last = kept.at(-1);
    const checkpoint = last ? { seq: Number(last.serverRev) } : (requestedCheckpoint ?? { seq: 0 });
    return { documents: kept, checkpoint };
  }
}
