import { useSortable } from '@dnd-kit/sortable';
import { CSS } from '@dnd-kit/utilities';
import DragIndicatorIcon from '@mui/icons-material/DragIndicator';
import LinkIcon from '@mui/icons-material/Link';
import MoreVertIcon from '@mui/icons-material/MoreVert';
import {
  Box,
  Card,
  Chip,
  IconButton,
  Link,
  Menu,
  MenuItem,
  Stack,
  Tooltip,
  Typography,
  useTheme,
} from '@mui/material';
import { NextWorkLabel } from '@renderer/modules/activity/components/NextWorkLabel';
import { useMoneyFormat } from '@renderer/modules/money/hooks/useMoneyFormat';
import { displayName } from '@renderer/modules/object-record/utils/displayName';
import { PendingMark } from '@renderer/modules/sync/components/PendingMark';
import { type Activity, type LeadStatus, leadStatuses, type Priority } from '@shared/schemas';
import { type KeyboardEventHandler, memo, type PointerEventHandler, useMemo, useState } from 'react';
import type { BoardLead } from '../utils/board';

export type DropEdge = 'top' | 'bottom';

export type CardMoveTarget = { kind: 'status'; status: LeadStatus } | { kind: 'step'; delta: -1 | 1 };

// Warning orange fails WCAG contrast as outlined chip text; blue and red pass in both themes.
const priorityColor: Record<Priority, 'default' | 'primary' | 'error'> = {
  Low: 'default',
  Medium: 'primary',
  High: 'error',
};

type LeadCardViewProps = {
  lead: BoardLead;
  /** For the menu's "Move up/down" (booleans, not the index, so cards below a moved one need no re-render). */
  canMoveUp: boolean;
  canMoveDown: boolean;
  onMove?: (lead: BoardLead, target: CardMoveTarget) => void;
  onOpen?: (leadId: string) => void;
  /** Local changes not yet acknowledged by the sync server. */
  pending?: boolean;
  /** The lead's soonest open planned work. */
  nextWork?: Activity;
  dragging?: boolean;
  overlay?: boolean;
};

