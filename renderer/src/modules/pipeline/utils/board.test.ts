import { describe, expect, it } from 'vitest';
import {
  applyPendingMoves,
  type BoardColumn,
  type BoardLead,
  compareCards,
  planPositions,
  settledMoves,
  withoutHidden,
} from './board';

let created = 0;
function lead(id: string, position: string, extra: Partial<BoardLead> = {}): BoardLead {
  created += 1;
  return {
    id,
    firstName: id,
    lastName: '',
    email: '',
    company: '',
    assignedTo: '',
    status: 'New',
    priority: 'Medium',
    value: null,
    contactId: '',
    position,
    createdAt: created,
    ...extra,
  };
}

/** Applies patches and returns the ids in display order, as the board would show them. */
function orderAfter(cards: BoardLead[], patches: { id: string; position: string }[]): string[] {
  const byId = new Map(cards.map((card) => [card.id, { ...card }]));
  for (const patch of patches) byId.get(patch.id)!.position = patch.position;
  return [...byId.values()].sort(compareCards).map((card) => card.id);
}

describe('compareCards', () => {
  it('puts unplaced cards after the placed ones, newest first', () => {
    const placed = lead('placed', 'a0', { createdAt: 1 });
    const older = lead('older', '', { createdAt: 2 });
    const newer = lead('newer', '', { createdAt: 3 });
    expect([older, newer, placed].sort(compareCards).map((card) => card.id)).toEqual([
      'placed',
      'newer',
      'older',
    ]);
  });

  it('orders equal keys by id, as the [status, boardOrder] index does on every device', () => {
    const first = lead('z', 'a0', { createdAt: 1 });
    const second = lead('y', 'a0', { createdAt: 2 });
    const third = lead('x', 'a0', { createdAt: 2 });
    expect([second, third, first].sort(compareCards).map((card) => card.id)).toEqual(['x', 'y', 'z']);
  });
});

function column(status: BoardLead['status'], leads: BoardLead[], count = leads.length): BoardColumn {
  return { status, leads, count, totalValue: 0, hasMore: false };
}

describe('pending moves', () => {
  const a = lead('a', 'a0');
  const b = lead('b', 'a1');
  const w = lead('w', 'a0', { status: 'Won' });
  const movedB = { ...b, status: 'Won' as const, position: 'a1' };
  const before = [column('New', [a, b]), column('Won', [w])];
  const after = [column('New', [a]), column('Won', [w, movedB])];

  it('shows a dropped card in its new place only, whichever column query has caught up', () => {
    const pending = new Map([['b', { lead: movedB, from: 'New' as const, written: false }]]);
    const countedInNew = new Map([['b', 'New']]);
    const expected = [['a'], ['w', 'b']];
    const ids = (columns: BoardColumn[]) => columns.map((c) => c.leads.map((card) => card.id));
    expect(ids(applyPendingMoves(before, pending, countedInNew))).toEqual(expected);
    expect(ids(applyPendingMoves(after, pending, countedInNew))).toEqual(expected);
    // Only the destination has re-emitted yet: the source still holds the old card.
    const halfway = [column('New', [a, b]), column('Won', [w, movedB])];
    expect(ids(applyPendingMoves(halfway, pending, countedInNew))).toEqual(expected);
    expect(applyPendingMoves(before, pending, countedInNew).map((c) => c.count)).toEqual([1, 2]);
  });

  it('adjusts the counts (from the totals) until the totals hold the move, whatever the queries show', () => {
    const pending = new Map([['b', { lead: movedB, from: 'New' as const, written: true }]]);
    const counts = (columns: BoardColumn[], counted: ReadonlyMap<string, string> | null) =>
      applyPendingMoves(columns, pending, counted).map((c) => c.count);
    // The queries show the move, the totals (2 in New, 1 in Won) do not yet.
    const staleTotals = [column('New', [a], 2), column('Won', [w, movedB], 1)];
    expect(counts(staleTotals, new Map([['b', 'New']]))).toEqual([1, 2]);
    // The totals hold it already while the queries lag: no second adjustment.
    const freshTotals = [column('New', [a, b], 1), column('Won', [w], 2)];
    expect(counts(freshTotals, new Map([['b', 'Won']]))).toEqual([1, 2]);
    // Before the totals' first answer about b: counted where the card came from.
    expect(counts(staleTotals, new Map())).toEqual([1, 2]);
  });

  it('keeps a move pending until no column shows the card in its old place (no flicker back)', () => {
    const written = new Map([['b', { lead: movedB, from: 'New' as const, written: true }]]);
    const countedInWon = new Map([['b', 'Won']]);
    // The write has resolved but the queries have not re-emitted: settling now would show b in New again.
    expect(settledMoves(before, written, countedInWon)).toEqual([]);
    expect(settledMoves([column('New', [a, b]), column('Won', [w, movedB])], written, countedInWon)).toEqual(
      [],
    );
    expect(settledMoves(after, written, countedInWon)).toEqual(['b']);
    // The queries show it, the counts do not yet: settling now would make the counts jump back.
    expect(settledMoves(after, written, new Map([['b', 'New']]))).toEqual([]);
    // Counts not from the totals (a filtered board): the queries decide alone.
    expect(settledMoves(after, written, null)).toEqual(['b']);
    // Written, and beyond the loaded window of its column: settled once the source has let go of it.
    expect(settledMoves([column('New', [a]), column('Won', [w])], written, countedInWon)).toEqual(['b']);
    expect(
      settledMoves(
        [column('New', [a]), column('Won', [w])],
        new Map([['b', { lead: movedB, from: 'New' as const, written: false }]]),
        countedInWon,
      ),
    ).toEqual([]);
  });
});

