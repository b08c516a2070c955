import { fileURLToPath } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';
import { build, type PreviewServer, preview } from 'vite';

const configFile = fileURLToPath(new URL('../vite.config.ts', import.meta.url));

/** The flags every Chromium in this project runs with (team brief). */
export const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export type BenchBrowser = {
  url: string;
  browser: Browser;
  /** A fresh page (its own JS realm: RxDB allows 16 open collections per realm) with the bench bundle loaded. */
  openPage(): Promise<Page>;
  close(): Promise<void>;
};

/** Builds the bench bundle, serves it on 127.0.0.1 and starts headless Debian Chromium. */
export async function startBenchBrowser(port: number): Promise<BenchBrowser> {
  await build({ configFile, logLevel: 'warn' });
  const server: PreviewServer = await preview({
    configFile,
    logLevel: 'warn',
    preview: { host: '127.0.0.1', port, strictPort: false, open: false },
  });
  const url = server.resolvedUrls?.local[0];
  if (!url) throw new Error('the bench page server did not report its URL');
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: chromiumArgs,
    headless: true,
  });
  const context = await browser.newContext();
  return {
    url,
    browser,
    async openPage() {
      const page = await context.newPage();
      page.on('pageerror', (error) => console.error(`[page] ${error.message}`));
      page.on('console', (message) => {
        if (message.type() === 'error') console.error(`[page] ${message.text()}`);
      });
      await page.goto(url);
      await page.waitForFunction(() => window.fieldbookBench !== undefined);
      return page;
    },
    async close() {
      await browser.close();
      await server.close();
    },
  };
}