/** The card itself, also rendered in the drag overlay (without sortable wiring). */
export const LeadCardView = memo(function LeadCardView({
  lead,
  canMoveUp,
  canMoveDown,
  onMove,
  onOpen,
  pending = false,
  nextWork,
  dragging = false,
  overlay = false,
  handleProps,
}: LeadCardViewProps & { handleProps?: Record<string, unknown> }) {
  const [menuAnchor, setMenuAnchor] = useState<HTMLElement | null>(null);
  const money = useMoneyFormat();
  const name = displayName(lead);
  const close = () => setMenuAnchor(null);
  const move = (target: CardMoveTarget) => {
    close();
    onMove?.(lead, target);
  };
  return (
    <Card
      variant="outlined"
      sx={{
        p: 1,
        pl: 0.5,
        opacity: dragging ? 0.4 : 1,
        boxShadow: overlay ? 6 : 0,
        cursor: overlay ? 'grabbing' : 'grab',
        touchAction: 'none',
      }}
    >
      <Stack direction="row" spacing={0.5} sx={{ alignItems: 'flex-start' }}>
        {overlay ? (
          // The drag overlay is a picture of the card: nothing in it may be focusable or announced twice.
          <Box sx={{ display: 'flex', p: '5px', color: 'action.active' }}>
            <DragIndicatorIcon fontSize="small" />
          </Box>
        ) : (
          <IconButton size="small" aria-label={`Reorder ${name}`} sx={{ cursor: 'inherit' }} {...handleProps}>
            <DragIndicatorIcon fontSize="small" />
          </IconButton>
        )}
        <Box sx={{ flex: 1, minWidth: 0 }}>
          {onOpen ? (
            <Link
              component="button"
              variant="subtitle2"
              underline="hover"
              onClick={() => onOpen(lead.id)}
              sx={{ textAlign: 'left', display: 'block', maxWidth: '100%' }}
              noWrap
              title={name}
            >
              {name}
            </Link>
          ) : (
            <Typography variant="subtitle2" component="p" noWrap title={name}>
              {name}
            </Typography>
          )}
          {lead.company && (
            <Typography variant="body2" color="text.secondary" noWrap title={lead.company}>
              {lead.company}
            </Typography>
          )}
        </Box>
        {onMove && (
          <>
            <IconButton
              size="small"
              aria-label={`Move ${name} to…`}
              aria-haspopup="menu"
              aria-expanded={menuAnchor !== null}
              onClick={(event) => setMenuAnchor(event.currentTarget)}
              onPointerDown={(event) => event.stopPropagation()}
            >
              <MoreVertIcon fontSize="small" />
            </IconButton>
            {/* Mounted only while open: a closed MUI Menu still costs hooks on every card render. */}
            {menuAnchor !== null && (
              <Menu anchorEl={menuAnchor} open onClose={close}>
                {leadStatuses
                  .filter((status) => status !== lead.status)
                  .map((status) => (
                    <MenuItem key={status} onClick={() => move({ kind: 'status', status })}>
                      Move to {status}
                    </MenuItem>
                  ))}
                <MenuItem disabled={!canMoveUp} onClick={() => move({ kind: 'step', delta: -1 })}>
                  Move up
                </MenuItem>
                <MenuItem disabled={!canMoveDown} onClick={() => move({ kind: 'step', delta: 1 })}>
                  Move down
                </MenuItem>
              </Menu>
            )}
          </>
        )}
      </Stack>
      <Box sx={{ pl: '5px' }}>
        {/* The deal value is never cut: this row spans the card's width (under the handle and the menu too),
            and when the priority and the value still do not fit side by side, the value wraps below. */}
        <Stack
          direction="row"
          useFlexGap
          sx={{
            mt: 0.5,
            alignItems: 'center',
            minWidth: 0,
            flexWrap: 'wrap',
            columnGap: 0.75,
            rowGap: 0.25,
          }}
        >
          <Chip size="small" label={lead.priority} color={priorityColor[lead.priority]} variant="outlined" />
          {lead.value !== null && (
            // Wraps below the priority before it would shrink (a flex line breaks on the content's width);
            // only a value wider than the whole card is cut, and then it has its tooltip.
            <Typography
              variant="body2"
              noWrap
              title={money.exact(lead.value)}
              sx={{ fontVariantNumeric: 'tabular-nums', minWidth: 0 }}
            >
              {money.exact(lead.value)}
            </Typography>
          )}
          {lead.contactId !== '' && (
            <Tooltip title="Linked to a contact">
              <LinkIcon fontSize="small" color="action" titleAccess="Linked to a contact" />
            </Tooltip>
          )}
          {pending && <PendingMark />}
        </Stack>
        {nextWork && (
          <Box sx={{ mt: 0.5 }}>
            <NextWorkLabel work={nextWork} />
          </Box>
        )}
      </Box>
    </Card>
  );
});

/**
 * A card wired to dnd-kit: the whole card drags with the pointer, the handle with the keyboard. Memoized:
 * its column re-renders on every scroll step, the cards already shown need not (dnd-kit's own state still
 * reaches them through its contexts).
 */
export const SortableLeadCard = memo(function SortableLeadCard({
  dropEdge,
  ...props
}: LeadCardViewProps & { dropEdge: DropEdge | null }) {
  const theme = useTheme();
  const { attributes, listeners, setNodeRef, setActivatorNodeRef, transform, transition, isDragging } =
    useSortable({ id: props.lead.id, data: { type: 'card', status: props.lead.status } });
  // Stable while dnd-kit's own values are, so the memoized card view skips re-rendering during a drag.
  const handleProps = useMemo(
    () => ({
      ...attributes,
      ref: setActivatorNodeRef,
      onKeyDown: listeners?.onKeyDown as KeyboardEventHandler | undefined,
    }),
    [attributes, listeners, setActivatorNodeRef],
  );
  return (
    <div
      ref={setNodeRef}
      style={{
        transform: CSS.Translate.toString(transform),
        transition,
        borderRadius: theme.shape.borderRadius,
        boxShadow:
          dropEdge === null
            ? undefined
            : `0 ${dropEdge === 'top' ? -4 : 4}px 0 0 ${theme.palette.primary.main}`,
      }}
      onPointerDown={listeners?.onPointerDown as PointerEventHandler | undefined}
    >
      <LeadCardView {...props} dragging={isDragging} handleProps={handleProps} />
    </div>
  );
});
