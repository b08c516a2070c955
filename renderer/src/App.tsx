import type { ComponentType } from 'react';
import { createBrowserRouter, Navigate, Outlet, RouterProvider } from 'react-router';
import { AppShell } from './modules/app/components/AppShell';
import { MenuCommandHandler } from './modules/app/components/MenuCommandHandler';
import { RouteError } from './modules/app/components/RouteError';
import { fetchedAhead } from './modules/app/utils/chunksAhead';
import { SyncProblemNotifier } from './modules/sync/components/SyncProblemNotifier';

function Root() {
  return (
    <>
      <MenuCommandHandler />
      <SyncProblemNotifier />
      <Outlet />
    </>
  );
}

/**
 * A route whose page is its own chunk, loaded when the route is first visited (the start-up route's while
 * the database opens) or fetched ahead: the first screen does not wait for the code of the others.
 */
function lazyPage<K extends string, M extends Record<K, ComponentType>>(load: () => Promise<M>, name: K) {
  const loadPage = fetchedAhead(load);
  return () => loadPage().then((page) => ({ Component: page[name] }));
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
          {
            path: 'today',
            lazy: lazyPage(() => import('./pages/TodayPage'), 'TodayPage'),
          },
          {
            path: 'contacts',
            lazy: lazyPage(() => import('./pages/ContactsPage'), 'ContactsPage'),
          },
          {
            path: 'contacts/new',
            lazy: lazyPage(() => import('./pages/ContactEditPage'), 'ContactEditPage'),
          },
          {
            path: 'contacts/:id',
            lazy: lazyPage(() => import('./pages/ContactDetailPage'), 'ContactDetailPage'),
          },
          {
            path: 'contacts/:id/edit',
            lazy: lazyPage(() => import('./pages/ContactEditPage'), 'ContactEditPage'),
          },
          {
            path: 'leads',
            lazy: lazyPage(() => import('./pages/LeadsPage'), 'LeadsPage'),
          },
          {
            path: 'leads/new',
            lazy: lazyPage(() => import('./pages/LeadEditPage'), 'LeadEditPage'),
          },
          {
            path: 'leads/:id',
            lazy: lazyPage(() => import('./pages/LeadDetailPage'), 'LeadDetailPage'),
          },
          {
            path: 'leads/:id/edit',
            lazy: lazyPage(() => import('./pages/LeadEditPage'), 'LeadEditPage'),
          },
          {
            path: 'pipeline',
            lazy: lazyPage(() => import('./pages/PipelinePage'), 'PipelinePage'),
          },
          {
            path: 'import-export',
            lazy: lazyPage(() => import('./pages/ImportExportPage'), 'ImportExportPage'),
          },
          {
            path: 'settings',
            lazy: lazyPage(() => import('./pages/SettingsPage'), 'SettingsPage'),
          },
          {
            path: 'sync-issues',
            lazy: lazyPage(() => import('./pages/SyncIssuesPage'), 'SyncIssuesPage'),
          },
          {
            path: 'duplicates',
            lazy: lazyPage(() => import('./pages/DuplicatesPage'), 'DuplicatesPage'),
          },
          {
            path: '*',
            lazy: lazyPage(() => import('./pages/NotFoundPage'), 'NotFoundPage'),
          },
        ],
      },
    ],
  },
]);

export function App() {
  return <RouterProvider router={router} />;
}
