import { useDroppable } from '@dnd-kit/core';
import { SortableContext, verticalListSortingStrategy } from '@dnd-kit/sortable';
import { Box, Paper, Stack, styled, Tooltip, Typography } from '@mui/material';
import { useOpenWork } from '@renderer/modules/activity/hooks/useOpenWork';
import { useMoneyFormat } from '@renderer/modules/money/hooks/useMoneyFormat';
import { useTeamSettings } from '@renderer/modules/settings/hooks/useTeamSettings';
import type { LeadStatus } from '@shared/schemas';
import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useEffect, useId, useMemo, useRef } from 'react';
import type { BoardColumn, BoardLead } from '../utils/board';
import { type CardMoveTarget, type DropEdge, SortableLeadCard } from './LeadCard';

/** Estimated card height incl. gap; real heights are measured once rendered. */
const ESTIMATED_CARD_HEIGHT = 104;
const CARD_GAP = 8;

type PipelineColumnProps = {
  column: BoardColumn;
  /** True while a dragged card is over this column. */
  highlighted: boolean;
  /** Where a card dragged from another column will land, when it is over a card of this column. */
  dropHint: { cardId: string; edge: DropEdge } | null;
  /** Leads with local changes the sync server has not acknowledged yet. */
  pendingIds: ReadonlySet<string>;
  onMove: (lead: BoardLead, target: CardMoveTarget) => void;
  onOpen?: (leadId: string) => void;
  /** Loads the next cards of this column (it loads a page at a time, as it is scrolled). */
  onLoadMore: (status: LeadStatus) => void;
};

/**
 * A card's place in the virtualized column. Styled once: the column renders its slots on every scroll
 * step, and an `sx` object would be turned into styles again each time.
 */
const CardSlot = styled('div')({ position: 'absolute', left: 0, right: 0 });

/** Load the next page this many cards before the end, so scrolling rarely waits. */
const PREFETCH_CARDS = 20;

/**
 * One status column: a named region, droppable as a whole (for empty columns and drops below the
 * last card), with its cards virtualized so a column of thousands of leads renders only what is visible.
 */
