import { boardOrderKey, type Lead, type LeadStatus } from '@shared/schemas';
import { generateKeyBetween, generateNKeysBetween } from 'fractional-indexing';
import type { MangoQuery, MangoQuerySelector, MangoQuerySortPart } from 'rxdb';

/** What a Kanban card needs; a structural subset of `Lead`, so plain objects work in tests. */
export type BoardLead = Pick<
  Lead,
  | 'id'
  | 'firstName'
  | 'lastName'
  | 'email'
  | 'company'
  | 'assignedTo'
  | 'status'
  | 'priority'
  | 'value'
  | 'contactId'
  | 'position'
  | 'createdAt'
>;

export type BoardColumn<T extends BoardLead = BoardLead> = {
  status: LeadStatus;
  /** The cards loaded so far, in board order (a column loads more as it is scrolled). */
  leads: T[];
  /** Cards in the column; null when a filter or search makes it unknown without reading them all. */
  count: number | null;
  /** Sum of the column's values; of the loaded cards only when `count` is null. */
  totalValue: number;
  hasMore: boolean;
};

/**
 * Card order inside a column, the order of the `[status, boardOrder]` index (see `boardOrderKey`): by
 * fractional `position`; cards nobody has placed yet (`''`: created by a rule, a form or an import) follow
 * the placed ones, newest first; ids break ties (two devices may have generated the same key offline) so
 * every device shows the same order.
 */
