/**
 * The preload script: the only door between the sandboxed renderer and main. It exposes exactly
 * `FieldbookBridge` as `window.api`; no Electron object (ipcRenderer, events) ever reaches the page.
 * Bundled to a single CommonJS file because a sandboxed preload may only `require('electron')`.
 */

import type { ConnectionSettings, FieldbookBridge, MenuCommand } from '@shared/bridge/types';
import { contextBridge, type IpcRendererEvent, ipcRenderer } from 'electron';
import { APP_VERSION_ARGUMENT, channels } from './channels';

const appVersion =
  process.argv
    .find((argument) => argument.startsWith(APP_VERSION_ARGUMENT))
    ?.slice(APP_VERSION_ARGUMENT.length) ?? '0.0.0';

const api = {
  platform: 'electron',
  appVersion,
  getSettings: (): Promise<ConnectionSettings> => ipcRenderer.invoke(channels.getSettings),
  saveSettings: (settings: ConnectionSettings): Promise<void> =>
    ipcRenderer.invoke(channels.saveSettings, { serverUrl: settings.serverUrl }),
  getToken: (): Promise<string | null> => ipcRenderer.invoke(channels.getToken),
  setToken: (token: string | null): Promise<void> => ipcRenderer.invoke(channels.setToken, token),
  onMenuCommand(listener: (command: MenuCommand) => void): () => void {
    // Only the command crosses over; the IPC event (with its sender) stays in the preload.
    const forward = (_event: IpcRendererEvent, command: MenuCommand) => listener(command);
    ipcRenderer.on(channels.menuCommand, forward);
    return () => {
      ipcRenderer.removeListener(channels.menuCommand, forward);
    };
  },
} satisfies FieldbookBridge;

contextBridge.exposeInMainWorld('api', api);
