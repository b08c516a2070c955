import type { ConnectionSettings, FieldbookBridge } from '../../../shared/bridge/types';

/**
 * Browser implementation of the preload bridge for `npm run web`. There is no OS keychain in a
 * browser, so the token lives in localStorage of the renderer's origin (documented in README).
 */
const SETTINGS_KEY = 'fieldbook.settings';
const TOKEN_KEY = 'fieldbook.token';

function readSettings(storage: Storage): ConnectionSettings {
  const raw = storage.getItem(SETTINGS_KEY);
  if (raw === null) return { serverUrl: '' };
  try {
    const parsed = JSON.parse(raw) as Partial<ConnectionSettings>;
    return { serverUrl: typeof parsed.serverUrl === 'string' ? parsed.serverUrl : '' };
  } catch (error) {
    console.warn('Ignoring unreadable stored settings', error);
    return { serverUrl: '' };
  }
}

export function createWebBridge(storage: Storage = window.localStorage): FieldbookBridge {
  return {
    platform: 'web',
    appVersion: import.meta.env.VITE_APP_VERSION ?? '0.0.0',
    async getSettings() {
      return readSettings(storage);
    },
    async saveSettings(settings) {
      storage.setItem(SETTINGS_KEY, JSON.stringify({ serverUrl: settings.serverUrl }));
    },
    async getToken() {
      return storage.getItem(TOKEN_KEY);
    },
    async setToken(token) {
      if (token === null) storage.removeItem(TOKEN_KEY);
      else storage.setItem(TOKEN_KEY, token);
    },
    // A browser has no application menu, so no command ever arrives.
    onMenuCommand() {
      return () => undefined;
    },
  };
}
