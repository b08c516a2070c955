import { bridge } from '@renderer/bridge';
import { useSync } from '@renderer/modules/sync/hooks/useSync';
import type { MenuCommand } from '@shared/bridge/types';
import { useEffect } from 'react';
import { useNavigate } from 'react-router';

/** Application-menu commands from the desktop shell (none arrive in a plain browser). */
export function MenuCommandHandler() {
  const navigate = useNavigate();
  const sync = useSync();
  useEffect(
    () =>
      bridge.onMenuCommand((command: MenuCommand) => {
        if (command === 'new-contact') navigate('/contacts/new');
        else if (command === 'new-lead') navigate('/leads/new');
        else if (command === 'open-settings') navigate('/settings');
        else if (command === 'open-sync-issues') navigate('/sync-issues');
        else if (command === 'toggle-sync') {
          if (sync.connected)
            sync.disconnect().catch((error: unknown) => console.error('Disconnect failed', error));
          else navigate('/settings');
        }
      }),
    [navigate, sync],
  );
  return null;
}
