import { fileURLToPath } from 'node:url';
import { chromiumArgs, chromiumExecutable } from '@e2e/support/chromium';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { build, type PreviewServer, preview } from 'vite';

const benchConfig = fileURLToPath(new URL('../vite.config.ts', import.meta.url));
const rendererConfig = fileURLToPath(new URL('../../renderer/vite.config.ts', import.meta.url));

export type BenchBrowser = {
  /** Origin root: the app (when built) at /, the bench page at /bench/. */
  url: string;
  /** Where the served builds are (their source maps too, when asked for). */
  servedDir: string;
  browser: Browser;
  /** One context: its IndexedDB (seeded for the UI figures) lives as long as the browser. */
  context: BrowserContext;
  /** Increments when Chromium had to be restarted (its storage, e.g. the UI seed, is then gone). */
  generation: number;
  /** Restarts Chromium if something outside killed it. */
  ensureBrowser(): Promise<void>;
  /** A fresh page (its own JS realm: RxDB allows 13 open collections per realm) with the bench bundle loaded. */
  openPage(): Promise<Page>;
  /** A context of its own (empty IndexedDB), e.g. for a figure that must start from an empty app database. */
  newContext(): Promise<BrowserContext>;
  close(): Promise<void>;
};

/**
 * Builds the bench bundle (and, for the UI figures, the real renderer as `npm run web` builds it), serves
 * both from one origin on 127.0.0.1 and starts headless Debian Chromium.
 */
async function contextOf(browser: Browser): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  // tsx (esbuild keepNames) wraps named functions in `__name(fn, "name")`; functions that Playwright
  // serializes into the page carry that call, so the page needs the helper (identity is enough).
  await context.addInitScript({ content: 'globalThis.__name = (fn) => fn;' });
  return context;
}

export async function startBenchBrowser(options: {
  port: number;
  withApp: boolean;
  /** Source maps of the app's and the bench page's builds, for CPU profiles (bench/profile-*.ts). */
  sourcemap?: boolean;
}): Promise<BenchBrowser> {
  // One origin for both builds (the bench page seeds the very IndexedDB the app then opens); one directory
  // per port so two bench runs never rebuild each other's files.
  const servedDir = fileURLToPath(new URL(`../../dist-bench/${options.port}`, import.meta.url));
  if (options.withApp) {
    await build({
      configFile: rendererConfig,
      mode: 'web',
      logLevel: 'warn',
      build: { outDir: servedDir, emptyOutDir: true, sourcemap: options.sourcemap ?? false },
    });
  }
  await build({
    configFile: benchConfig,
    logLevel: 'warn',
    build: {
      outDir: `${servedDir}/bench`,
      emptyOutDir: !options.withApp,
      sourcemap: options.sourcemap ?? false,
    },
  });
  const server: PreviewServer = await preview({
    configFile: false,
    root: fileURLToPath(new URL('../..', import.meta.url)),
    logLevel: 'warn',
    build: { outDir: servedDir },
    preview: { host: '127.0.0.1', port: options.port, strictPort: false, open: false },
  });
  const url = server.resolvedUrls?.local[0];
  if (!url) throw new Error('the bench page server did not report its URL');
  const launch = async () => {
    const browser = await chromium.launch({
      executablePath: chromiumExecutable,
      args: chromiumArgs,
      headless: true,
    });
    return { browser, context: await contextOf(browser) };
  };
  let current = await launch();
  const bench: BenchBrowser = {
    url,
    servedDir,
    browser: current.browser,
    context: current.context,
    generation: 1,
    async ensureBrowser() {
      if (current.browser.isConnected()) return;
      console.warn('[bench] Chromium went away (killed from outside?); starting a new one');
      current = await launch();
      bench.browser = current.browser;
      bench.context = current.context;
      bench.generation += 1;
    },
    async openPage() {
      await bench.ensureBrowser();
      const page = await bench.context.newPage();
      reportPageErrors(page);
      await page.goto(`${url}bench/index.html`);
      await page.waitForFunction(() => window.fieldbookBench !== undefined);
      return page;
    },
    async newContext() {
      await bench.ensureBrowser();
      return contextOf(bench.browser);
    },
    async close() {
      await current.browser.close();
      await server.close();
    },
  };
  return bench;
}

/** Prints the page's crashes, uncaught errors (with their stack) and console errors, its workers' included. */
export function reportPageErrors(page: Page): void {
  page.on('crash', () => console.error('[page] crashed'));
  page.on('pageerror', (error) => console.error(`[page] ${error.stack ?? error.message}`));
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    const worker = message.worker();
    const where = worker ? `worker ${worker.url().split('/').pop()}` : 'page';
    const { url, lineNumber } = message.location();
    console.error(`[${where}] ${message.text()}${url ? ` (${url.split('/').pop()}:${lineNumber})` : ''}`);
  });
}
