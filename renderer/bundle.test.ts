import { fileURLToPath } from 'node:url';
import { build, type Rolldown } from 'vite';
import { describe, expect, it } from 'vitest';

const configFile = fileURLToPath(new URL('./vite.config.ts', import.meta.url));

/** The renderer's JavaScript as `npm run build:renderer` (electron) or `npm run web` (web) builds it. */
async function bundledCode(mode: 'electron' | 'web'): Promise<string> {
  const result = await build({
    configFile,
    mode,
    logLevel: 'silent',
    build: { write: false, minify: false },
  });
  const outputs = (Array.isArray(result) ? result : [result]) as Rolldown.RolldownOutput[];
  return outputs
    .flatMap((output) => output.output)
    .map((file) => (file.type === 'chunk' ? file.code : ''))
    .join('\n');
}

// Markers of each bridge: the browser one keeps the token in localStorage under this key; the desktop one
// names the preload when window.api is missing.
const browserTokenStorage = 'fieldbook.token';
const electronBridge = 'the Electron preload did not expose window.api';

/**
 * Test support must never ship (testing/ and renderer/src/testing/ are for the Node tests and the e2e-only
 * build): a string literal of each piece, which survives minification.
 */
const testSupport = {
  'testing/database.ts (test user)': 'user-alice',
  'testing/faults.ts': 'Injected failure writing',
  'testing/write-bypassing-hooks.ts': 'test-bypass-hooks',
  'renderer/src/testing/e2eHooks.ts': 'e2e-bypass-hooks',
  'fake-indexeddb': 'The keypath argument contains an invalid key path',
  'RxDB dev-mode': 'RxDB dev-mode warning',
};

function shippedTestSupport(code: string): string[] {
  return Object.entries(testSupport)
    .filter(([, marker]) => code.includes(marker))
    .map(([what]) => what);
}

describe('renderer bundles', () => {
  it('the desktop bundle holds the Electron bridge and no browser token storage', async () => {
    const code = await bundledCode('electron');
    expect(code.includes(electronBridge), 'Electron bridge in the desktop bundle').toBe(true);
    expect(code.includes(browserTokenStorage), 'browser token storage in the desktop bundle').toBe(false);
    expect(shippedTestSupport(code), 'test support in the desktop bundle').toEqual([]);
  }, 300_000);

  it('the browser bundle holds the browser bridge and no Electron code', async () => {
    const code = await bundledCode('web');
    expect(code.includes(browserTokenStorage), 'browser bridge in the browser bundle').toBe(true);
    expect(code.includes(electronBridge), 'Electron bridge in the browser bundle').toBe(false);
    expect(code.includes('window.api'), 'window.api in the browser bundle').toBe(false);
    expect(shippedTestSupport(code), 'test support in the browser bundle').toEqual([]);
  }, 300_000);
});