describe('withoutHidden', () => {
  it('hides the leads whose deletion can still be undone, and counts them out', () => {
    const a = lead('a', 'a0');
    const b = lead('b', 'a1');
    const columns = [column('New', [a, b]), column('Won', [])];
    const shown = withoutHidden(columns, new Set(['b']));
    expect(shown.map((c) => c.leads.map((card) => card.id))).toEqual([['a'], []]);
    expect(shown.map((c) => c.count)).toEqual([1, 0]);
    expect(shown[1]).toBe(columns[1]);
  });
});

describe('planPositions', () => {
  const column = () => [lead('a', 'a0'), lead('b', 'a1'), lead('c', 'a2')];

  it('writes one key between the neighbours', () => {
    const cards = [...column(), lead('m', 'a0', { status: 'Won' })];
    const patches = planPositions(cards.slice(0, 3), 'm', 1);
    expect(patches).toHaveLength(1);
    expect(orderAfter(cards.slice(0, 3).concat({ ...cards[3]!, status: 'New' }), patches)).toEqual([
      'a',
      'm',
      'b',
      'c',
    ]);
  });

  it('moves to the top and to the bottom', () => {
    const cards = column();
    expect(orderAfter(cards, planPositions(cards, 'c', 0))).toEqual(['c', 'a', 'b']);
    expect(orderAfter(cards, planPositions(cards, 'a', 2))).toEqual(['b', 'c', 'a']);
  });

  it('reorders within a column (index counted without the moved card)', () => {
    const cards = column();
    expect(orderAfter(cards, planPositions(cards, 'a', 1))).toEqual(['b', 'a', 'c']);
  });

  it('gives keys to an empty column and clamps an index past the end', () => {
    const patches = planPositions([], 'm', 5);
    expect(patches).toEqual([{ id: 'm', position: 'a0' }]);
  });

  it('keys the unpositioned cards above the drop point so the shown order is stored', () => {
    const cards = [lead('p', 'a0'), lead('u1', ''), lead('u2', ''), lead('u3', ''), lead('m', 'Zz')];
    const patches = planPositions(cards, 'm', 3);
    expect(patches[0]!.id).toBe('m');
    expect(patches.map((patch) => patch.id).sort()).toEqual(['m', 'u1', 'u2']);
    expect(orderAfter(cards, patches)).toEqual(['p', 'u1', 'u2', 'm', 'u3']);
  });

  it('places a card before unpositioned ones with a single write', () => {
    const cards = [lead('p', 'a0'), lead('u1', ''), lead('m', 'Zz')];
    const patches = planPositions(cards, 'm', 1);
    expect(patches).toHaveLength(1);
    expect(orderAfter(cards, patches)).toEqual(['p', 'm', 'u1']);
  });

  it('re-keys equal neighbour keys (two devices inserted at the same place offline)', () => {
    const cards = [lead('a', 'a0'), lead('b', 'a1'), lead('c', 'a1'), lead('d', 'a1'), lead('e', 'a2')];
    const m = lead('m', 'a5');
    const patches = planPositions([...cards, m], 'm', 2);
    expect(orderAfter([...cards, m], patches)).toEqual(['a', 'b', 'm', 'c', 'd', 'e']);
    expect(patches.map((patch) => patch.id)).toEqual(['m', 'c', 'd']);
  });
});
