import type { SvgIconComponent } from '@mui/icons-material';
import AddCircleOutlineIcon from '@mui/icons-material/AddCircleOutlineOutlined';
import DeleteOutlineIcon from '@mui/icons-material/DeleteOutlined';
import EmojiEventsOutlinedIcon from '@mui/icons-material/EmojiEventsOutlined';
import LinkIcon from '@mui/icons-material/Link';
import LinkOffIcon from '@mui/icons-material/LinkOff';
import ReplayIcon from '@mui/icons-material/Replay';
import RestoreFromTrashOutlinedIcon from '@mui/icons-material/RestoreFromTrashOutlined';
import SyncAltIcon from '@mui/icons-material/SyncAlt';
import UploadFileOutlinedIcon from '@mui/icons-material/UploadFileOutlined';
import {
  Alert,
  Avatar,
  Box,
  Chip,
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
import { useTeamMembers } from '@renderer/modules/team/hooks/useTeamMembers';
import { errorMessage } from '@renderer/modules/ui/utils/errorMessage';
import { formatDateTime } from '@renderer/modules/ui/utils/formatDateTime';
import type { Activity, ActivityKind } from '@shared/schemas';
import { type ReactNode, useEffect, useMemo, useState } from 'react';
import { map } from 'rxjs';
import { formatRelativeTime } from '../utils/relativeTime';

export type ActivityTimelineProps =
  | { contactId: string; leadId?: undefined; title?: string }
  | { leadId: string; contactId?: undefined; title?: string };

const kindPresentation: Record<ActivityKind, { label: string; Icon: SvgIconComponent; color: string }> = {
  created: { label: 'Created', Icon: AddCircleOutlineIcon, color: 'primary.main' },
  rule: { label: 'Synced', Icon: SyncAltIcon, color: 'info.main' },
  converted: { label: 'Converted', Icon: EmojiEventsOutlinedIcon, color: 'success.main' },
  reopened: { label: 'Reopened', Icon: ReplayIcon, color: 'warning.main' },
  linked: { label: 'Linked', Icon: LinkIcon, color: 'primary.main' },
  unlinked: { label: 'Unlinked', Icon: LinkOffIcon, color: 'text.secondary' },
  deleted: { label: 'Deleted', Icon: DeleteOutlineIcon, color: 'error.main' },
  restored: { label: 'Restored', Icon: RestoreFromTrashOutlinedIcon, color: 'success.main' },
  imported: { label: 'Imported', Icon: UploadFileOutlinedIcon, color: 'primary.main' },
};

/** Re-render every minute so "5 minutes ago" stays true while the view is open. */
function useNow(intervalMs = 60_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}

/**
 * The audit trail of one contact or lead (what the link rules did: created, converted, reopened, fields
 * synced, linked/unlinked), newest first, live. Mount it in a detail view:
 * `<ActivityTimeline contactId={contact.id} />` or `<ActivityTimeline leadId={lead.id} />`.
 */
export function ActivityTimeline(props: ActivityTimelineProps) {
  const db = useDatabase();
  const key = props.contactId !== undefined ? 'contactId' : 'leadId';
  const id = props.contactId ?? props.leadId;
  const activities$ = useMemo(
    () =>
      db.activities
        .find({ selector: { [key]: id }, sort: [{ createdAt: 'desc' }] })
        .$.pipe(map((docs) => docs.map((doc) => doc._data as Activity))),
    [db, key, id],
  );
  const { value: activities, ready, error } = useObservable<Activity[]>(activities$, []);
  const { value: members } = useTeamMembers();
  const memberNames = useMemo(() => new Map(members.map((member) => [member.id, member.name])), [members]);
  const now = useNow();
  const title = props.title ?? 'Activity';
  const headingId = `activity-${key}-${id}`;

  let body: ReactNode;
  if (error) body = <Alert severity="error">Could not load the activity: {errorMessage(error)}</Alert>;
  else if (!ready) body = <CircularProgress size={20} aria-label="Loading the activity" />;
  else if (activities.length === 0)
    body = (
      <Typography color="text.secondary" variant="body2">
        No activity yet. Conversions, reopenings and data synced between the linked contact and lead show up
        here.
      </Typography>
    );
  else
    body = (
      <List dense aria-labelledby={headingId} disablePadding>
        {activities.map((activity) => {
          const { label, Icon, color } = kindPresentation[activity.kind];
          const by =
            memberNames.get(activity.updatedBy) ??
            (activity.updatedBy === db.crm.userId ? 'you' : activity.updatedBy);
          return (
            <ListItem key={activity.id} alignItems="flex-start" disableGutters>
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
                  <Stack direction="row" spacing={1} sx={{ alignItems: 'baseline', flexWrap: 'wrap' }}>
                    <Typography variant="body2" sx={{ fontWeight: 600 }}>
                      {label}
                    </Typography>
                    <Typography variant="body2">{activity.summary}</Typography>
                  </Stack>
                }
                secondary={
                  <Stack
                    direction="row"
                    spacing={1}
                    sx={{ alignItems: 'center', flexWrap: 'wrap', mt: 0.25 }}
                  >
                    <Tooltip title={formatDateTime(activity.createdAt)}>
                      <Typography
                        component="time"
                        variant="caption"
                        color="text.secondary"
                        dateTime={new Date(activity.createdAt).toISOString()}
                      >
                        {formatRelativeTime(activity.createdAt, now)}
                      </Typography>
                    </Tooltip>
                    {by && (
                      <Typography variant="caption" color="text.secondary">
                        by {by}
                      </Typography>
                    )}
                    {activity.statusBefore !== '' && activity.statusAfter !== '' && (
                      <Chip
                        size="small"
                        variant="outlined"
                        label={`${activity.statusBefore} → ${activity.statusAfter}`}
                      />
                    )}
                    {activity.rule && activity.rule !== 'reconcile' && (
                      <Typography variant="caption" color="text.secondary">
                        rule {activity.rule}
                      </Typography>
                    )}
                    {activity.rule === 'reconcile' && (
                      <Typography variant="caption" color="text.secondary">
                        repaired by the reconciler
                      </Typography>
                    )}
                  </Stack>
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
