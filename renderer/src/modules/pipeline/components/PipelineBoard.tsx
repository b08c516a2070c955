import {
  type Announcements,
  type Collision,
  type CollisionDetection,
  closestCorners,
  DndContext,
  type DragEndEvent,
  type DragMoveEvent,
  type DragOverEvent,
  DragOverlay,
  type DragStartEvent,
  KeyboardSensor,
  type Over,
  PointerSensor,
  pointerWithin,
  rectIntersection,
  useSensor,
  useSensors,
} from '@dnd-kit/core';
import { sortableKeyboardCoordinates } from '@dnd-kit/sortable';
import { Alert, Box, CircularProgress, Snackbar, Typography } from '@mui/material';
import { useFirstContent } from '@renderer/modules/app/hooks/useFirstContent';
import { useDatabase } from '@renderer/modules/database/hooks/useDatabase';
import { useUndoableDelete } from '@renderer/modules/feedback/hooks/useUndoableDelete';
import { RecordListToolbar } from '@renderer/modules/object-record/components/RecordListToolbar';
import type { FilterDefinition } from '@renderer/modules/object-record/types/FilterDefinition';
import { displayName } from '@renderer/modules/object-record/utils/displayName';
import { usePendingIds } from '@renderer/modules/sync/hooks/usePendingIds';
import { SEARCH_DEBOUNCE_MS, useDebouncedValue } from '@renderer/modules/ui/hooks/useDebouncedValue';
import { errorMessage } from '@renderer/modules/ui/utils/errorMessage';
import { type LeadStatus, priorities } from '@shared/schemas';
import { type ReactNode, useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { usePipelineColumns } from '../hooks/usePipelineColumns';
import {
  applyPendingMoves,
  type BoardLead,
  type PendingMove,
  type PositionPatch,
  planPositions,
  settledMoves,
  withoutHidden,
} from '../utils/board';
import { moveLead } from '../utils/moveLead';
import { type CardMoveTarget, type DropEdge, LeadCardView } from './LeadCard';
import { PipelineColumn } from './PipelineColumn';

const filterDefinitions: FilterDefinition[] = [
  { field: 'assignedTo', label: 'Assigned to filter', options: 'teamMembers', anyLabel: 'Anyone' },
  { field: 'priority', label: 'Priority filter', options: [...priorities], anyLabel: 'Any priority' },
];

// Module constants: new option objects per render would give new listeners to every card (no memo).
const pointerSensorOptions = { activationConstraint: { distance: 6 } };
const keyboardSensorOptions = { coordinateGetter: sortableKeyboardCoordinates };

type PipelineBoardProps = {
  /** Buttons at the end of the toolbar (e.g. "New lead"). */
  actions?: ReactNode;
  /** Opens a lead's detail view (the app's router decides where that is). */
  onOpenLead?: (leadId: string) => void;
};

type DropTarget = { status: LeadStatus; index: number };

/** The longest a drop waits for its write before the card shows in its column anyway (a busy database). */
const DROP_WRITE_WAIT_MS = 100;

/** Cards win over the column they lie in, so a drop lands at a place in the column. */
function preferCards(hits: Collision[]): Collision[] {
  const cards = hits.filter((hit) => hit.data?.droppableContainer?.data.current?.type === 'card');
  return cards.length > 0 ? cards : hits;
}

/**
 * With a pointer: what is under it. With the keyboard (no pointer) the dragged card's rectangle jumps
 * onto the next card or column, so what it overlaps; nearest corners only as a last resort (a tall empty
 * column's corners are far from a card-sized rectangle at its top).
 */
const collisionDetection: CollisionDetection = (args) => {
  if (args.pointerCoordinates) {
    const underPointer = pointerWithin(args);
    if (underPointer.length > 0) return preferCards(underPointer);
  } else {
    const overlapping = rectIntersection(args);
    if (overlapping.length > 0) return preferCards(overlapping);
  }
  return closestCorners(args);
};

type VerticalRect = { top: number; height: number };
type DropHint = { cardId: string; edge: DropEdge };

function isBelow(dragged: VerticalRect | null, over: VerticalRect): boolean {
  return dragged !== null && dragged.top + dragged.height / 2 > over.top + over.height / 2;
}

function statusOfDroppable(data: Record<string, unknown> | undefined): LeadStatus | null {
  return (data?.status as LeadStatus | undefined) ?? null;
}

/** The Kanban of leads by status, over the local database; every move is written at once. */
export function PipelineBoard({ onOpenLead, actions }: PipelineBoardProps) {
  const db = useDatabase();
  const pendingIds = usePendingIds('leads');
  const [search, setSearch] = useState('');
  const [filters, setFilters] = useState<Record<string, string>>({});
  const debouncedSearch = useDebouncedValue(search, SEARCH_DEBOUNCE_MS);
  const [moveError, setMoveError] = useState<string | null>(null);
  const [activeId, setActiveId] = useState<string | null>(null);
  const [overStatus, setOverStatus] = useState<LeadStatus | null>(null);
  const [dropHint, setDropHint] = useState<DropHint | null>(null);
  /**
   * Moves shown before the queries show them. An entry leaves only when every column query has caught up
   * (settledMoves): leaving when the write resolved let the card flicker back to its old column for a frame,
   * and a second drag started in that frame grabbed the wrong card, so its drop was lost.
   */
  const [pending, setPending] = useState<ReadonlyMap<string, PendingMove>>(new Map());
  const pendingLeadIds = useMemo(() => [...pending.keys()], [pending]);
  const queried = usePipelineColumns(debouncedSearch, filters, pendingLeadIds);
  const { ready, error: loadError, counted } = queried;
  const mountedAt = useRef(performance.now());

  // Leads deleted moments ago stay hidden while their deletion can still be undone.
  const { hidden } = useUndoableDelete();
  const columns = useMemo(
    () => withoutHidden(applyPendingMoves(queried.columns, pending, counted), hidden),
    [queried.columns, pending, counted, hidden],
  );
  useEffect(() => {
    const settled = settledMoves(queried.columns, pending, counted);
    if (settled.length === 0) return;
    setPending((previous) => {
      const next = new Map(previous);
      for (const id of settled) if (next.get(id) === pending.get(id)) next.delete(id);
      return next;
    });
  }, [queried.columns, pending, counted]);

  // The board's own cards replace the start-up picture; the start-up work after the first screen
  // (duplicate detection reading whole key indexes) waits for the counts too, not to delay them.
  useFirstContent(queried.ready, queried.complete);

  // Time from mount to the first board with data, for bench/ (read from the performance timeline).
  useEffect(() => {
    if (!ready) return;
    if (performance.getEntriesByName('fieldbook:pipeline-render').length > 0) return;
    performance.measure('fieldbook:pipeline-render', { start: mountedAt.current, end: performance.now() });
  }, [ready]);

  // Per column, and the same set object while its content is the same: the outbox changes with every write
  // anywhere, and one shared set would re-render every column each time.
  const previousPending = useRef<ReadonlyMap<LeadStatus, ReadonlySet<string>>>(new Map());
  const pendingByStatus = useMemo(() => {
    const result = new Map<LeadStatus, ReadonlySet<string>>();
    for (const column of columns) {
      const ids = pendingIds.size === 0 ? [] : column.leads.filter((lead) => pendingIds.has(lead.id));
      const before = previousPending.current.get(column.status);
      const same =
        before !== undefined && before.size === ids.length && ids.every((lead) => before.has(lead.id));
      result.set(column.status, same ? before : new Set(ids.map((lead) => lead.id)));
    }
    return result;
  }, [columns, pendingIds]);
  useLayoutEffect(() => {
    previousPending.current = pendingByStatus;
  }, [pendingByStatus]);

  const leadById = useMemo(
    () => new Map(columns.flatMap((column) => column.leads.map((lead) => [lead.id, lead]))),
    [columns],
  );
  const columnByStatus = useMemo(() => new Map(columns.map((column) => [column.status, column])), [columns]);
  // Callbacks read the latest columns through a ref so they stay stable and memoized columns stay memoized.
  const latestColumns = useRef(columnByStatus);
  const latestLeads = useRef(leadById);
  useLayoutEffect(() => {
    latestColumns.current = columnByStatus;
    latestLeads.current = leadById;
  }, [columnByStatus, leadById]);

  /** The positions a move of `lead` to `target` writes; null when it stays where it is or cannot move. */
  const planMove = useCallback((lead: BoardLead, target: DropTarget): PositionPatch[] | null => {
    const destination = latestColumns.current.get(target.status)?.leads ?? [];
    const currentIndex = destination.findIndex((card) => card.id === lead.id);
    if (currentIndex !== -1 && currentIndex === target.index) return null;
    try {
      return planPositions(destination, lead.id, target.index);
    } catch (error) {
      setMoveError(`Could not move ${displayName(lead)}: ${errorMessage(error)}`);
      return null;
    }
  }, []);

  /** Shows a move whose write has started (`written`) at once, and its failure when it fails. */
  const showMove = useCallback(
    (lead: BoardLead, target: DropTarget, positions: PositionPatch[], written: Promise<void>) => {
      // Each move has its own entry object: a second quick move of the same card must not be settled or
      // dropped by the first one finishing.
      const move: PendingMove = {
        lead: { ...lead, status: target.status, position: positions[0]!.position },
        from: lead.status,
        written: false,
      };
      const update = (change: (entries: Map<string, PendingMove>) => void) =>
        setPending((previous) => {
          if (previous.get(lead.id) !== move) return previous;
          const next = new Map(previous);
          change(next);
          return next;
        });
      setPending((previous) => new Map(previous).set(lead.id, move));
      written.then(
        () => {
          update((entries) => entries.set(lead.id, { ...move, written: true }));
        },
        (error: unknown) => {
          setMoveError(`Could not move ${displayName(lead)}: ${errorMessage(error)}`);
          update((entries) => entries.delete(lead.id));
        },
      );
    },
    [],
  );

  /** The drop's move, its write started before the drag ended (writeBeforeDragEnds). */
  const droppedMove = useRef<{ leadId: string; show: () => void } | null>(null);

  const commitMove = useCallback(
    (lead: BoardLead, target: DropTarget) => {
      const positions = planMove(lead, target);
      if (positions)
        showMove(
          lead,
          target,
          positions,
          moveLead(db, { leadId: lead.id, status: target.status, positions }),
        );
    },
    [db, planMove, showMove],
  );

  const moveFromMenu = useCallback(
    (lead: BoardLead, target: CardMoveTarget) => {
      if (target.kind === 'status') {
        commitMove(lead, { status: target.status, index: 0 });
        return;
      }
      const column = latestColumns.current.get(lead.status)?.leads ?? [];
      const index = column.findIndex((card) => card.id === lead.id);
      commitMove(lead, { status: lead.status, index: Math.max(0, index + target.delta) });
    },
    [commitMove],
  );

  const sensors = useSensors(
    useSensor(PointerSensor, pointerSensorOptions),
    useSensor(KeyboardSensor, keyboardSensorOptions),
  );

  const onDragStart = ({ active, activatorEvent }: DragStartEvent) => {
    draggingPointer.current = activatorEvent instanceof PointerEvent ? activatorEvent.pointerId : null;
    lastPointer.current = null;
    lastDetection.current = null;
    setActiveId(String(active.id));
  };
  const onDragOver = ({ over }: DragOverEvent) => {
    setOverStatus(
      statusOfDroppable(
        over?.data.current?.sortable
          ? { status: over.data.current.sortable.containerId }
          : over?.data.current,
      ),
    );
  };
  /** The pointer that drags the card (null for a keyboard drag): other pointers' moves are not the drag's. */
  const draggingPointer = useRef<number | null>(null);
  /** Where the dragging pointer last was (viewport coordinates, as dnd-kit reads them). */
  const lastPointer = useRef<{ x: number; y: number } | null>(null);
  useEffect(() => {
    const moved = (event: PointerEvent) => {
      if (event.pointerId === draggingPointer.current)
        lastPointer.current = { x: event.clientX, y: event.clientY };
    };
    // Before dnd-kit's own listeners (capture): the pointer-up's place is known when the drop is planned.
    for (const type of ['pointermove', 'pointerup'] as const)
      document.addEventListener(type, moved, { capture: true, passive: true });
    return () => {
      for (const type of ['pointermove', 'pointerup'] as const)
        document.removeEventListener(type, moved, { capture: true });
    };
  }, []);
  /** dnd-kit's last collision detection: what it was given (rects, pointer) and what it found. */
  const lastDetection = useRef<{ args: Parameters<CollisionDetection>[0]; hits: Collision[] } | null>(null);
  const detectCollisions = useCallback<CollisionDetection>((args) => {
    const hits = collisionDetection(args);
    lastDetection.current = { args, hits };
    return hits;
  }, []);

  /**
   * What the card is over where the pointer went up, and the dragged card's rectangle there. dnd-kit ends
   * the drag with what it rendered last, and renders a pointer move in a later task: a busy page delivers
   * the last moves and the pointer going up together, and the drop then went where the card had been a
   * moment before (its own place: no write; the bench's lost drop at 100,000 contacts). Its `over` lags
   * further: it is state set in an effect after the render that found it. So the drop runs the collision
   * detection again itself, with the pointer's last position and the rectangles of dnd-kit's last render.
   */
  const dropAtPointer = (): { over: Over | null; draggedRect: VerticalRect | null } | null => {
    const detection = lastDetection.current;
    if (detection === null) return null;
    const { args } = detection;
    const pointer = lastPointer.current;
    const drawn = args.pointerCoordinates;
    let { hits } = detection;
    let draggedRect: VerticalRect = args.collisionRect;
    if (pointer !== null && drawn !== null && (pointer.x !== drawn.x || pointer.y !== drawn.y)) {
      const dx = pointer.x - drawn.x;
      const dy = pointer.y - drawn.y;
      const rect = args.collisionRect;
      const moved = {
        ...rect,
        top: rect.top + dy,
        bottom: rect.bottom + dy,
        left: rect.left + dx,
        right: rect.right + dx,
      };
      hits = collisionDetection({ ...args, collisionRect: moved, pointerCoordinates: pointer });
      draggedRect = moved;
    }
    const hit = hits[0];
    const container = hit ? args.droppableContainers.find((candidate) => candidate.id === hit.id) : undefined;
    const rect = hit ? (args.droppableRects.get(hit.id) ?? container?.rect.current) : undefined;
    if (!hit || !container || !rect) return { over: null, draggedRect };
    return {
      over: { id: hit.id, rect, data: container.data, disabled: container.disabled },
      draggedRect,
    };
  };

  // From another column the cards there do not shift, so a line shows where the card will land.
  const onDragMove = (event: DragMoveEvent) => {
    const { active, over } = event;
    const overLead = over ? leadById.get(String(over.id)) : undefined;
    const activeLead = leadById.get(String(active.id));
    const next: DropHint | null =
      over && overLead && activeLead && overLead.status !== activeLead.status
        ? { cardId: overLead.id, edge: isBelow(active.rect.current.translated, over.rect) ? 'bottom' : 'top' }
        : null;
    setDropHint((previous) =>
      previous?.cardId === next?.cardId && previous?.edge === next?.edge ? previous : next,
    );
  };
  const onDragCancel = () => {
    draggingPointer.current = null;
    setActiveId(null);
    setOverStatus(null);
    setDropHint(null);
  };
  /**
   * dnd-kit asks this (its `cancelDrop`) before it ends the drag, and waits for it: the drop's write starts
   * here and the drag ends once the lead is stored, or after DROP_WRITE_WAIT_MS at most. Ending the drag
   * first re-rendered the board in one synchronous render before the write had even reached IndexedDB, and
   * the write committed only after that render (bench at 25,000 leads: 80–160 ms from the drop). Meanwhile
   * the card stays where it was dropped (the drag overlay); it shows in its column as the drag ends.
   */
  const writeBeforeDragEnds = async ({ active, over, activatorEvent }: DragEndEvent): Promise<boolean> => {
    // With a pointer: where it went up. With the keyboard: where dnd-kit drew the card (each key press
    // is one move, drawn before the next key).
    const atPointer = activatorEvent instanceof PointerEvent ? dropAtPointer() : null;
    const dropOver = atPointer ? atPointer.over : over;
    const draggedRect = atPointer ? atPointer.draggedRect : active.rect.current.translated;
    // The latest leads and columns, not this render's (a pull may have changed them since).
    const lead = latestLeads.current.get(String(active.id));
    let target: DropTarget | null;
    let positions: PositionPatch[] | null;
    try {
      target = lead && dropOver ? dropTarget(lead, dropOver, draggedRect) : null;
      positions = lead && target ? planMove(lead, target) : null;
    } catch (error) {
      // dnd-kit waits for this answer to end the drag: a throw here would leave the drag on forever.
      if (lead) setMoveError(`Could not move ${displayName(lead)}: ${errorMessage(error)}`);
      return true;
    }
    if (!lead || !target || !positions) return false;
    let stored = () => {};
    const storedOrLate = new Promise<void>((resolve) => {
      const late = setTimeout(resolve, DROP_WRITE_WAIT_MS);
      stored = () => {
        clearTimeout(late);
        resolve();
      };
    });
    const written = moveLead(db, { leadId: lead.id, status: target.status, positions }, { onStored: stored });
    // A refused write ends the wait too; the board shows its error once the drag has ended.
    written.catch(stored);
    droppedMove.current = { leadId: lead.id, show: () => showMove(lead, target, positions, written) };
    await storedOrLate;
    return false;
  };
  const onDragEnd = ({ active }: DragEndEvent) => {
    onDragCancel();
    const dropped = droppedMove.current;
    droppedMove.current = null;
    if (dropped?.leadId === String(active.id)) dropped.show();
  };

  const dropTarget = (lead: BoardLead, over: Over, draggedRect: VerticalRect | null): DropTarget | null => {
    const overData = over.data.current;
    if (overData?.type === 'column') {
      const status = overData.status as LeadStatus;
      const column = latestColumns.current.get(status)?.leads ?? [];
      // Below the last card: the end of the column (the moved card itself does not count).
      return { status, index: column.filter((card) => card.id !== lead.id).length };
    }
    const overLead = latestLeads.current.get(String(over.id));
    if (!overLead) return null;
    const column = latestColumns.current.get(overLead.status)?.leads ?? [];
    const overIndex = column.findIndex((card) => card.id === overLead.id);
    if (overLead.status === lead.status) return { status: lead.status, index: overIndex };
    // From another column: before or after the card under the pointer, by the dragged card's middle.
    return { status: overLead.status, index: isBelow(draggedRect, over.rect) ? overIndex + 1 : overIndex };
  };

  const announcements = useMemo<Announcements>(() => {
    const nameOf = (id: string | number) => {
      const lead = leadById.get(String(id));
      return lead ? displayName(lead) : 'card';
    };
    const place = (over: { id: string | number; data: { current?: Record<string, unknown> } } | null) => {
      if (!over) return 'outside the columns';
      const data = over.data.current;
      if (data?.type === 'column') return `in column ${String(data.status)}`;
      const target = leadById.get(String(over.id));
      return target ? `over ${displayName(target)} in column ${target.status}` : 'over a card';
    };
    return {
      onDragStart: ({ active }) => `Picked up ${nameOf(active.id)}.`,
      onDragOver: ({ active, over }) => `${nameOf(active.id)} is ${place(over)}.`,
      onDragEnd: ({ active, over }) => `${nameOf(active.id)} was dropped ${place(over)}.`,
      onDragCancel: ({ active }) => `Moving ${nameOf(active.id)} was cancelled.`,
    };
  }, [leadById]);

  if (loadError)
    return <Alert severity="error">Could not load the pipeline: {errorMessage(loadError)}</Alert>;
  if (!ready) {
    return (
      <Box sx={{ display: 'flex', alignItems: 'center', gap: 1, p: 2 }}>
        <CircularProgress size={20} aria-label="Loading the pipeline" />
        <Typography>Loading the pipeline…</Typography>
      </Box>
    );
  }

  const activeLead = activeId ? leadById.get(activeId) : undefined;
  return (
    <Box sx={{ flex: 1, minHeight: 0, display: 'flex', flexDirection: 'column' }}>
      <RecordListToolbar
        searchLabel="Search pipeline"
        search={search}
        onSearchChange={setSearch}
        filterDefinitions={filterDefinitions}
        filters={filters}
        onFilterChange={(field, value) => setFilters((previous) => ({ ...previous, [field]: value }))}
        actions={actions}
      />
      {queried.empty && (
        <Alert severity="info" sx={{ mb: 1 }}>
          No leads yet. Create a lead, or a contact with status Lead, and it appears in the New column.
        </Alert>
      )}
      <DndContext
        sensors={sensors}
        collisionDetection={detectCollisions}
        accessibility={{
          announcements,
          screenReaderInstructions: {
            draggable:
              'To move a card with the keyboard, press Space, use the arrow keys, then press Space again to drop or Escape to cancel. The menu button on each card moves it too.',
          },
        }}
        onDragStart={onDragStart}
        onDragOver={onDragOver}
        onDragMove={onDragMove}
        cancelDrop={writeBeforeDragEnds}
        onDragEnd={onDragEnd}
        onDragCancel={onDragCancel}
      >
        <Box sx={{ display: 'flex', gap: 1.5, flex: 1, minHeight: 0, overflowX: 'auto', pb: 1 }}>
          {columns.map((column) => (
            <PipelineColumn
              key={column.status}
              column={column}
              highlighted={activeId !== null && overStatus === column.status}
              dropHint={dropHint && overStatus === column.status ? dropHint : null}
              pendingIds={pendingByStatus.get(column.status)!}
              onMove={moveFromMenu}
              onOpen={onOpenLead}
              onLoadMore={queried.loadMore}
            />
          ))}
        </Box>
        <DragOverlay>
          {activeLead ? (
            <div aria-hidden>
              <LeadCardView lead={activeLead} canMoveUp={false} canMoveDown={false} overlay />
            </div>
          ) : null}
        </DragOverlay>
      </DndContext>
      <Snackbar open={moveError !== null} onClose={() => setMoveError(null)} autoHideDuration={8000}>
        <Alert severity="error" onClose={() => setMoveError(null)} variant="filled" sx={{ width: '100%' }}>
          {moveError}
        </Alert>
      </Snackbar>
    </Box>
  );
}
