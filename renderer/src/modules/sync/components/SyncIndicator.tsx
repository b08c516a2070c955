import CloudDoneOutlined from '@mui/icons-material/CloudDoneOutlined';
import CloudOffOutlined from '@mui/icons-material/CloudOffOutlined';
import ErrorOutline from '@mui/icons-material/ErrorOutlineOutlined';
import Sync from '@mui/icons-material/Sync';
import Box from '@mui/material/Box';
import Link from '@mui/material/Link';
import Tooltip from '@mui/material/Tooltip';
import Typography from '@mui/material/Typography';
import type { SyncStatus } from '@shared/sync';
import { Link as RouterLink } from 'react-router';
import { useSync } from '../hooks/useSync';
import { type ConnectionState, connectionLabels, connectionStateOf } from '../utils/connectionState';

const icons: Record<ConnectionState, typeof Sync> = {
  'not-connected': CloudOffOutlined,
  offline: CloudOffOutlined,
  syncing: Sync,
  synced: CloudDoneOutlined,
  error: ErrorOutline,
};

function statusDescription(status: SyncStatus, connected: boolean): string {
  if (!connected && status.state !== 'error')
    return 'No sync server is set: everything stays on this device. Open Settings to connect.';
  if (status.state === 'error') return status.lastError ?? 'Synchronization failed.';
  if (status.state === 'offline') return 'No connection to the sync server; changes are kept on this device.';
  if (status.state === 'syncing') return 'Exchanging changes with the sync server…';
  return 'Everything on this device is on the sync server.';
}

/**
 * Always-visible replication state. The role="status" element holds only the state word, so screen
 * readers announce each change and the text stays exactly "Not connected" / "Offline" / "Syncing" /
 * "Synced" / "Sync error"; without a server, a link leads to Settings;
 * the pending count sits beside it and the details are in the tooltip (reachable with the keyboard).
 */
export function SyncIndicator() {
  const { status, connected } = useSync();
  const state = connectionStateOf(status, connected);
  const Icon = icons[state];
  return (
    <Box sx={{ display: 'flex', alignItems: 'center', gap: 1 }}>
      <Tooltip title={statusDescription(status, connected)} describeChild>
        <Box
          tabIndex={0}
          data-testid="sync-indicator"
          sx={{
            display: 'flex',
            alignItems: 'center',
            gap: 1,
            borderRadius: 2,
            px: 1.5,
            py: 0.5,
            '&:focus-visible': { outline: '2px solid currentColor' },
          }}
        >
          <Icon
            fontSize="small"
            aria-hidden
            sx={state === 'syncing' ? { animation: 'fieldbook-spin 1.2s linear infinite' } : undefined}
          />
          <Box
            role="status"
            data-state={state}
            component="span"
            sx={{ fontWeight: 600, whiteSpace: 'nowrap' }}
          >
            {connectionLabels[state]}
          </Box>
          {status.pending > 0 && (
            <Typography component="span" variant="caption" data-testid="sync-pending" sx={{ opacity: 0.85 }}>
              {status.pending} pending
            </Typography>
          )}
        </Box>
      </Tooltip>
      {state === 'not-connected' && (
        <Link component={RouterLink} to="/settings" color="inherit" underline="always" sx={{ fontSize: 14 }}>
          Set up sync
        </Link>
      )}
    </Box>
  );
}
