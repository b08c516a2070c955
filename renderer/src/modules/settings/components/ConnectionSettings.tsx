import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useSync } from '@renderer/modules/sync/hooks/useSync';
import { errorMessage } from '@renderer/modules/ui/utils/errorMessage';
import { type FormEvent, useEffect, useState } from 'react';

const stateSentences = {
  offline: 'Offline: changes are kept on this device and sent when the server is reachable.',
  syncing: 'Syncing with the server…',
  synced: 'Synced: this device and the server hold the same data.',
  error: 'Sync error.',
} as const;

/** Server URL + access token; Connect stores them through the bridge and (re)starts replication. */
export function ConnectionSettings() {
  const sync = useSync();
  const [serverUrl, setServerUrl] = useState(sync.serverUrl);
  const [token, setToken] = useState('');
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

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
          helperText={sync.connected ? 'Connected. Enter a token only to reconnect with another one.' : ' '}
        />
      </Box>
      {formError !== null && (
        <Alert severity="error" sx={{ mt: 2, maxWidth: 560 }}>
          {formError}
        </Alert>
      )}
      {sync.connected && (
        <Alert severity={sync.status.state === 'error' ? 'error' : 'info'} sx={{ mt: 2, maxWidth: 560 }}>
          {sync.status.state === 'error'
            ? `Sync error: ${sync.status.lastError ?? 'unknown error'}`
            : `${stateSentences[sync.status.state]}${sync.status.pending > 0 ? ` ${sync.status.pending} change(s) waiting to be sent.` : ''}`}
          {sync.status.state !== 'error' &&
            sync.status.lastError !== null &&
            ` Last error: ${sync.status.lastError}`}
        </Alert>
      )}
      {!sync.connected && sync.status.state === 'error' && sync.status.lastError !== null && (
        <Alert severity="error" sx={{ mt: 2, maxWidth: 560 }}>
          {sync.status.lastError}
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
