import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { OpenWorkProvider } from './modules/activity/components/OpenWorkProvider';
import { AppThemeProvider } from './modules/app/components/AppThemeProvider';
import { ErrorBoundary } from './modules/app/components/ErrorBoundary';
import { DatabaseProvider, openDatabase } from './modules/database/components/DatabaseProvider';
import { NotificationProvider } from './modules/feedback/components/NotificationProvider';
import { UndoableDeleteProvider } from './modules/feedback/components/UndoableDeleteProvider';
import { TeamSettingsProvider } from './modules/settings/components/TeamSettingsProvider';
import { SyncProvider } from './modules/sync/components/SyncProvider';

// IndexedDB opens while React renders the first time; a failure is shown by DatabaseProvider.
openDatabase().catch(() => {});

const container = document.getElementById('root');
if (container === null) throw new Error('index.html has no #root element');

createRoot(container).render(
  <StrictMode>
    <AppThemeProvider>
      <ErrorBoundary title="Fieldbook could not start">
        <DatabaseProvider>
          <SyncProvider>
            <NotificationProvider>
              <UndoableDeleteProvider>
                <TeamSettingsProvider>
                  <OpenWorkProvider>
                    <App />
                  </OpenWorkProvider>
                </TeamSettingsProvider>
              </UndoableDeleteProvider>
            </NotificationProvider>
          </SyncProvider>
        </DatabaseProvider>
      </ErrorBoundary>
    </AppThemeProvider>
  </StrictMode>,
);
