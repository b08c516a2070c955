import {
  Alert,
  Avatar,
  Box,
  CircularProgress,
  List,
  ListItem,
  ListItemAvatar,
  ListItemText,
  Stack,
  Tooltip,
  Typography,
} from '@mui/material';
import { useDatabase } from '@renderer/modules/database/hooks/useDatabase';
import { useObservable } from '@renderer/modules/database/hooks/useObservable';
import { errorMessage } from '@renderer/modules/ui/utils/errorMessage';
import { formatDateTime } from '@renderer/modules/ui/utils/formatDateTime';
import { type Activity, isWorkKind } from '@shared/schemas';
import { type ReactNode, useMemo } from 'react';
import { map } from 'rxjs';
import { useDescribers } from '../hooks/useDescribers';
import { useNow } from '../hooks/useNow';
import { describeActivity } from '../utils/describeActivity';
import { kindPresentation } from '../utils/kindPresentation';
import { formatRelativeTime } from '../utils/relativeTime';

export type ActivityTimelineProps =
  | { contactId: string; leadId?: undefined; title?: string }
  | { leadId: string; contactId?: undefined; title?: string };

/** What only an engineer needs: shown in a tooltip, never in the line itself. */
function technicalDetails(activity: Activity): string {
  const parts = [`Entry ${activity.id}`, `kind ${activity.kind}`];
  if (activity.rule) parts.push(`rule ${activity.rule}`);
  if (activity.fields.length > 0) parts.push(`fields ${activity.fields.join(', ')}`);
  return parts.join(' · ');
}

/**
 * The timeline of one contact or lead, newest first, live: calls, meetings, notes and done tasks, edits
 * with their values, what the link rules and sync did. Open planned work is listed apart (next steps).
 */
export function ActivityTimeline(props: ActivityTimelineProps) {
  const db = useDatabase();
  const key = props.contactId !== undefined ? 'contactId' : 'leadId';
  const id = props.contactId ?? props.leadId;
  const activities$ = useMemo(
    () =>
      db.activities
        // Entries of one write share a millisecond; their ids (uuid v7) keep the order they were made in,
        // so a stage move is listed before the conversion it caused.
        .find({ selector: { [key]: id } as never, sort: [{ createdAt: 'desc' }, { id: 'desc' }] })
        .$.pipe(
          map((docs) =>
            docs
              .map((doc) => doc._data as Activity)
              // Open planned work is a next step, not history yet.
              .filter((activity) => !(isWorkKind(activity.kind) && activity.doneAt === 0)),
          ),
        ),
    [db, key, id],
  );
  const { value: activities, ready, error } = useObservable<Activity[]>(activities$, []);
  const describers = useDescribers();
  const now = useNow();
  const title = props.title ?? 'History';
  const headingId = `activity-${key}-${id}`;

  let body: ReactNode;
  if (error) body = <Alert severity="error">Could not load the history: {errorMessage(error)}</Alert>;
  else if (!ready) body = <CircularProgress size={20} aria-label="Loading the history" />;
  else if (activities.length === 0)
    body = (
      <Typography color="text.secondary" variant="body2">
        Nothing yet. Calls, meetings and notes you log, edits, and data synced between the linked contact and
        lead show up here.
      </Typography>
    );
  else
    body = (
      <List dense aria-labelledby={headingId} disablePadding>
        {activities.map((activity) => {
          const { label, Icon, color } = kindPresentation[activity.kind];
          const description = describeActivity(activity, describers);
          const at = isWorkKind(activity.kind) && activity.doneAt > 0 ? activity.doneAt : activity.createdAt;
          return (
            <ListItem key={activity.id} alignItems="flex-start" disableGutters data-kind={activity.kind}>
              <ListItemAvatar sx={{ minWidth: 44 }}>
                <Avatar
                  sx={{
                    width: 32,
                    height: 32,
                    bgcolor: 'transparent',
                    color,
                    border: 1,
                    borderColor: 'divider',
                  }}
                >
                  <Icon fontSize="small" aria-hidden />
                </Avatar>
              </ListItemAvatar>
              <ListItemText
                disableTypography
                primary={
                  <Tooltip title={technicalDetails(activity)} placement="top-start">
                    <Typography variant="body2" sx={{ overflowWrap: 'anywhere' }}>
                      <Box component="span" sx={{ fontWeight: 600 }}>
                        {label}
                      </Box>
                      {description.text && ` ${description.text}`}
                    </Typography>
                  </Tooltip>
                }
                secondary={
                  <>
                    {description.changes.map((line) => (
                      <Typography
                        key={line}
                        variant="body2"
                        color="text.secondary"
                        sx={{ overflowWrap: 'anywhere' }}
                      >
                        {line}
                      </Typography>
                    ))}
                    {isWorkKind(activity.kind) && activity.body && activity.subject && (
                      <Typography variant="body2" color="text.secondary" sx={{ whiteSpace: 'pre-wrap' }}>
                        {activity.body}
                      </Typography>
                    )}
                    <Stack
                      direction="row"
                      spacing={1}
                      sx={{ alignItems: 'center', flexWrap: 'wrap', mt: 0.25 }}
                    >
                      <Tooltip title={formatDateTime(at)}>
                        <Typography
                          component="time"
                          variant="caption"
                          color="text.secondary"
                          dateTime={new Date(at).toISOString()}
                        >
                          {formatRelativeTime(at, now)}
                        </Typography>
                      </Tooltip>
                      <Typography variant="caption" color="text.secondary">
                        {activity.rule === 'reconcile'
                          ? 'repaired automatically'
                          : activity.rule
                            ? `automatically, after an edit by ${describers.personOf(activity.updatedBy)}`
                            : `by ${describers.personOf(activity.updatedBy)}`}
                      </Typography>
                    </Stack>
                  </>
                }
              />
            </ListItem>
          );
        })}
      </List>
    );

  return (
    <Box component="section" aria-labelledby={headingId}>
      <Typography id={headingId} variant="h6" component="h2" gutterBottom>
        {title}
      </Typography>
      {body}
    </Box>
  );
}
