import type { MenuCommand } from '@shared/bridge/types';
import type { MenuItemConstructorOptions } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import { applicationMenuTemplate } from './menu';

function flatten(items: MenuItemConstructorOptions[]): MenuItemConstructorOptions[] {
  return items.flatMap((item) => [item, ...(Array.isArray(item.submenu) ? flatten(item.submenu) : [])]);
}

function clickAll(platform: NodeJS.Platform, isDevelopment = false) {
  const send = vi.fn<(command: MenuCommand) => void>();
  const items = flatten(applicationMenuTemplate({ platform, isDevelopment, send, showAbout: vi.fn() }));
  for (const item of items) item.click?.(undefined as never, undefined, undefined as never);
  return { send, items };
}

describe('application menu', () => {
  const allCommands: MenuCommand[] = [
    'new-contact',
    'new-lead',
    'open-settings',
    'open-sync-issues',
    'toggle-sync',
    'search-everywhere',
    'open-contacts',
    'open-leads',
    'open-pipeline',
    'show-shortcuts',
  ];

  it.each(['linux', 'win32', 'darwin'] as const)('reaches every menu command on %s', (platform) => {
    const { send } = clickAll(platform);
    expect(new Set(send.mock.calls.map(([command]) => command))).toEqual(new Set(allCommands));
  });

  it('has File, View, Sync and Help menus with the commands the spec names', () => {
    const template = applicationMenuTemplate({
      platform: 'linux',
      isDevelopment: false,
      send: vi.fn(),
      showAbout: vi.fn(),
    });
    const labels = template.map((item) => item.label ?? item.role);
    expect(labels).toEqual(expect.arrayContaining(['&File', '&View', '&Sync', 'help']));
    const items = flatten(template).map((item) => item.label);
    expect(items).toEqual(expect.arrayContaining(['New contact', 'New lead', 'Sync issues', 'Settings']));
  });

  it('shows the keyboard shortcuts of search, views and help with their accelerators', () => {
    const items = flatten(
      applicationMenuTemplate({ platform: 'linux', isDevelopment: false, send: vi.fn(), showAbout: vi.fn() }),
    );
    const accelerator = (label: string) => items.find((item) => item.label === label)?.accelerator;
    expect(accelerator('Search everywhere…')).toBe('CmdOrCtrl+K');
    expect(accelerator('Contacts')).toBe('CmdOrCtrl+1');
    expect(accelerator('Pipeline')).toBe('CmdOrCtrl+3');
    expect(accelerator('Keyboard shortcuts')).toBe('F1');
  });

  it('offers reload and developer tools only in development builds', () => {
    const roles = (isDevelopment: boolean) => clickAll('linux', isDevelopment).items.map((item) => item.role);
    expect(roles(false)).not.toContain('toggleDevTools');
    expect(roles(false)).not.toContain('reload');
    expect(roles(true)).toContain('toggleDevTools');
  });
});