export const PipelineColumn = memo(function PipelineColumn({
  column,
  highlighted,
  dropHint,
  pendingIds,
  onMove,
  onOpen,
  onLoadMore,
}: PipelineColumnProps) {
  const headingId = useId();
  const countId = useId();
  const scrollRef = useRef<HTMLDivElement | null>(null);
  const { setNodeRef } = useDroppable({
    id: `column:${column.status}`,
    data: { type: 'column', status: column.status },
  });
  const ids = useMemo(() => column.leads.map((lead) => lead.id), [column.leads]);
  const loaded = column.leads.length;
  const virtualizer = useVirtualizer({
    count: loaded,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ESTIMATED_CARD_HEIGHT,
    getItemKey: (index) => column.leads[index]!.id,
    overscan: 6,
    gap: CARD_GAP,
    // Cards coming into view render in React's normal batch, not inside each wheel event (see RecordTable).
    useFlushSync: false,
  });
  // Without a filter the count comes from the index; with one, what is loaded (and "+" when more is).
  const count = column.count ?? loaded;
  const countLabel = column.count === null && column.hasMore ? `${loaded}+` : String(count);
  const countText = `${countLabel === String(count) ? count.toLocaleString() : `${loaded.toLocaleString()}+`} ${count === 1 ? 'lead' : 'leads'}`;
  const lastShown = virtualizer.getVirtualItems().at(-1)?.index ?? 0;
  const { hasMore, status } = column;
  useEffect(() => {
    if (hasMore && lastShown >= loaded - PREFETCH_CARDS) onLoadMore(status);
  }, [hasMore, lastShown, loaded, status, onLoadMore]);
  const money = useMoneyFormat();
  const probability = useTeamSettings().stageProbabilities[column.status];
  const weighted = (column.totalValue * probability) / 100;
  const { nextByLead } = useOpenWork();

  return (
    <Paper
      component="section"
      ref={setNodeRef}
      aria-label={`${column.status} (${countLabel}), total value ${money.exact(column.totalValue)}, weighted ${money.exact(weighted)}`}
      variant="outlined"
      sx={{
        display: 'flex',
        flexDirection: 'column',
        // Five columns fit a 1280-pixel window next to the navigation; narrower windows scroll sideways.
        minWidth: 190,
        flex: '1 1 0',
        minHeight: 0,
        bgcolor: highlighted ? 'action.hover' : 'background.default',
        outline: highlighted ? 2 : 0,
        outlineColor: 'primary.main',
        outlineStyle: 'solid',
      }}
    >
      {/* Two rows, each a pair that fits a column of a 1280-pixel window: the status and its total, the
          count and the weighted total. "Contacted (5021)" beside the totals did not fit, and overlapped them. */}
      <Box sx={{ px: 1.5, pt: 1.25, pb: 1 }}>
        <Stack direction="row" sx={{ alignItems: 'baseline', justifyContent: 'space-between', gap: 1 }}>
          <Typography
            id={headingId}
            variant="subtitle1"
            component="h2"
            sx={{ fontWeight: 600, whiteSpace: 'nowrap', minWidth: 0 }}
          >
            {column.status}
          </Typography>
          <Tooltip
            title={`Total ${money.exact(column.totalValue)} · weighted at ${probability} %: ${money.exact(weighted)}`}
          >
            <Typography
              tabIndex={0}
              variant="body2"
              sx={{ fontWeight: 600, fontVariantNumeric: 'tabular-nums', whiteSpace: 'nowrap' }}
            >
              {money.compact(column.totalValue)}
            </Typography>
          </Tooltip>
        </Stack>
        <Stack direction="row" sx={{ justifyContent: 'space-between', gap: 1 }}>
          <Typography id={countId} variant="caption" color="text.secondary" sx={{ whiteSpace: 'nowrap' }}>
            {countText}
          </Typography>
          <Typography
            variant="caption"
            color="text.secondary"
            sx={{ fontVariantNumeric: 'tabular-nums', whiteSpace: 'nowrap' }}
          >
            {`${probability} % · ${money.compact(weighted)}`}
          </Typography>
        </Stack>
      </Box>
      <SortableContext id={column.status} items={ids} strategy={verticalListSortingStrategy}>
        <Box ref={scrollRef} sx={{ flex: 1, minHeight: 0, overflowY: 'auto', px: 1, pb: 1 }}>
          {loaded === 0 ? (
            <Typography variant="body2" color="text.secondary" sx={{ p: 2, textAlign: 'center' }}>
              No leads. Drag a card here.
            </Typography>
          ) : (
            <Box
              role="list"
              aria-labelledby={`${headingId} ${countId}`}
              sx={{ position: 'relative', height: virtualizer.getTotalSize() }}
            >
              {virtualizer.getVirtualItems().map((item) => {
                const lead = column.leads[item.index]!;
                return (
                  <CardSlot
                    key={item.key}
                    role="listitem"
                    aria-setsize={column.count ?? -1}
                    aria-posinset={item.index + 1}
                    data-index={item.index}
                    ref={virtualizer.measureElement}
                    style={{ top: item.start }}
                  >
                    <SortableLeadCard
                      lead={lead}
                      dropEdge={dropHint?.cardId === lead.id ? dropHint.edge : null}
                      pending={pendingIds.has(lead.id)}
                      nextWork={nextByLead.get(lead.id)}
                      canMoveUp={item.index > 0}
                      canMoveDown={item.index < loaded - 1}
                      onMove={onMove}
                      onOpen={onOpen}
                    />
                  </CardSlot>
                );
              })}
            </Box>
          )}
        </Box>
      </SortableContext>
    </Paper>
  );
});
