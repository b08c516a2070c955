/**
 * The only door between the renderer and its host. The Electron preload implements it with IPC
 * (`main/preload.ts`, token kept with `safeStorage`); `npm run web` implements it with browser
 * storage (`renderer/src/bridge/index.web.ts`); the renderer build picks one. Declared on `Window` as `window.api`.
 */
export type ConnectionSettings = {
  serverUrl: string;
};

export type MenuCommand =
  | 'new-contact'
  | 'new-lead'
  | 'open-settings'
  | 'open-sync-issues'
  | 'toggle-sync'
  | 'search-everywhere'
  | 'open-contacts'
  | 'open-leads'
  | 'open-pipeline'
  | 'show-shortcuts';

export type FieldbookBridge = {
  platform: 'electron' | 'web';
  appVersion: string;
  getSettings(): Promise<ConnectionSettings>;
  saveSettings(settings: ConnectionSettings): Promise<void>;
  /** The access token, kept in the OS keychain on desktop. `null` when none is stored. */
  getToken(): Promise<string | null>;
  setToken(token: string | null): Promise<void>;
  /** Application-menu commands; returns an unsubscribe function. */
  onMenuCommand(listener: (command: MenuCommand) => void): () => void;
};