export function compareCards(a: BoardLead, b: BoardLead): number {
  const keyA = boardOrderKey(a.position, a.createdAt);
  const keyB = boardOrderKey(b.position, b.createdAt);
  if (keyA !== keyB) return keyA < keyB ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/**
 * The database query of one column's first `limit` cards: index-backed on `[status, boardOrder]`, so a
 * column of 25,000 cards costs one page. `filters` are equality filters ('' = any); `ids` narrows to a
 * search result.
 */
export function columnQuery(
  status: LeadStatus,
  filters: Readonly<Record<string, string>>,
  ids: readonly string[] | null,
  limit: number,
): MangoQuery<Lead> {
  const selector: Record<string, unknown> = { status: { $eq: status } };
  for (const [field, value] of Object.entries(filters)) if (value !== '') selector[field] = { $eq: value };
  if (ids !== null) selector.id = { $in: [...ids] };
  return {
    selector: selector as MangoQuerySelector<Lead>,
    sort: [{ status: 'asc' }, { boardOrder: 'asc' } as MangoQuerySortPart<Lead>, { id: 'asc' }],
    limit,
  };
}

export type PositionPatch = { id: string; position: string };

/**
 * The position writes that put `movedId` at `targetIndex` of `column` (the destination column's cards
 * in display order, with or without the moved card). Usually one key between the two neighbours; when
 * the neighbours cannot bound a key (unpositioned cards, or equal keys written by two devices), the
 * neighbours that stand in the way get keys too, so the order the user sees is the order stored.
 * The moved card's patch comes first.
 */
export function planPositions(
  column: readonly Pick<BoardLead, 'id' | 'position'>[],
  movedId: string,
  targetIndex: number,
): PositionPatch[] {
  const others = column.filter((card) => card.id !== movedId);
  const index = Math.max(0, Math.min(targetIndex, others.length));
  const before = others[index - 1];
  const after = others[index];

  if (before && before.position === '') {
    // Dropped among unpositioned cards: give the unpositioned cards above the drop point keys, in order.
    const firstUnpositioned = others.findIndex((card) => card.position === '');
    const lowerBound = others[firstUnpositioned - 1]?.position ?? null;
    const runAbove = others.slice(firstUnpositioned, index);
    const keys = generateNKeysBetween(lowerBound, null, runAbove.length + 1);
    const patches = runAbove.map((card, offset) => ({ id: card.id, position: keys[offset]! }));
    return [{ id: movedId, position: keys[runAbove.length]! }, ...patches];
  }

  const lower = before?.position ?? null;
  const upper = after && after.position !== '' ? after.position : null;
  if (lower === null || upper === null || lower < upper) {
    return [{ id: movedId, position: generateKeyBetween(lower, upper) }];
  }

  // Equal (or out-of-order) neighbour keys: re-key the cards from the drop point up to the first key
  // above `lower`, keeping their order.
  let end = index;
  while (end < others.length && others[end]!.position !== '' && others[end]!.position <= lower) end += 1;
  const nextKey = others[end] && others[end]!.position !== '' ? others[end]!.position : null;
  const keys = generateNKeysBetween(lower, nextKey, end - index + 1);
  const patches = others
    .slice(index, end)
    .map((card, offset) => ({ id: card.id, position: keys[offset + 1]! }));
  return [{ id: movedId, position: keys[0]! }, ...patches];
}

/** A move the board shows before the database says so: the card as the user dropped it. */
export type PendingMove = { lead: BoardLead; from: LeadStatus; written: boolean };

/**
 * The status the column counts (the search index's totals) hold each pending lead under; null when the
 * counts do not come from the totals (a filtered board, or the index still catching up).
 */
export type CountedStatuses = ReadonlyMap<string, string> | null;

const sameState = (a: BoardLead, b: BoardLead) => a.status === b.status && a.position === b.position;

/**
 * The columns as the user expects them while moves are being written: each pending card in its new place
 * and nowhere else, whatever state the column queries have reached (they re-emit one by one, after the
 * write). Columns without a pending card keep their object.
 */
export function applyPendingMoves(
  columns: readonly BoardColumn[],
  pending: ReadonlyMap<string, PendingMove>,
  counted: CountedStatuses,
): BoardColumn[] {
  if (pending.size === 0) return [...columns];
  // Counts from the totals change where the totals do not hold a move yet (they follow the write a moment
  // later than the column queries, and the two must not both adjust a count).
  const countDelta = new Map<string, number>();
  for (const [id, move] of pending) {
    const countedAs = counted?.get(id) ?? move.from;
    if (countedAs === move.lead.status) continue;
    countDelta.set(countedAs, (countDelta.get(countedAs) ?? 0) - 1);
    countDelta.set(move.lead.status, (countDelta.get(move.lead.status) ?? 0) + 1);
  }
  return columns.map((column) => {
    const kept = column.leads.filter((lead) => {
      const move = pending.get(lead.id);
      return move === undefined || sameState(move.lead, lead);
    });
    const present = new Set(kept.map((lead) => lead.id));
    const added = [...pending.values()]
      .map((move) => move.lead)
      .filter((lead) => lead.status === column.status && !present.has(lead.id));
    const delta = countDelta.get(column.status) ?? 0;
    if (kept.length === column.leads.length && added.length === 0 && delta === 0) return column;
    return {
      ...column,
      leads: [...kept, ...added].sort(compareCards),
      count: column.count === null ? null : column.count + delta,
    };
  });
}

/** The columns without the leads whose deletion can still be undone (the board hides them, as the lists do). */
export function withoutHidden(columns: readonly BoardColumn[], hidden: ReadonlySet<string>): BoardColumn[] {
  if (hidden.size === 0) return [...columns];
  return columns.map((column) => {
    const kept = column.leads.filter((lead) => !hidden.has(lead.id));
    if (kept.length === column.leads.length) return column;
    const removed = column.leads.length - kept.length;
    return { ...column, leads: kept, count: column.count === null ? null : column.count - removed };
  });
}

/**
 * Pending moves the queries have caught up with: no column shows the card in an older state any more,
 * either one shows it in the new state or the write is done (the card may lie beyond a column's window),
 * and the counts hold it in its new column.
 */
export function settledMoves(
  columns: readonly BoardColumn[],
  pending: ReadonlyMap<string, PendingMove>,
  counted: CountedStatuses,
): string[] {
  const shown = new Map<string, BoardLead[]>();
  for (const column of columns)
    for (const lead of column.leads)
      if (pending.has(lead.id)) shown.set(lead.id, [...(shown.get(lead.id) ?? []), lead]);
  return [...pending].flatMap(([id, move]) => {
    const states = shown.get(id) ?? [];
    const stale = states.some((lead) => !sameState(lead, move.lead));
    const arrived = states.some((lead) => sameState(lead, move.lead));
    const counts = counted === null || counted.get(id) === move.lead.status;
    return !stale && (arrived || move.written) && counts ? [id] : [];
  });
}
