import ContactsOutlined from '@mui/icons-material/ContactsOutlined';
import ContentCopyOutlined from '@mui/icons-material/ContentCopyOutlined';
import ImportExportOutlined from '@mui/icons-material/ImportExportOutlined';
import ReportProblemOutlined from '@mui/icons-material/ReportProblemOutlined';
import SettingsOutlined from '@mui/icons-material/SettingsOutlined';
import TodayOutlined from '@mui/icons-material/TodayOutlined';
import TrendingUp from '@mui/icons-material/TrendingUp';
import ViewKanbanOutlined from '@mui/icons-material/ViewKanbanOutlined';
import AppBar from '@mui/material/AppBar';
import Badge from '@mui/material/Badge';
import Box from '@mui/material/Box';
import Drawer from '@mui/material/Drawer';
import GlobalStyles from '@mui/material/GlobalStyles';
import LinearProgress from '@mui/material/LinearProgress';
import List from '@mui/material/List';
import ListItem from '@mui/material/ListItem';
import ListItemButton from '@mui/material/ListItemButton';
import ListItemIcon from '@mui/material/ListItemIcon';
import ListItemText from '@mui/material/ListItemText';
import Toolbar from '@mui/material/Toolbar';
import Typography from '@mui/material/Typography';
import { useMyDueWork } from '@renderer/modules/activity/hooks/useMyDueWork';
import { useDuplicateDetection, useDuplicatePairs } from '@renderer/modules/duplicates/hooks/useDuplicates';
import { KeyboardShortcuts } from '@renderer/modules/shortcuts/components/KeyboardShortcuts';
import { SyncIndicator } from '@renderer/modules/sync/components/SyncIndicator';
import { useSync } from '@renderer/modules/sync/hooks/useSync';
import { useSyncIssueCount } from '@renderer/modules/sync/hooks/useSyncIssueCount';
import { NavLink, Outlet, useLocation } from 'react-router';
import { ErrorBoundary } from './ErrorBoundary';

const DRAWER_WIDTH = 220;

const navigation = [
  { to: '/today', label: 'Today', Icon: TodayOutlined },
  { to: '/contacts', label: 'Contacts', Icon: ContactsOutlined },
  { to: '/leads', label: 'Leads', Icon: TrendingUp },
  { to: '/pipeline', label: 'Pipeline', Icon: ViewKanbanOutlined },
  { to: '/duplicates', label: 'Duplicates', Icon: ContentCopyOutlined },
  { to: '/import-export', label: 'Import / export', Icon: ImportExportOutlined },
  { to: '/settings', label: 'Settings', Icon: SettingsOutlined },
  { to: '/sync-issues', label: 'Sync issues', Icon: ReportProblemOutlined },
] as const;

export function AppShell() {
  const issueCount = useSyncIssueCount();
  const location = useLocation();
  const syncState = useSync().status.state;
  const due = useMyDueWork();
  const dueCount = due.overdue.length + due.today.length;
  useDuplicateDetection();
  const duplicateCount = useDuplicatePairs().value.length;
  const counts: Partial<Record<string, number>> = {
    '/today': dueCount,
    '/sync-issues': issueCount,
    '/duplicates': duplicateCount,
  };
  return (
    <Box sx={{ display: 'flex', height: '100vh' }}>
      <GlobalStyles styles={{ '@keyframes fieldbook-spin': { to: { transform: 'rotate(360deg)' } } }} />
      <Box
        component="a"
        href="#main"
        sx={{
          position: 'absolute',
          left: -9999,
          zIndex: 2000,
          '&:focus': { left: 8, top: 8, p: 1, bgcolor: 'background.paper', color: 'text.primary' },
        }}
      >
        Skip to content
      </Box>
      <AppBar position="fixed" sx={{ zIndex: (theme) => theme.zIndex.drawer + 1 }}>
        <Toolbar>
          <Typography variant="h6" component="p" sx={{ flexGrow: 1, fontWeight: 700 }}>
            Fieldbook
          </Typography>
          <KeyboardShortcuts />
          <SyncIndicator />
        </Toolbar>
        {/* Long syncs (the first pull of a big team) show that work is going on, not only the word. */}
        {syncState === 'syncing' && (
          <LinearProgress
            aria-label="Synchronizing with the server"
            color="inherit"
            sx={{ position: 'absolute', bottom: 0, left: 0, right: 0, height: 2 }}
          />
        )}
      </AppBar>
      <Drawer
        variant="permanent"
        sx={{
          width: { xs: 64, md: DRAWER_WIDTH },
          flexShrink: 0,
          '& .MuiDrawer-paper': { width: { xs: 64, md: DRAWER_WIDTH }, boxSizing: 'border-box' },
        }}
      >
        <Toolbar />
        <Box component="nav" aria-label="Main">
          <List>
            {navigation.map(({ to, label, Icon }) => (
              <ListItem key={to} disablePadding>
                <ListItemButton
                  component={NavLink}
                  to={to}
                  aria-label={label}
                  sx={{ '&.active': { bgcolor: 'action.selected', fontWeight: 600 } }}
                >
                  <ListItemIcon sx={{ minWidth: 40 }}>
                    {counts[to] !== undefined ? (
                      <Badge
                        badgeContent={counts[to]}
                        color={
                          (to === '/today' && due.overdue.length === 0) || to === '/duplicates'
                            ? 'primary'
                            : 'error'
                        }
                        aria-hidden
                      >
                        <Icon />
                      </Badge>
                    ) : (
                      <Icon aria-hidden />
                    )}
                  </ListItemIcon>
                  <ListItemText primary={label} sx={{ display: { xs: 'none', md: 'block' } }} />
                </ListItemButton>
              </ListItem>
            ))}
          </List>
        </Box>
      </Drawer>
      <Box
        component="main"
        id="main"
        tabIndex={-1}
        sx={{ flexGrow: 1, display: 'flex', flexDirection: 'column', minWidth: 0, outline: 'none' }}
      >
        <Toolbar />
        <Box sx={{ flex: 1, minHeight: 0, display: 'flex', flexDirection: 'column', p: { xs: 1.5, md: 3 } }}>
          {/* Keyed by path: an error on one page must not stay on screen after navigating elsewhere. */}
          <ErrorBoundary key={location.pathname}>
            <Outlet />
          </ErrorBoundary>
        </Box>
      </Box>
    </Box>
  );
}
