import { createBrowserRouter, Navigate, Outlet, RouterProvider } from 'react-router';
import { AppShell } from './modules/app/components/AppShell';
import { MenuCommandHandler } from './modules/app/components/MenuCommandHandler';
import { RouteError } from './modules/app/components/RouteError';
import { SyncProblemNotifier } from './modules/sync/components/SyncProblemNotifier';
import { ContactDetailPage } from './pages/ContactDetailPage';
import { ContactEditPage } from './pages/ContactEditPage';
import { ContactsPage } from './pages/ContactsPage';
import { DuplicatesPage } from './pages/DuplicatesPage';
import { ImportExportPage } from './pages/ImportExportPage';
import { LeadDetailPage } from './pages/LeadDetailPage';
import { LeadEditPage } from './pages/LeadEditPage';
import { LeadsPage } from './pages/LeadsPage';
import { NotFoundPage } from './pages/NotFoundPage';
import { PipelinePage } from './pages/PipelinePage';
import { SettingsPage } from './pages/SettingsPage';
import { SyncIssuesPage } from './pages/SyncIssuesPage';
import { TodayPage } from './pages/TodayPage';

function Root() {
  return (
    <>
      <MenuCommandHandler />
      <SyncProblemNotifier />
      <Outlet />
    </>
  );
}

const router = createBrowserRouter([
  {
    element: <Root />,
    errorElement: <RouteError />,
    children: [
      {
        element: <AppShell />,
        children: [
          { index: true, element: <Navigate to="/contacts" replace /> },
          // The desktop shell loads app://fieldbook/index.html.
          { path: 'index.html', element: <Navigate to="/contacts" replace /> },
          { path: 'today', element: <TodayPage /> },
          { path: 'contacts', element: <ContactsPage /> },
          { path: 'contacts/new', element: <ContactEditPage /> },
          { path: 'contacts/:id', element: <ContactDetailPage /> },
          { path: 'contacts/:id/edit', element: <ContactEditPage /> },
          { path: 'leads', element: <LeadsPage /> },
          { path: 'leads/new', element: <LeadEditPage /> },
          { path: 'leads/:id', element: <LeadDetailPage /> },
          { path: 'leads/:id/edit', element: <LeadEditPage /> },
          { path: 'pipeline', element: <PipelinePage /> },
          { path: 'import-export', element: <ImportExportPage /> },
          { path: 'settings', element: <SettingsPage /> },
          { path: 'sync-issues', element: <SyncIssuesPage /> },
          { path: 'duplicates', element: <DuplicatesPage /> },
          { path: '*', element: <NotFoundPage /> },
        ],
      },
    ],
  },
]);

export function App() {
  return <RouterProvider router={router} />;
}
