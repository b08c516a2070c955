import Box from '@mui/material/Box';
import Checkbox from '@mui/material/Checkbox';
import Link from '@mui/material/Link';
import List from '@mui/material/List';
import ListItem from '@mui/material/ListItem';
import Typography from '@mui/material/Typography';
import { useDatabase } from '@renderer/modules/database/hooks/useDatabase';
import { useNotify } from '@renderer/modules/feedback/hooks/useNotify';
import { useTeamMembers } from '@renderer/modules/team/hooks/useTeamMembers';
import { errorMessage } from '@renderer/modules/ui/utils/errorMessage';
import type { Activity } from '@shared/schemas';
import { setWorkDone } from '@shared/sync';
import { useMemo } from 'react';
import { Link as RouterLink } from 'react-router';
import { useNow } from '../hooks/useNow';
import { formatDue, isOverdue } from '../utils/formatDue';
import { kindPresentation } from '../utils/kindPresentation';

export type WorkListProps = {
  /** Accessible name of the list. */
  label: string;
  items: readonly Activity[];
  /** Where each item's record is and what it is called (the Today view shows them; a detail page does not). */
  recordOf?: (work: Activity) => { to: string; name: string } | null;
};

/** Open planned work with a checkbox to mark it done; due times in words, overdue ones in red. */
export function WorkList({ label, items, recordOf }: WorkListProps) {
  const db = useDatabase();
  const notify = useNotify();
  const now = useNow();
  const { value: members } = useTeamMembers();
  const names = useMemo(() => new Map(members.map((member) => [member.id, member.name])), [members]);

  const markDone = (work: Activity) => {
    const title = work.subject || kindPresentation[work.kind].label;
    setWorkDone(db, work.id, true).then(
      () =>
        notify({
          message: `Done: ${title}`,
          action: {
            label: 'Undo',
            onClick: () =>
              void setWorkDone(db, work.id, false).catch((error: unknown) =>
                notify({ message: `Could not reopen ${title}: ${errorMessage(error)}`, severity: 'error' }),
              ),
          },
        }),
      (error: unknown) =>
        notify({ message: `Could not mark ${title} done: ${errorMessage(error)}`, severity: 'error' }),
    );
  };

  return (
    <List dense disablePadding aria-label={label}>
      {items.map((work) => {
        const { label: kindLabel, Icon } = kindPresentation[work.kind];
        const overdue = isOverdue(work.dueAt, now);
        const title = work.subject || kindLabel;
        const record = recordOf?.(work) ?? null;
        const assignee =
          work.assignedTo === db.crm.userId ? 'you' : (names.get(work.assignedTo) ?? work.assignedTo);
        return (
          <ListItem key={work.id} disableGutters sx={{ alignItems: 'flex-start', gap: 1 }}>
            <Checkbox
              edge="start"
              size="small"
              checked={false}
              onChange={() => markDone(work)}
              slotProps={{ input: { 'aria-label': `Mark "${title}" done` } }}
              sx={{ mt: -0.5 }}
            />
            <Icon fontSize="small" aria-hidden sx={{ mt: 0.25, color: 'text.secondary' }} />
            <Box sx={{ minWidth: 0, flex: 1 }}>
              <Typography variant="body2" sx={{ fontWeight: 600, overflowWrap: 'anywhere' }}>
                {`${kindLabel}: ${title}`}
                {record && (
                  <>
                    {' · '}
                    <Link component={RouterLink} to={record.to}>
                      {record.name}
                    </Link>
                  </>
                )}
              </Typography>
              <Typography
                variant="caption"
                data-overdue={overdue}
                sx={{ color: overdue ? 'error.main' : 'text.secondary', fontWeight: overdue ? 600 : 400 }}
              >
                {`${formatDue(work.dueAt, now)}${overdue ? ' · overdue' : ''} · ${assignee}`}
              </Typography>
              {work.body && (
                <Typography variant="body2" color="text.secondary" sx={{ whiteSpace: 'pre-wrap' }}>
                  {work.body}
                </Typography>
              )}
            </Box>
          </ListItem>
        );
      })}
    </List>
  );
}
