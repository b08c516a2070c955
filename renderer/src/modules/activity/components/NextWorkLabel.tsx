import Box from '@mui/material/Box';
import Typography from '@mui/material/Typography';
import type { Activity } from '@shared/schemas';
import { useNow } from '../hooks/useNow';
import { formatDue, isOverdue } from '../utils/formatDue';
import { kindPresentation } from '../utils/kindPresentation';

/**
 * One line for a card or a table row: the next planned work ("Call · Today 14:00"), red when overdue.
 * The full text is in the title, so a truncated line can still be read.
 */
export function NextWorkLabel({ work }: { work: Activity | undefined }) {
  const now = useNow();
  if (!work) return null;
  const { label, Icon } = kindPresentation[work.kind];
  const overdue = isOverdue(work.dueAt, now);
  const text = `${work.subject || label} · ${formatDue(work.dueAt, now)}${overdue ? ' (overdue)' : ''}`;
  return (
    <Box
      data-testid="next-work"
      data-overdue={overdue}
      title={`Next: ${label.toLowerCase()} "${work.subject}", ${formatDue(work.dueAt, now)}${overdue ? ', overdue' : ''}`}
      sx={{
        display: 'flex',
        alignItems: 'center',
        gap: 0.5,
        minWidth: 0,
        color: overdue ? 'error.main' : 'text.secondary',
      }}
    >
      <Icon sx={{ fontSize: 16, flexShrink: 0 }} aria-hidden />
      <Typography variant="caption" noWrap sx={{ color: 'inherit', fontWeight: overdue ? 600 : 400 }}>
        {text}
      </Typography>
    </Box>
  );
}
