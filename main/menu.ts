import type { MenuCommand } from '@shared/bridge/types';
import type { MenuItemConstructorOptions } from 'electron';

export type MenuOptions = {
  platform: NodeJS.Platform;
  /** Reload and developer tools only in unpackaged builds: a packaged app exposes no debugging surface. */
  isDevelopment: boolean;
  send(command: MenuCommand): void;
  showAbout(): void;
};

/** The application menu. Commands go to the renderer over IPC; the renderer decides what they open. */
export function applicationMenuTemplate(options: MenuOptions): MenuItemConstructorOptions[] {
  const { send } = options;
  const isMac = options.platform === 'darwin';
  const command = (
    label: string,
    menuCommand: MenuCommand,
    accelerator?: string,
  ): MenuItemConstructorOptions => ({
    label,
    ...(accelerator === undefined ? {} : { accelerator }),
    click: () => send(menuCommand),
  });
  const appMenu: MenuItemConstructorOptions[] = isMac
    ? [
        {
          role: 'appMenu',
          submenu: [
            { role: 'about' },
            { type: 'separator' },
            command('Settings…', 'open-settings', 'Cmd+,'),
            { type: 'separator' },
            { role: 'services' },
            { type: 'separator' },
            { role: 'hide' },
            { role: 'hideOthers' },
            { role: 'unhide' },
            { type: 'separator' },
            { role: 'quit' },
          ],
        },
      ]
    : [];
  const developmentItems: MenuItemConstructorOptions[] = options.isDevelopment
    ? [{ role: 'reload' }, { role: 'forceReload' }, { role: 'toggleDevTools' }, { type: 'separator' }]
    : [];
  return [
    ...appMenu,
    {
      label: '&File',
      submenu: [
        command('New contact', 'new-contact', 'CmdOrCtrl+N'),
        command('New lead', 'new-lead', 'CmdOrCtrl+Shift+N'),
        { type: 'separator' },
        isMac ? { role: 'close' } : { role: 'quit' },
      ],
    },
    // Without an Edit menu, copy/paste shortcuts do not work in text fields on macOS.
    { role: 'editMenu' },
    {
      label: '&View',
      submenu: [
        command('Search everywhere…', 'search-everywhere', 'CmdOrCtrl+K'),
        command('Contacts', 'open-contacts', 'CmdOrCtrl+1'),
        command('Leads', 'open-leads', 'CmdOrCtrl+2'),
        command('Pipeline', 'open-pipeline', 'CmdOrCtrl+3'),
        { type: 'separator' },
        ...developmentItems,
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
      ],
    },
    {
      label: '&Sync',
      submenu: [
        command('Sync issues', 'open-sync-issues'),
        command('Connect / Disconnect', 'toggle-sync'),
        ...(isMac
          ? []
          : [{ type: 'separator' } as const, command('Settings', 'open-settings', 'CmdOrCtrl+,')]),
      ],
    },
    { role: 'windowMenu' },
    {
      role: 'help',
      submenu: [
        command('Keyboard shortcuts', 'show-shortcuts', 'F1'),
        { label: 'About Fieldbook CRM', click: () => options.showAbout() },
      ],
    },
  ];
}
