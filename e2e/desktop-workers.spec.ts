/**
 * The import's Web Workers as the desktop app ships them, without the Electron binary (electron.spec.ts
 * needs it): the renderer built for Electron (`--mode electron`), served the way main/index.ts serves
 * app://fieldbook (the same file mapping and headers, CSP included: a worker script gets no other
 * policy), in Chromium, the engine Electron embeds. Each worker is started from the URL the built page
 * uses and does its job: the parser reads a file, the writer opens the database and writes a record.
 */
import { readdir, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from '@playwright/test';
import { build } from 'vite';
import { APP_ORIGIN } from '../main/app-origin';
import { rendererFileFor, rendererHeadersFor } from '../main/renderer-files';

const rendererConfig = fileURLToPath(new URL('../renderer/vite.config.ts', import.meta.url));

test.describe('import workers in the desktop build', () => {
  test.describe.configure({ mode: 'serial' });
  let outDir: string;
  let server: Server;
  let origin: string;
  /** Worker script URLs as the built page's code names them (`new Worker(new URL("…", import.meta.url))`). */
  let workerUrls: string[];

  test.beforeAll(async () => {
    // A vite build of the whole renderer: minutes on a loaded 2-core machine.
    test.setTimeout(600_000);
    outDir = join(tmpdir(), `fieldbook-desktop-workers-${process.pid}`);
    await build({
      configFile: rendererConfig,
      mode: 'electron',
      logLevel: 'warn',
      build: { outDir, emptyOutDir: true },
    });
    const scripts = (await readdir(join(outDir, 'assets'))).filter((file) => file.endsWith('.js'));
    workerUrls = [];
    for (const script of scripts) {
      const code = await readFile(join(outDir, 'assets', script), 'utf8');
      // Minified: new Worker(new URL(`/assets/x.worker-HASH.js`,``+import.meta.url),{type:`module`})
      for (const match of code.matchAll(
        /new Worker\(\s*new URL\(\s*(?:\/\*[^*]*\*\/\s*)?["'`]([^"'`]+)["'`]/g,
      ))
        workerUrls.push(match[1]!);
    }
    // main/index.ts's protocol handler, over HTTP: the same file for the same path, the same headers.
    server = createServer(async (request, response) => {
      const file = rendererFileFor(outDir, `${APP_ORIGIN}${request.url ?? '/'}`);
      const body = file === null ? null : await readFile(file).catch(() => null);
      if (file === null || body === null) {
        response.writeHead(404).end('Not found');
        return;
      }
      response.writeHead(200, rendererHeadersFor(file)).end(body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    origin = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  });

  test.afterAll(async () => {
    await new Promise((resolve) => server?.close(resolve));
    if (outDir) await rm(outDir, { recursive: true, force: true });
  });

  test('the built page starts both workers from its own origin', () => {
    expect(workerUrls.map((url) => url.replace(/-[\w-]+\.js$/, '.js')).sort()).toEqual([
      '/assets/importWriter.worker.js',
      '/assets/parseCsv.worker.js',
    ]);
  });

  test('the parse worker reads a file under the desktop CSP', async ({ page }) => {
    await page.goto(`${origin}/index.html`);
    const url = workerUrls.find((candidate) => candidate.includes('parseCsv.worker'))!;
    const parsed = await page.evaluate(
      (scriptUrl) =>
        new Promise<unknown>((resolve) => {
          const worker = new Worker(scriptUrl, { type: 'module' });
          const rows: unknown[] = [];
          worker.onmessage = (event) => {
            const message = event.data as { kind: string; rows?: unknown[] };
            if (message.kind === 'rows') rows.push(...(message.rows ?? []));
            else resolve({ ...message, rows });
          };
          worker.onerror = (event) => resolve({ kind: 'error', message: event.message });
          worker.postMessage(
            new File(['\ufeffFirst Name,Lifecycle Stage\r\nZoë,customer\r\nWei,lead\r\n'], 'people.csv'),
          );
        }),
      url,
    );
    expect(parsed).toMatchObject({
      kind: 'done',
      headers: ['First Name', 'Lifecycle Stage'],
      rows: [
        { 'First Name': 'Zoë', 'Lifecycle Stage': 'customer' },
        { 'First Name': 'Wei', 'Lifecycle Stage': 'lead' },
      ],
    });
  });

  test('the writer worker opens the database and writes a planned row under the desktop CSP', async ({
    page,
  }) => {
    await page.goto(`${origin}/index.html`);
    const url = workerUrls.find((candidate) => candidate.includes('importWriter.worker'))!;
    const outcome = await page.evaluate(
      (scriptUrl) =>
        new Promise<unknown>((resolve) => {
          const worker = new Worker(scriptUrl, { type: 'module' });
          worker.onmessage = (event) => {
            const message = event.data as { kind: string };
            if (message.kind !== 'progress') resolve(message);
          };
          worker.onerror = (event) => resolve({ kind: 'error', message: event.message });
          worker.postMessage({
            kind: 'start',
            databaseName: 'fieldbook-desktop-worker',
            userId: 'u-desktop',
            options: { entity: 'contacts', fileName: 'people.csv', createConvertedContacts: false },
            departments: [],
            total: 1,
          });
          worker.postMessage({
            kind: 'rows',
            rows: [
              {
                kind: 'create',
                row: {
                  rowNumber: 2,
                  document: { id: 'c-desktop-1', firstName: 'Zoë', lastName: 'Ångström', status: 'Active' },
                  issues: [],
                  provided: ['firstName', 'lastName', 'status'],
                  fileId: '',
                  converted: false,
                  times: { createdAt: null, updatedAt: null },
                },
              },
            ],
          });
        }),
      url,
    );
    expect(outcome).toEqual({
      kind: 'done',
      result: { created: 1, updated: 0, convertedContacts: 0, failed: [], cancelled: false },
    });
  });
});
