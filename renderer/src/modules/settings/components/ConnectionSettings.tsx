import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useSync } from '@renderer/modules/sync/hooks/useSync';
import { type ConnectionState, connectionStateOf } from '@renderer/modules/sync/utils/connectionState';
import { asSentence } from '@renderer/modules/ui/utils/asSentence';
import { errorMessage } from '@renderer/modules/ui/utils/errorMessage';
import { type FormEvent, useEffect, useState } from 'react';

const stateSentences: Record<Exclude<ConnectionState, 'error'>, string> = {
  'not-connected':
    'Not connected: everything is kept on this device. Enter your server and token to share with your team.',
  offline: 'Offline: changes are kept on this device and sent when the server is reachable.',
  syncing: 'Connected, syncing with the server…',
  synced: 'Connected and synced: this device and the server hold the same data.',
};

/** The one sentence (and its severity) Settings shows for the connection. */
function describeConnection(state: ConnectionState, pending: number, lastError: string | null) {
  if (state === 'error')
    return {
      severity: 'error' as const,
      text: `Sync error: ${asSentence(lastError ?? 'synchronization failed')} Check the server URL and token, then connect again.`,
    };
  const waiting = pending > 0 ? ` ${pending} change(s) waiting to be sent.` : '';
  const severity = state === 'synced' ? ('success' as const) : ('info' as const);
  return { severity, text: `${stateSentences[state]}${waiting}` };
}

/** Server URL + access token; Connect stores them through the bridge and (re)starts replication. */
export function ConnectionSettings() {
  const sync = useSync();
  const [serverUrl, setServerUrl] = useState(sync.serverUrl);
  const [token, setToken] = useState('');
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const state = connectionStateOf(sync.status, sync.connected);
  const connection = describeConnection(state, sync.status.pending, sync.status.lastError);

  // The stored URL arrives asynchronously at start-up.
  useEffect(() => setServerUrl((current) => (current === '' ? sync.serverUrl : current)), [sync.serverUrl]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setFormError(null);
    try {
      await sync.connect(serverUrl, token);
      setToken('');
    } catch (error) {
      setFormError(errorMessage(error));
    } finally {
      setBusy(false);
    }
  };

  const disconnect = async () => {
    setBusy(true);
    setFormError(null);
    try {
      await sync.disconnect();
    } catch (error) {
      setFormError(`Could not disconnect: ${errorMessage(error)}`);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Box component="form" aria-label="Sync server" noValidate onSubmit={submit}>
      <Typography variant="h6" component="h2" gutterBottom>
        Sync server
      </Typography>
      <Typography color="text.secondary" sx={{ mb: 2 }}>
        Everything works without a server. Connect to your team's server to share contacts and leads between
        devices; the token comes from your administrator.
      </Typography>
      <Box sx={{ display: 'grid', gap: 2, maxWidth: 560 }}>
        <TextField
          label="Server URL"
          name="serverUrl"
          type="url"
          placeholder="https://sync.example.com"
          value={serverUrl}
          onChange={(event) => setServerUrl(event.target.value)}
          autoComplete="url"
        />
        <TextField
          label="Access token"
          name="accessToken"
          type="password"
          value={token}
          onChange={(event) => setToken(event.target.value)}
          autoComplete="off"
          helperText={
            state === 'synced' || state === 'syncing' || state === 'offline'
              ? 'Connected. Enter a token only to reconnect with another one.'
              : ' '
          }
        />
      </Box>
      {formError !== null && (
        <Alert severity="error" sx={{ mt: 2, maxWidth: 560 }}>
          {formError}
        </Alert>
      )}
      {sync.loaded && (
        <Alert
          severity={connection.severity}
          data-testid="connection-state"
          data-state={state}
          sx={{ mt: 2, maxWidth: 560 }}
        >
          {connection.text}
        </Alert>
      )}
      <Box sx={{ display: 'flex', gap: 1, mt: 2 }}>
        <Button type="submit" variant="contained" disabled={busy}>
          Connect
        </Button>
        <Button variant="outlined" onClick={disconnect} disabled={busy || !sync.connected}>
          Disconnect
        </Button>
      </Box>
    </Box>
  );
}
