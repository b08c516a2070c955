/**
 * Electron main process: one hardened window over the built renderer, the typed IPC bridge behind
 * `window.api`, the application menu, and secure token storage. Security choices follow Electron's
 * security checklist; each one is commented where it is made.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { MenuCommand } from '@shared/bridge/types';
import {
  app,
  BrowserWindow,
  dialog,
  type IpcMainInvokeEvent,
  ipcMain,
  Menu,
  protocol,
  type Session,
  safeStorage,
  session,
  shell,
  type WebContents,
} from 'electron';
import {
  APP_ENTRY_URL,
  APP_SCHEME,
  CONTENT_SECURITY_POLICY,
  externalUrlOrNull,
  isAppUrl,
  isPermissionGranted,
} from './app-origin';
import { APP_VERSION_ARGUMENT, channels } from './channels';
import { connectionSettingsSchema, tokenSchema } from './ipc-contract';
import { applicationMenuTemplate } from './menu';
import { rendererFileFor, rendererHeadersFor } from './renderer-files';
import { createSettingsStore, createTokenStore, TokenStorageUnavailableError } from './stores';

/** dist/main/index.cjs → dist/renderer (renderer/vite.config.ts builds there). */
const rendererDir = join(__dirname, '..', 'renderer');
const preloadPath = join(__dirname, 'preload.cjs');

// Must run before `ready`: a standard + secure scheme gets a real origin (IndexedDB, CSP 'self').
protocol.registerSchemesAsPrivileged([
  { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
]);
// Every renderer is sandboxed, including any a library might create.
app.enableSandbox();
// A separate profile (settings, token, IndexedDB) per directory: used by the Electron E2E test and for
// running a second, independent device on one machine.
if (process.env.FIELDBOOK_USER_DATA_DIR) app.setPath('userData', process.env.FIELDBOOK_USER_DATA_DIR);

let mainWindow: BrowserWindow | null = null;

function reportError(context: string, error: unknown): void {
  console.error(`[fieldbook] ${context}:`, error);
}

/** Serves the built renderer on app://fieldbook with the CSP as a response header. */
function serveRenderer(target: Session): void {
  target.protocol.handle(APP_SCHEME, async (request) => {
    const filePath = rendererFileFor(rendererDir, request.url);
    if (filePath === null) return new Response('Not found', { status: 404 });
    try {
      const body = await readFile(filePath);
      return new Response(body, { headers: rendererHeadersFor(filePath) });
    } catch (error) {
      reportError(`cannot serve ${request.url}`, error);
      return new Response('Not found', { status: 404 });
    }
  });
}

function lockDownSession(target: Session): void {
  // No camera, microphone, geolocation, notifications, HID, …: a CRM list needs none of them.
  target.setPermissionRequestHandler((_contents, permission, callback, details) =>
    callback(isPermissionGranted(permission, details.requestingUrl)),
  );
  target.setPermissionCheckHandler((_contents, permission, requestingOrigin) =>
    isPermissionGranted(permission, requestingOrigin),
  );
  target.setDevicePermissionHandler(() => false);
  // Defense in depth: any document response that reaches this session carries the strict CSP too.
  target.webRequest.onHeadersReceived((details, callback) => {
    const isDocument = details.resourceType === 'mainFrame' || details.resourceType === 'subFrame';
    callback({
      responseHeaders: isDocument
        ? { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] }
        : details.responseHeaders,
    });
  });
}

function openExternally(url: string): void {
  const safeUrl = externalUrlOrNull(url);
  if (safeUrl === null) {
    reportError('refused to open a non-http(s) link', url);
    return;
  }
  shell.openExternal(safeUrl).catch((error: unknown) => reportError(`cannot open ${safeUrl}`, error));
}

/** Navigation and new windows: the app never leaves its origin; http(s) links go to the OS browser. */
function lockDownContents(contents: WebContents): void {
  contents.setWindowOpenHandler(({ url }) => {
    openExternally(url);
    return { action: 'deny' };
  });
  const blockForeignNavigation = (event: { preventDefault(): void }, url: string) => {
    if (isAppUrl(url)) return;
    event.preventDefault();
    openExternally(url);
  };
  contents.on('will-navigate', blockForeignNavigation);
  contents.on('will-redirect', blockForeignNavigation);
  contents.on('will-attach-webview', (event) => event.preventDefault());
}

/** IPC is answered only for the app's own page, never for a frame from another origin. */
function handle<Result>(channel: string, listener: (...args: unknown[]) => Promise<Result>): void {
  ipcMain.handle(channel, (event: IpcMainInvokeEvent, ...args: unknown[]) => {
    const senderUrl = event.senderFrame?.url ?? '';
    if (!isAppUrl(senderUrl))
      throw new Error(`IPC ${channel} refused for ${senderUrl || 'an unknown frame'}`);
    return listener(...args);
  });
}

