import Box from '@mui/material/Box';
import Paper from '@mui/material/Paper';
import Typography from '@mui/material/Typography';
import { ConnectionSettings } from '../modules/settings/components/ConnectionSettings';
import { DataCheck } from '../modules/settings/components/DataCheck';
import { TeamSettingsForm } from '../modules/settings/components/TeamSettingsForm';
import { DepartmentsManager } from '../modules/team/components/DepartmentsManager';

export function SettingsPage() {
  return (
    <Box sx={{ overflowY: 'auto' }}>
      <Typography variant="h5" component="h1" sx={{ mb: 2, fontWeight: 600 }}>
        Settings
      </Typography>
      <Paper variant="outlined" sx={{ p: 2, mb: 2 }}>
        <ConnectionSettings />
      </Paper>
      <Paper variant="outlined" sx={{ p: 2, mb: 2 }}>
        <TeamSettingsForm />
      </Paper>
      <Paper variant="outlined" sx={{ p: 2, mb: 2 }}>
        <DepartmentsManager />
      </Paper>
      <Paper variant="outlined" sx={{ p: 2 }}>
        <DataCheck />
      </Paper>
    </Box>
  );
}
