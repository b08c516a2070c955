import type { ConnectionSettings, FieldbookBridge } from '@shared/bridge/types';

/**
 * The bridge of the browser build (`npm run web`, see index.web.ts). There is no OS keychain in a
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

/**
 * `npm start` opens the app with `#server=…&token=…` so a newcomer is connected without typing. The
 * fragment never reaches the web server; it is stored as the Settings view would store it and removed from
 * the address bar at once. Returns whether a connection was taken.
 */
export function adoptConnectionFromFragment(storage: Storage, location: Location, history: History): boolean {
  const params = new URLSearchParams(location.hash.replace(/^#/, ''));
  const serverUrl = params.get('server');
  const token = params.get('token');
  if (!serverUrl || !token) return false;
  history.replaceState(history.state, '', location.pathname + location.search);
  if (!/^https?:\/\//i.test(serverUrl)) {
    console.warn('Ignoring a connection link whose server is not an http(s) URL');
    return false;
  }
  storage.setItem(SETTINGS_KEY, JSON.stringify({ serverUrl }));
  storage.setItem(TOKEN_KEY, token);
  return true;
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
