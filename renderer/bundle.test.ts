import { fileURLToPath } from 'node:url';
import { build, type Rolldown } from 'vite';
import { describe, expect, it } from 'vitest';

const configFile = fileURLToPath(new URL('./vite.config.ts', import.meta.url));

/** The renderer's chunks as `npm run build:renderer` (electron) or `npm run web` (web) builds them. */
async function bundledChunks(mode: 'electron' | 'web'): Promise<Rolldown.OutputChunk[]> {
  const result = await build({
    configFile,
    mode,
    logLevel: 'silent',
    build: { write: false, minify: false },
  });
  const outputs = (Array.isArray(result) ? result : [result]) as Rolldown.RolldownOutput[];
  return outputs
    .flatMap((output) => output.output)
    .filter((file): file is Rolldown.OutputChunk => file.type === 'chunk');
}

/** All of the renderer's JavaScript. */
async function bundledCode(mode: 'electron' | 'web'): Promise<string> {
  return (await bundledChunks(mode)).map((chunk) => chunk.code).join('\n');
}

/**
 * The code of the first screen (the contacts list): the entry chunk, the contacts page's chunk and the
 * chunks they import, transitively.
 */
function firstScreenCode(chunks: Rolldown.OutputChunk[]): string {
  const byName = new Map(chunks.map((chunk) => [chunk.fileName, chunk]));
  const starts = chunks.filter(
    (chunk) => chunk.isEntry || chunk.facadeModuleId?.endsWith('/pages/ContactsPage.tsx'),
  );
  if (starts.length !== 2) throw new Error('the build has no entry chunk or no contacts page chunk');
  const loaded = new Set<string>();
  const pending = starts.map((chunk) => chunk.fileName);
  for (let name = pending.pop(); name !== undefined; name = pending.pop()) {
    if (loaded.has(name)) continue;
    loaded.add(name);
    pending.push(...(byName.get(name)?.imports ?? []));
  }
  return [...loaded].map((name) => byName.get(name)!.code).join('\n');
}

/**
 * Code the first screen does not need, kept out of its chunks (loaded on first use, and fetched after the
 * first screen has its data): a string literal of each, which survives minification.
 */
const notOnFirstScreen = {
  'replication (shared/sync/replication/start-sync.ts)': 'This database is already syncing',
  'duplicate detection (shared/sync/duplicates/detect.ts)': 'duplicates-checkpoint',
  'CSV export and import (papaparse)': 'Unable to auto-detect delimiting character',
  'global search dialog': 'Search contacts and leads by name, email, company or phone',
  'shortcuts help dialog': 'Keyboard shortcuts',
};

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

  it("the first screen's chunks hold none of the code it does not need", async () => {
    const chunks = await bundledChunks('web');
    const all = chunks.map((chunk) => chunk.code).join('\n');
    const firstScreen = firstScreenCode(chunks);
    const present = Object.entries(notOnFirstScreen).filter(([, marker]) => all.includes(marker));
    expect(
      present.map(([what]) => what),
      'markers found in the bundle at all',
    ).toEqual(Object.keys(notOnFirstScreen));
    expect(present.filter(([, marker]) => firstScreen.includes(marker)).map(([what]) => what)).toEqual([]);
  }, 300_000);
});
