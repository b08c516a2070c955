import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromiumArgs, chromiumExecutable } from '@e2e/support/chromium';
import { type BrowserContext, chromium } from 'playwright-core';
import { build, preview } from 'vite';

const root = fileURLToPath(new URL('../..', import.meta.url));

/**
 * The real renderer (built as for `npm run web`) with the bench page beside it, served on a fixed port, in a
 * Chromium profile whose IndexedDB holds `contacts` + `leads`: seeded on first use and kept by the profile
 * directory (the port is fixed because the database belongs to the origin). For profile-ui and walkthrough-ui.
 */
export async function openSeededRenderer(options: {
  servedDir: string;
  userDataDir: string;
  port: number;
  contacts: number;
  leads: number;
  /** false reuses what `servedDir` holds from an earlier call. */
  build: boolean;
  sourcemap?: boolean;
  acceptDownloads?: boolean;
}): Promise<{ url: string; context: BrowserContext; close(): Promise<void> }> {
  if (options.build) {
    await build({
      configFile: `${root}renderer/vite.config.ts`,
      mode: 'web',
      logLevel: 'warn',
      build: { outDir: options.servedDir, emptyOutDir: true, sourcemap: options.sourcemap ?? false },
    });
    await build({
      configFile: `${root}bench/vite.config.ts`,
      logLevel: 'warn',
      build: { outDir: `${options.servedDir}/bench`, emptyOutDir: false },
    });
  }
  const server = await preview({
    configFile: false,
    root,
    logLevel: 'warn',
    build: { outDir: options.servedDir },
    preview: { host: '127.0.0.1', port: options.port, strictPort: true, open: false },
  });
  const url = server.resolvedUrls!.local[0]!;
  mkdirSync(options.userDataDir, { recursive: true });
  const context = await chromium.launchPersistentContext(options.userDataDir, {
    executablePath: chromiumExecutable,
    args: chromiumArgs,
    headless: true,
    viewport: { width: 1400, height: 900 },
    acceptDownloads: options.acceptDownloads ?? false,
  });
  await context.addInitScript({ content: 'globalThis.__name = (fn) => fn;' });

  const { contacts, leads } = options;
  const seededMark = `${options.userDataDir}/seeded-${contacts}-${leads}`;
  if (!existsSync(seededMark)) {
    const page = await context.newPage();
    await page.goto(`${url}bench/index.html`);
    await page.waitForFunction(() => window.fieldbookBench !== undefined);
    const started = Date.now();
    await page.evaluate((counts) => window.fieldbookBench!.seedAppDatabase(counts), { contacts, leads });
    console.log(
      `seeded ${contacts} contacts + ${leads} leads in ${((Date.now() - started) / 1000).toFixed(0)} s`,
    );
    writeFileSync(seededMark, '');
    await page.close();
  }
  return {
    url,
    context,
    close: async () => {
      await context.close();
      await server.close();
    },
  };
}
