/**
 * The desktop shell through Playwright's Electron driver: window, security flags, the bridge, CSP,
 * navigation lock-down and the menu → renderer path. Skipped (with the reason) where the Electron binary
 * is not installed, e.g. when `npm install` ran with install scripts disabled or offline.
 */
import { spawnSync } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type ElectronApplication, _electron as electron, expect, type Page, test } from '@playwright/test';
import type { FieldbookBridge } from '@shared/bridge/types';
import type { MenuItem } from 'electron';
import { findElectronBinary } from '../build/electron-binary';

declare global {
  interface Window {
    api?: FieldbookBridge;
  }
}

const binary = findElectronBinary();
if (!binary.available)
  console.warn(`Electron shell tests skipped: the Electron binary is not installed (${binary.reason}).`);
const projectRoot = fileURLToPath(new URL('..', import.meta.url));

test.describe('Electron shell', () => {
  test.skip(
    !binary.available,
    `Electron binary not installed, desktop shell test skipped: ${binary.available ? '' : binary.reason}`,
  );
  test.describe.configure({ mode: 'serial' });

  let app: ElectronApplication;
  let page: Page;
  let userData: string;

  test.beforeAll(async () => {
    test.setTimeout(300_000);
    if (!binary.available) return;
    // The app under test is what `npm start` / `npm run dist` ship: the renderer and main/preload bundles.
    const build = spawnSync('npm', ['run', 'build'], { cwd: projectRoot, stdio: 'inherit' });
    expect(build.status, 'npm run build').toBe(0);
    userData = await mkdtemp(join(tmpdir(), 'fieldbook-electron-'));
    app = await electron.launch({
      executablePath: binary.path,
      args: [projectRoot],
      cwd: projectRoot,
      env: { ...process.env, FIELDBOOK_USER_DATA_DIR: userData },
    });
    page = await app.firstWindow();
    await page.waitForLoadState('domcontentloaded');
    // Record what would be handed to the OS browser instead of opening one.
    await app.evaluate(({ shell }) => {
      const opened: string[] = [];
      (globalThis as { openedExternally?: string[] }).openedExternally = opened;
      shell.openExternal = async (url: string) => {
        opened.push(url);
      };
    });
  });

  test.afterAll(async () => {
    await app?.close();
    if (userData) await rm(userData, { recursive: true, force: true });
  });

  test('opens one window on the app origin', async () => {
    expect(app.windows()).toHaveLength(1);
    await expect(page).toHaveTitle('Fieldbook CRM');
    expect(page.url()).toMatch(/^app:\/\/fieldbook\//);
  });

  test('runs the renderer isolated and without Node', async () => {
    // Electron has no public getter for webPreferences, so the flags are checked by their effects.
    const pageGlobals = await page.evaluate(() => ({
      require: typeof (globalThis as { require?: unknown }).require,
      process: typeof (globalThis as { process?: unknown }).process,
      // contextBridge hands the page a frozen copy; without contextIsolation there is no bridge at all.
      bridgeFrozen: Object.isFrozen(window.api),
    }));
    expect(pageGlobals).toEqual({ require: 'undefined', process: 'undefined', bridgeFrozen: true });
  });

  test('keeps the page running while the window is hidden (no background throttling)', async () => {
    await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows()[0]!.hide());
    try {
      // With backgroundThrottling off, Electron keeps the page "visible" and its timers at full rate.
      const state = await page.evaluate(async () => {
        const started = performance.now();
        let ticks = 0;
        await new Promise<void>((resolve) => {
          const timer = setInterval(() => {
            ticks += 1;
            if (ticks === 20) {
              clearInterval(timer);
              resolve();
            }
          }, 10);
        });
        return { visibility: document.visibilityState, elapsed: performance.now() - started };
      });
      expect(state.visibility).toBe('visible');
      // 20 ticks of 10 ms; a throttled background page would take ≥ 20 s (one tick per second).
      expect(state.elapsed).toBeLessThan(5000);
    } finally {
      await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows()[0]!.show());
    }
  });

  test('exposes exactly the typed bridge as window.api', async () => {
    const shape = await page.evaluate(() => {
      const api = window.api as unknown as Record<string, unknown>;
      return Object.fromEntries(Object.keys(api).map((key) => [key, typeof api[key]]));
    });
    expect(shape).toEqual({
      platform: 'string',
      appVersion: 'string',
      getSettings: 'function',
      saveSettings: 'function',
      getToken: 'function',
      setToken: 'function',
      onMenuCommand: 'function',
    });
    expect(await page.evaluate(() => window.api!.platform)).toBe('electron');
    const version = JSON.parse(await readFile(join(projectRoot, 'package.json'), 'utf8')).version as string;
    expect(await page.evaluate(() => window.api!.appVersion)).toBe(version);
  });

  test('keeps settings in user data and refuses invalid ones', async () => {
    await page.evaluate(() => window.api!.saveSettings({ serverUrl: 'http://127.0.0.1:8787' }));
    expect(await page.evaluate(() => window.api!.getSettings())).toEqual({
      serverUrl: 'http://127.0.0.1:8787',
    });
    const refused = await page.evaluate(() =>
      window.api!.saveSettings({ serverUrl: 'file:///etc/passwd' }).then(
        () => 'stored',
        () => 'refused',
      ),
    );
    expect(refused).toBe('refused');
  });

  test('stores the token encrypted, or refuses without an OS keychain', async () => {
    const outcome = await page.evaluate(() =>
      window.api!.setToken('fbk_e2e-secret-token').then(
        () => 'stored',
        (error: Error) => error.message,
      ),
    );
    if (outcome === 'stored') {
      expect(await page.evaluate(() => window.api!.getToken())).toBe('fbk_e2e-secret-token');
      for (const file of await readdir(userData)) {
        if (file.endsWith('.bin') || file.endsWith('.json')) {
          expect((await readFile(join(userData, file))).includes('fbk_e2e-secret-token'), file).toBe(false);
        }
      }
    } else {
      expect(outcome).toMatch(/keychain/);
      expect(await page.evaluate(() => window.api!.getToken())).toBeNull();
    }
  });

  test('enforces the content security policy', async () => {
    const result = await page.evaluate(() => {
      const script = document.createElement('script');
      script.textContent = 'window.__inlineScriptRan = true';
      document.head.append(script);
      let evalResult = 'allowed';
      try {
        // biome-ignore lint/security/noGlobalEval: checking that the CSP forbids it.
        eval('1');
      } catch {
        evalResult = 'blocked';
      }
      return { inline: (window as { __inlineScriptRan?: boolean }).__inlineScriptRan ?? false, evalResult };
    });
    expect(result).toEqual({ inline: false, evalResult: 'blocked' });
  });

  test('denies new windows, foreign navigation and permissions', async () => {
    expect(await page.evaluate(() => window.open('https://example.com/docs') === null)).toBe(true);
    await page.evaluate(() => {
      window.location.href = 'https://example.com/elsewhere';
    });
    await page.waitForTimeout(300);
    expect(page.url()).toMatch(/^app:\/\/fieldbook\//);
    expect(app.windows()).toHaveLength(1);
    const opened = await app.evaluate(() => (globalThis as { openedExternally?: string[] }).openedExternally);
    expect(opened).toEqual(['https://example.com/docs', 'https://example.com/elsewhere']);
    expect(await page.evaluate(() => Notification.requestPermission())).toBe('denied');
  });

  test('sends application menu commands to the renderer', async () => {
    const received = page.evaluate(
      () =>
        new Promise<string>((resolve) => {
          const unsubscribe = window.api!.onMenuCommand((command) => {
            unsubscribe();
            resolve(command);
          });
        }),
    );
    await app.evaluate(({ Menu }) => {
      const find = (items: MenuItem[]): MenuItem | undefined => {
        for (const item of items) {
          if (item.label === 'New contact') return item;
          const inner = item.submenu ? find(item.submenu.items) : undefined;
          if (inner) return inner;
        }
        return undefined;
      };
      find(Menu.getApplicationMenu()!.items)!.click();
    });
    expect(await received).toBe('new-contact');
  });
});