function registerBridge(): void {
  const userData = app.getPath('userData');
  const settings = createSettingsStore(userData, (message) => console.warn(`[fieldbook] ${message}`));
  const tokens = createTokenStore(userData, safeStorage);
  let toldUserAboutKeychain = false;

  handle(channels.getSettings, () => settings.read());
  handle(channels.saveSettings, (value) => settings.write(connectionSettingsSchema.parse(value)));
  handle(channels.getToken, () => tokens.read());
  handle(channels.setToken, async (value) => {
    try {
      await tokens.write(tokenSchema.parse(value));
    } catch (error) {
      // The renderer shows the rejection too; the dialog makes sure the user learns why once per run.
      if (error instanceof TokenStorageUnavailableError && !toldUserAboutKeychain && mainWindow !== null) {
        toldUserAboutKeychain = true;
        void dialog.showMessageBox(mainWindow, {
          type: 'warning',
          title: 'Access token not saved',
          message: 'The access token was not saved.',
          detail: error.message,
        });
      }
      throw error;
    }
  });
}

function sendMenuCommand(command: MenuCommand): void {
  if (mainWindow === null) return;
  mainWindow.webContents.send(channels.menuCommand, command);
  if (mainWindow.isMinimized()) mainWindow.restore();
  mainWindow.focus();
}

function showAbout(): void {
  const options = {
    type: 'info' as const,
    title: 'About Fieldbook CRM',
    message: `Fieldbook CRM ${app.getVersion()}`,
    detail: `Offline-first CRM for field sales.\nElectron ${process.versions.electron}, Chromium ${process.versions.chrome}`,
  };
  void (mainWindow === null ? dialog.showMessageBox(options) : dialog.showMessageBox(mainWindow, options));
}

function createMainWindow(): BrowserWindow {
  const window = new BrowserWindow({
    width: 1280,
    height: 820,
    minWidth: 900,
    minHeight: 600,
    title: 'Fieldbook CRM',
    show: false,
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      // A middle click must not open a link in a new window around setWindowOpenHandler (Electronegativity AUXCLICK).
      disableBlinkFeatures: 'Auxclick',
      // Replication keeps running while the window is hidden or minimized.
      backgroundThrottling: false,
      additionalArguments: [`${APP_VERSION_ARGUMENT}${app.getVersion()}`],
    },
  });
  window.once('ready-to-show', () => window.show());
  window.webContents.on('did-fail-load', (_event, code, description, url) =>
    reportError(`failed to load ${url}`, `${code} ${description}`),
  );
  window.webContents.on('render-process-gone', (_event, details) => {
    reportError('renderer process gone', details.reason);
    if (details.reason === 'clean-exit') return;
    const choice = dialog.showMessageBoxSync(window, {
      type: 'error',
      title: 'Fieldbook CRM',
      message: 'The window stopped unexpectedly.',
      detail: `Reason: ${details.reason}. Your saved data is kept on this computer.`,
      buttons: ['Reload', 'Quit'],
      defaultId: 0,
    });
    // From the entry URL, not reload(): a deep route's relative asset paths would not resolve on reload.
    if (choice === 0)
      window.loadURL(APP_ENTRY_URL).catch((error: unknown) => reportError('reload failed', error));
    else app.quit();
  });
  window.on('closed', () => {
    if (mainWindow === window) mainWindow = null;
  });
  window.loadURL(APP_ENTRY_URL).catch((error: unknown) => reportError('cannot load the renderer', error));
  return window;
}

function focusMainWindow(): void {
  if (mainWindow === null) {
    mainWindow = createMainWindow();
    return;
  }
  if (mainWindow.isMinimized()) mainWindow.restore();
  mainWindow.show();
  mainWindow.focus();
}

// One instance per user: a second launch focuses the running window instead of opening the same
// IndexedDB database from two processes.
if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', focusMainWindow);
  app.on('web-contents-created', (_event, contents) => lockDownContents(contents));
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) focusMainWindow();
  });
  app
    .whenReady()
    .then(() => {
      lockDownSession(session.defaultSession);
      serveRenderer(session.defaultSession);
      registerBridge();
      Menu.setApplicationMenu(
        Menu.buildFromTemplate(
          applicationMenuTemplate({
            platform: process.platform,
            isDevelopment: !app.isPackaged,
            send: sendMenuCommand,
            showAbout,
          }),
        ),
      );
      focusMainWindow();
    })
    .catch((error: unknown) => {
      reportError('start-up failed', error);
      dialog.showErrorBox(
        'Fieldbook CRM could not start',
        error instanceof Error ? error.message : String(error),
      );
      app.exit(1);
    });
}
