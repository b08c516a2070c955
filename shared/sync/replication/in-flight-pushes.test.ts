import type { WireDocument } from '@shared/schemas';
import { describe, expect, it } from 'vitest';
import { InFlightPushes } from './in-flight-pushes';

const doc = (id: string, serverRev: number): WireDocument => ({ id, serverRev, _deleted: false });

describe('InFlightPushes', () => {
  it('passes pages through while nothing is being pushed', () => {
    const gate = new InFlightPushes(() => undefined);
    const page = [doc('a', 4), doc('b', 5)];
    expect(gate.cut(page, { seq: 5 }, { seq: 3 })).toEqual({ documents: page, checkpoint: { seq: 5 } });
  });

  it('stops a page before a document whose push is on the wire, and resyncs once it settles', () => {
    let resyncs = 0;
    const gate = new InFlightPushes(() => resyncs++);
    gate.begin(['b']);
    expect(gate.cut([doc('a', 4), doc('b', 5), doc('c', 6)], { seq: 6 }, { seq: 3 })).toEqual({
      documents: [doc('a', 4)],
      checkpoint: { seq: 4 },
    });
    // Nothing safe in the page: the checkpoint stays where the pull started.
    expect(gate.cut([doc('b', 5), doc('c', 6)], { seq: 6 }, { seq: 4 })).toEqual({
      documents: [],
      checkpoint: { seq: 4 },
    });
    expect(gate.cut([doc('b', 5)], { seq: 5 }, undefined).checkpoint).toEqual({ seq: 0 });
    gate.end(['b']);
    expect(resyncs).toBe(1);
    expect(gate.cut([doc('b', 5), doc('c', 6)], { seq: 6 }, { seq: 4 }).documents).toHaveLength(2);
    gate.end([]);
    expect(resyncs).toBe(1);
  });

  it('does not resync after a push that no pull page met (its revisions came in the push answer)', () => {
    let resyncs = 0;
    const gate = new InFlightPushes(() => resyncs++);
    gate.begin(['a']);
    gate.end(['a']);
    expect(resyncs).toBe(0);
  });

  it('counts overlapping pushes of one id', () => {
    const gate = new InFlightPushes(() => undefined);
    gate.begin(['x']);
    gate.begin(['x']);
    gate.end(['x']);
    expect(gate.cut([doc('x', 9)], { seq: 9 }, { seq: 8 }).documents).toEqual([]);
    gate.end(['x']);
    expect(gate.cut([doc('x', 9)], { seq: 9 }, { seq: 8 }).documents).toHaveLength(1);
  });

  it('is idle only while no push is on the wire (live events are handed over only then)', () => {
    const gate = new InFlightPushes(() => undefined);
    expect(gate.idle).toBe(true);
    gate.begin(['x', 'y']);
    gate.begin(['x']);
    gate.end(['x', 'y']);
    expect(gate.idle).toBe(false);
    gate.end(['x']);
    expect(gate.idle).toBe(true);
  });
});
