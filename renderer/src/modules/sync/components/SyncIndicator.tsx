import CloudDoneOutlined from '@mui/icons-material/CloudDoneOutlined';
import CloudOffOutlined from '@mui/icons-material/CloudOffOutlined';
import ErrorOutline from '@mui/icons-material/ErrorOutlineOutlined';
import Sync from '@mui/icons-material/Sync';
import Box from '@mui/material/Box';
import LinearProgress from '@mui/material/LinearProgress';
import Tooltip from '@mui/material/Tooltip';
import Typography from '@mui/material/Typography';
import type { SyncStatus } from '@shared/sync';
import { useSync } from '../hooks/useSync';

const labels: Record<SyncStatus['state'], string> = {
  offline: 'Offline',
  syncing: 'Syncing',
  synced: 'Synced',
  error: 'Sync error',
};

const icons: Record<SyncStatus['state'], typeof Sync> = {
  offline: CloudOffOutlined,
  syncing: Sync,
  synced: CloudDoneOutlined,
  error: ErrorOutline,
};

function statusDescription(status: SyncStatus, connected: boolean): string {
  if (!connected && status.state !== 'error')
    return 'Not connected to a sync server. Open Settings to connect.';
  if (status.state === 'error') return status.lastError ?? 'Synchronization failed.';
  if (status.state === 'offline') return 'No connection to the sync server; changes are kept on this device.';
  if (status.state === 'syncing') return 'Exchanging changes with the sync server…';
  return 'Everything on this device is on the sync server.';
}

/**
 * Always-visible replication state. The role="status" element holds only the state word, so screen
 * readers announce each change and the text stays exactly "Offline" / "Syncing" / "Synced" / "Sync error";
 * the pending count sits beside it and the details are in the tooltip (reachable with the keyboard).
 */
export function SyncIndicator() {
  const { status, connected } = useSync();
  const Icon = icons[status.state];
  return (
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
          sx={status.state === 'syncing' ? { animation: 'fieldbook-spin 1.2s linear infinite' } : undefined}
        />
        <Box role="status" data-state={status.state} component="span" sx={{ fontWeight: 600 }}>
          {labels[status.state]}
        </Box>
        {status.firstSync && status.state === 'syncing' && status.received > 0 && (
          // First sync of this device: how much has arrived (the total is not known before the last page).
          <Box sx={{ display: 'flex', alignItems: 'center', gap: 1 }} data-testid="sync-first-progress">
            <LinearProgress sx={{ width: 64 }} aria-label="First sync progress" />
            <Typography component="span" variant="caption" sx={{ opacity: 0.85 }}>
              {status.received.toLocaleString()} received
            </Typography>
          </Box>
        )}
        {status.pending > 0 && (
          <Typography component="span" variant="caption" data-testid="sync-pending" sx={{ opacity: 0.85 }}>
            {status.pending} pending
          </Typography>
        )}
      </Box>
    </Tooltip>
  );
}
