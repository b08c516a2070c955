import { describe, expect, it } from 'vitest';
import {
  type BoardLead,
  compareCards,
  filterLeads,
  groupByStatus,
  planPositions,
  reuseUnchangedColumns,
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

describe('groupByStatus', () => {
  it('puts every lead in its status column, ordered by position, with counts and totals', () => {
    const columns = groupByStatus([
      lead('b', 'a1', { value: 100 }),
      lead('a', 'a0', { value: 50 }),
      lead('w', 'a0', { status: 'Won', value: 7 }),
      lead('n', '', { value: null }),
    ]);
    expect(columns.map((column) => column.status)).toEqual(['New', 'Contacted', 'Qualified', 'Won', 'Lost']);
    expect(columns[0]!.leads.map((card) => card.id)).toEqual(['a', 'b', 'n']);
    expect(columns[0]!.totalValue).toBe(150);
    expect(columns[3]!.leads.map((card) => card.id)).toEqual(['w']);
    expect(columns[3]!.totalValue).toBe(7);
    expect(columns[4]!.leads).toEqual([]);
  });

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

  it('orders equal keys by creation then id, the same on every device', () => {
    const first = lead('z', 'a0', { createdAt: 1 });
    const second = lead('y', 'a0', { createdAt: 2 });
    const third = lead('x', 'a0', { createdAt: 2 });
    expect([second, third, first].sort(compareCards).map((card) => card.id)).toEqual(['z', 'x', 'y']);
  });
});

describe('filterLeads', () => {
  const ann = lead('ann', 'a0', {
    firstName: 'Ann',
    lastName: 'Lee',
    company: 'Acme',
    assignedTo: 'u1',
    priority: 'High',
  });
  const bob = lead('bob', 'a1', { firstName: 'Bob', email: 'bob@beta.io', assignedTo: 'u2' });
  const all = [ann, bob];

  it('returns the same array when nothing filters', () => {
    expect(filterLeads(all, '  ', { assignedTo: '' })).toBe(all);
  });

  it('searches name, company and email, ignoring case', () => {
    expect(filterLeads(all, 'ann lee', {}).map((card) => card.id)).toEqual(['ann']);
    expect(filterLeads(all, 'ACME', {}).map((card) => card.id)).toEqual(['ann']);
    expect(filterLeads(all, 'beta.io', {}).map((card) => card.id)).toEqual(['bob']);
    expect(filterLeads(all, 'zzz', {})).toEqual([]);
  });

  it('applies every non-empty equality filter together with the search', () => {
    expect(filterLeads(all, '', { assignedTo: 'u2' }).map((card) => card.id)).toEqual(['bob']);
    expect(filterLeads(all, '', { assignedTo: 'u1', priority: 'Medium' })).toEqual([]);
    expect(filterLeads(all, 'bob', { assignedTo: 'u1' })).toEqual([]);
  });
});

describe('reuseUnchangedColumns', () => {
  it('keeps the previous column object when its cards are the same objects in the same order', () => {
    const a = lead('a', 'a0');
    const b = lead('b', 'a1');
    const w = lead('w', 'a0', { status: 'Won' });
    const before = groupByStatus([a, b, w]);
    const moved = { ...b, status: 'Won' as const, position: 'a1' };
    const after = reuseUnchangedColumns(before, groupByStatus([a, moved, w]));
    expect(after[1]).toBe(before[1]);
    expect(after[0]).not.toBe(before[0]);
    expect(after[3]).not.toBe(before[3]);
    expect(after[3]!.leads.map((card) => card.id)).toEqual(['w', 'b']);
    // A changed card (new object) in place also counts as a change.
    const renamed = reuseUnchangedColumns(before, groupByStatus([{ ...a, firstName: 'A2' }, b, w]));
    expect(renamed[0]).not.toBe(before[0]);
    expect(renamed[3]).toBe(before[3]);
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
