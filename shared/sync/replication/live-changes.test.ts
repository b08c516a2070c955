import type { WireDocument } from '@shared/schemas';
import { describe, expect, it } from 'vitest';
import { LiveChanges } from './live-changes';

const doc = (id: string, serverRev: number): WireDocument => ({ id, serverRev, _deleted: false });

describe('LiveChanges', () => {
  it('serves events that continue the checkpoint, and nothing across a gap', () => {
    const live = new LiveChanges();
    live.add({ collection: 'contacts', since: 10, seq: 12, documents: [doc('a', 11), doc('b', 12)] });
    live.add({ collection: 'contacts', since: 12, seq: 13, documents: [doc('c', 13)] });
    live.add({ collection: 'contacts', since: 20, seq: 21, documents: [doc('d', 21)] });
    expect(live.take(9, 100)).toBeNull(); // (9, 10] was never announced
    expect(live.take(10, 100)).toEqual({
      documents: [doc('a', 11), doc('b', 12), doc('c', 13)],
      checkpoint: 13,
    });
    expect(live.take(13, 100)).toBeNull(); // (13, 20] missing: the server is asked
  });

  it('tells whether events still wait after a gap (the hand-over then resyncs to fill it)', () => {
    const live = new LiveChanges();
    live.add({ collection: 'contacts', since: 10, seq: 11, documents: [doc('a', 11)] });
    live.add({ collection: 'contacts', since: 15, seq: 16, documents: [doc('b', 16)] });
    expect(live.take(10, 100)).toEqual({ documents: [doc('a', 11)], checkpoint: 11 });
    expect(live.holdsEvents).toBe(true);
    expect(live.take(15, 100)).toEqual({ documents: [doc('b', 16)], checkpoint: 16 });
    expect(live.holdsEvents).toBe(false);
  });

  it('skips what the checkpoint already covers and stops at the batch size', () => {
    const live = new LiveChanges();
    live.add({ collection: 'contacts', since: 10, seq: 12, documents: [doc('a', 11), doc('b', 12)] });
    live.add({ collection: 'contacts', since: 12, seq: 14, documents: [doc('c', 13), doc('d', 14)] });
    expect(live.take(11, 2)).toEqual({ documents: [doc('b', 12)], checkpoint: 12 });
    expect(live.take(12, 2)).toEqual({ documents: [doc('c', 13), doc('d', 14)], checkpoint: 14 });
  });

  it('remembers stretches that held only this device’s own writes', () => {
    const live = new LiveChanges();
    live.add({ collection: 'contacts', since: 5, seq: 8, documents: [] });
    live.add({ collection: 'contacts', since: 8, seq: 9, documents: [doc('x', 9)] });
    expect(live.take(5, 100)).toEqual({ documents: [doc('x', 9)], checkpoint: 9 });
    live.nothingBetween(9, 15);
    live.nothingBetween(15, 18);
    expect(live.start(9)).toBe(18);
    expect(live.start(4)).toBe(4);
    expect(live.add({ collection: 'contacts', seq: 30 })).toBe(false);
  });
});
