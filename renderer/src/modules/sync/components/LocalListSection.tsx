import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Chip from '@mui/material/Chip';
import List from '@mui/material/List';
import ListItem from '@mui/material/ListItem';
import Paper from '@mui/material/Paper';
import Typography from '@mui/material/Typography';
import { errorMessage } from '@renderer/modules/ui/utils/errorMessage';
import { formatDateTime } from '@renderer/modules/ui/utils/formatDateTime';
import type { LocalListItem } from '@shared/sync';
import { type ReactNode, useState } from 'react';

type LocalListSectionProps<T extends LocalListItem> = {
  /** The heading's id, which names the section. */
  id: string;
  heading: string;
  items: T[];
  /** Shown when the list is empty: what that means. */
  empty: string;
  /** Beside the heading, while the list has items (e.g. "Clear"). */
  headerAction?: (run: RunAction) => ReactNode;
  /** One card per item. */
  renderItem: (item: T, run: RunAction) => ReactNode;
};

/** Runs a user's action on the list; its failure is told above the list ("Could not <what>: …"). */
type RunAction = (action: Promise<unknown>, what: string) => void;

/**
 * One device-local list (shared/sync/local-list.ts): the sync issues and the rule errors. Each item is a
 * card with its kind, time, message and actions; a failed action is told above the list.
 */
export function LocalListSection<T extends LocalListItem>({
  id,
  heading,
  items,
  empty,
  headerAction,
  renderItem,
}: LocalListSectionProps<T>) {
  const [actionError, setActionError] = useState<string | null>(null);
  const run: RunAction = (action, what) => {
    action.catch((error: unknown) => setActionError(`Could not ${what}: ${errorMessage(error)}`));
  };
  return (
    <Box component="section" aria-labelledby={id} sx={{ mb: 3 }}>
      <Box sx={{ display: 'flex', alignItems: 'center', gap: 2, mb: 1 }}>
        <Typography id={id} variant="h6" component="h2">
          {`${heading} (${items.length})`}
        </Typography>
        {items.length > 0 && headerAction?.(run)}
      </Box>
      {actionError !== null && (
        <Alert severity="error" sx={{ mb: 1 }}>
          {actionError}
        </Alert>
      )}
      {items.length === 0 ? (
        <Typography color="text.secondary">{empty}</Typography>
      ) : (
        <List disablePadding sx={{ display: 'grid', gap: 1 }}>
          {items.map((item) => (
            <ListItem key={item.id} disablePadding>
              {renderItem(item, run)}
            </ListItem>
          ))}
        </List>
      )}
    </Box>
  );
}

type LocalListCardProps = {
  /** The card's accessible name. */
  label: string;
  kind: { label: string; color: 'warning' | 'error' };
  /** Bold, after the kind (e.g. the record's name). */
  title?: string;
  at: number;
  children: ReactNode;
  actions: ReactNode;
};

export function LocalListCard({ label, kind, title, at, children, actions }: LocalListCardProps) {
  return (
    <Paper variant="outlined" sx={{ p: 2, width: '100%' }} component="article" aria-label={label}>
      <Box sx={{ display: 'flex', gap: 1, alignItems: 'center', flexWrap: 'wrap', mb: 0.5 }}>
        <Chip size="small" color={kind.color} variant="outlined" label={kind.label} />
        {title !== undefined && <Typography sx={{ fontWeight: 600 }}>{title}</Typography>}
        <Typography variant="body2" color="text.secondary">
          {formatDateTime(at)}
        </Typography>
      </Box>
      {children}
      <Box sx={{ display: 'flex', gap: 1, mt: 1 }}>{actions}</Box>
    </Paper>
  );
}
