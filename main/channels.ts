/**
 * IPC channel names shared by main and preload. Kept free of imports so the sandboxed preload bundle stays
 * a single dependency-free file (a sandboxed preload can only `require('electron')`).
 */
export const channels = {
  getSettings: 'fieldbook:settings:get',
  saveSettings: 'fieldbook:settings:save',
  getToken: 'fieldbook:token:get',
  setToken: 'fieldbook:token:set',
  menuCommand: 'fieldbook:menu-command',
} as const;

/** Passed to the preload through `webPreferences.additionalArguments` (read synchronously from argv). */
export const APP_VERSION_ARGUMENT = '--fieldbook-app-version=';
