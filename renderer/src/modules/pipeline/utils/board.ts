import { type Lead, type LeadStatus, leadStatuses } from '@shared/schemas';
import { generateKeyBetween, generateNKeysBetween } from 'fractional-indexing';

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

/**
 * The leads a filtered board shows: `search` in name, company or email (case-insensitive), and each
 * non-empty entry of `filters` equal to the lead's field (e.g. `{ assignedTo: 'u-1', priority: '' }`).
 */
export function filterLeads<T extends BoardLead>(
  leads: readonly T[],
  search: string,
  filters: Readonly<Record<string, string>>,
): readonly T[] {
  const needle = search.trim().toLowerCase();
  const active = Object.entries(filters).filter(([, value]) => value !== '');
  if (needle === '' && active.length === 0) return leads;
  return leads.filter(
    (lead) =>
      active.every(([field, value]) => (lead as Record<string, unknown>)[field] === value) &&
      (needle === '' ||
        `${lead.firstName} ${lead.lastName}\n${lead.company}\n${lead.email}`.toLowerCase().includes(needle)),
  );
}

export type BoardColumn<T extends BoardLead = BoardLead> = {
  status: LeadStatus;
  leads: T[];
  totalValue: number;
};

/**
 * Card order inside a column: by fractional `position`; cards nobody has placed yet (`''`: created by a
 * rule, a form or an import) follow the placed ones, newest first, so a new lead shows near the top of a
 * column nobody has arranged; ids break ties (two devices may have generated the same key offline) so
 * every device shows the same order.
 */
export function compareCards(a: BoardLead, b: BoardLead): number {
  const aUnpositioned = a.position === '';
  const bUnpositioned = b.position === '';
  if (aUnpositioned !== bUnpositioned) return aUnpositioned ? 1 : -1;
  if (a.position !== b.position) return a.position < b.position ? -1 : 1;
  if (a.createdAt !== b.createdAt)
    return aUnpositioned ? b.createdAt - a.createdAt : a.createdAt - b.createdAt;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

export function groupByStatus<T extends BoardLead>(leads: readonly T[]): BoardColumn<T>[] {
  const columns = new Map<LeadStatus, BoardColumn<T>>(
    leadStatuses.map((status) => [status, { status, leads: [], totalValue: 0 }]),
  );
  for (const lead of leads) {
    const column = columns.get(lead.status);
    if (!column) continue;
    column.leads.push(lead);
    column.totalValue += lead.value ?? 0;
  }
  for (const column of columns.values()) column.leads.sort(compareCards);
  return [...columns.values()];
}

/**
 * `next` with each column replaced by its `previous` version when it holds the same lead objects in the
 * same order (RxDB keeps the data object of an unchanged document), so unchanged columns skip re-rendering.
 */
export function reuseUnchangedColumns<T extends BoardLead>(
  previous: readonly BoardColumn<T>[],
  next: BoardColumn<T>[],
): BoardColumn<T>[] {
  return next.map((column) => {
    const before = previous.find((candidate) => candidate.status === column.status);
    if (!before || before.leads.length !== column.leads.length) return column;
    return before.leads.every((lead, index) => lead === column.leads[index]) ? before : column;
  });
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
