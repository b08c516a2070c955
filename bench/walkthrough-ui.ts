/**
 * `npx tsx bench/walkthrough-ui.ts [--port=5310] [--profile-dir=DIR] [--shots=DIR] [--no-build]`: a rep's
 * session in the real renderer over 100,000 contacts + 25,000 leads (seeded once, as profile-ui seeds),
 * with screenshots and rough times (performance.now() in the page around each step, the driver's round
 * trips included). Not a figure of record and not a test: it is for looking at the app at that size.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { openSeededRenderer } from './lib/seeded-renderer';

const { values: flags } = parseArgs({
  options: {
    port: { type: 'string', default: '5310' },
    'profile-dir': { type: 'string' },
    shots: { type: 'string', default: '/tmp/walkthrough' },
    'no-build': { type: 'boolean', default: false },
    only: { type: 'string' },
    wait: { type: 'string', default: '3' },
  },
});
const contacts = 100_000;
const leads = 25_000;
const root = fileURLToPath(new URL('..', import.meta.url));
const servedDir = `${root}dist-bench/walk-${flags.port}`;
const userDataDir = flags['profile-dir'] ?? `${root}dist-bench/profile-${contacts}-chromium`;
const shots = flags.shots!;
mkdirSync(shots, { recursive: true });

const { url, context, close } = await openSeededRenderer({
  servedDir,
  userDataDir,
  port: Number(flags.port),
  contacts,
  leads,
  build: !flags['no-build'],
  acceptDownloads: true,
});

const log: string[] = [];
const say = (line: string) => {
  console.log(line);
  log.push(line);
};

const page = await context.newPage();
page.on('pageerror', (error) => say(`  [page error] ${error.message}`));
page.on('console', (message) => {
  if (message.type() === 'error' || message.type() === 'warning')
    say(`  [console ${message.type()}] ${message.text().slice(0, 300)}`);
});
// Long tasks of the main thread, summed per step.
await page.addInitScript(() => {
  const tasks: number[] = [];
  Object.assign(window, { walkLongTasks: tasks });
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) tasks.push(entry.duration);
  }).observe({ type: 'longtask', buffered: true });
});

const now = () => page.evaluate(() => performance.now());
const longTasks = () =>
  page.evaluate(() => {
    const tasks = ((window as unknown as { walkLongTasks?: number[] }).walkLongTasks ?? []).splice(0);
    return { count: tasks.length, total: tasks.reduce((a, b) => a + b, 0), max: Math.max(0, ...tasks) };
  });

let shot = 0;
async function step(name: string, action: () => Promise<unknown>, done: () => Promise<unknown>) {
  await longTasks();
  const started = await now();
  await action();
  await done();
  const took = (await now()) - started;
  const tasks = await longTasks();
  const file = `${shots}/${String(++shot).padStart(2, '0')}-${name.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}.png`;
  await page.screenshot({ path: file });
  say(
    `${name}: ${took.toFixed(0)} ms; long tasks ${tasks.count} (total ${tasks.total.toFixed(0)}, max ${tasks.max.toFixed(0)} ms); ${file}`,
  );
}

const grid = () => page.getByRole('grid', { name: 'Contacts' });
const dataRows = () => grid().locator('[role="row"][aria-rowindex]:not([aria-rowindex="1"])');
const footer = async () =>
  (await grid()
    .locator('p')
    .last()
    .textContent()
    .catch(() => '')) ?? '';

const wanted = (name: string) => flags.only === undefined || flags.only.split(',').includes(name);

try {
  await step(
    'start on contacts',
    () => page.goto(new URL('/contacts', url).toString()),
    () => page.locator('[role="grid"] [role="row"][aria-rowindex="2"]').waitFor({ timeout: 180_000 }),
  );
  const timeline = await page.evaluate(() => {
    const open = performance.getEntriesByName('fieldbook:database-open')[0];
    const picture = performance.getEntriesByName('fieldbook:first-paint')[0];
    return {
      picture: picture?.startTime ?? null,
      open: open ? [open.startTime, open.startTime + open.duration] : null,
    };
  });
  say(`  timeline: ${JSON.stringify(timeline)}; footer "${await footer()}"`);
  await page.waitForTimeout(Number(flags.wait) * 1000);
  await page.screenshot({ path: `${shots}/01b-contacts-after-wait.png` });
  say(`  after ${flags.wait} s: footer "${await footer()}"`);

  if (wanted('search')) {
    const search = page.getByLabel('Search contacts');
    await search.click();
    const name = 'Seed047110';
    await step(
      'type a search',
      () => page.keyboard.type(name, { delay: 90 }),
      () => page.getByText(/^1 matching record$/).waitFor({ timeout: 60_000 }),
    );
    await step(
      'open the record',
      () =>
        grid()
          .getByRole('link', { name: /Seed047110/ })
          .click(),
      () => page.getByRole('heading', { level: 1, name: /Seed047110/ }).waitFor(),
    );
    await step(
      'edit',
      () => page.getByRole('button', { name: 'Edit' }).click(),
      () => page.getByLabel('Job title', { exact: true }).waitFor(),
    );
    await page.getByLabel('Job title', { exact: true }).fill(`Regional buyer ${Date.now() % 1000}`);
    await page.getByLabel('Phone', { exact: true }).fill('+49 30 8794082');
    await step(
      'save',
      () => page.getByRole('button', { name: 'Save' }).click(),
      () => page.getByText(/^Saved contact/).waitFor(),
    );
    await step(
      'phone search finds it',
      async () => {
        await page.getByRole('link', { name: 'Contacts' }).click();
        await page.getByLabel('Search contacts').fill('30 879');
      },
      () => page.getByText(/^1 matching record$/).waitFor({ timeout: 60_000 }),
    );
    await page.getByLabel('Search contacts').fill('');
  }

  if (wanted('global')) {
    await step(
      'ctrl-k search a lead',
      async () => {
        await page.keyboard.press('Control+k');
        await page.getByLabel('Search everywhere').first().waitFor();
        await page.keyboard.type('Deal01234', { delay: 90 });
      },
      () => page.getByRole('option', { name: /Deal01234/ }).waitFor(),
    );
    await step(
      'enter opens the lead',
      () => page.keyboard.press('Enter'),
      () => page.getByRole('heading', { level: 1, name: /Deal01234/ }).waitFor(),
    );
  }

  if (wanted('sort')) {
    await page.getByRole('link', { name: 'Contacts' }).click();
    await dataRows().first().waitFor();
    await step(
      'sort by company',
      () => grid().getByRole('columnheader', { name: 'Company' }).locator('.MuiTableSortLabel-root').click(),
      () =>
        page.waitForFunction(() =>
          /Company 0(?!\d)/.test(
            document.querySelector('[role="grid"] [role="row"][aria-rowindex="2"]')?.textContent ?? '',
          ),
        ),
    );
    const firstCompanies = await dataRows().evaluateAll((rows) =>
      rows.slice(0, 12).map((row) => row.textContent?.slice(0, 80)),
    );
    say(`  first rows by company: ${JSON.stringify(firstCompanies)}`);
    await step(
      'sort by company, descending',
      () => grid().getByRole('columnheader', { name: 'Company' }).locator('.MuiTableSortLabel-root').click(),
      () =>
        page.waitForFunction(
          () =>
            /Company 99/.test(
              document.querySelector('[role="grid"] [role="row"][aria-rowindex="2"]')?.textContent ?? '',
            ),
          undefined,
          { timeout: 300_000 },
        ),
    );
  }

  if (wanted('pipeline')) {
    await step(
      'open the pipeline',
      () => page.getByRole('link', { name: 'Pipeline' }).click(),
      () =>
        page
          .getByRole('region', { name: /^New \(/ })
          .getByRole('listitem')
          .first()
          .waitFor(),
    );
    const newColumn = page.getByRole('region', { name: /^New \(/ });
    const contacted = page.getByRole('region', { name: /^Contacted \(/ });
    say(
      `  columns: ${JSON.stringify(await page.locator('section[aria-label]').evaluateAll((s) => s.map((e) => e.getAttribute('aria-label'))))}`,
    );
    const card = newColumn.getByRole('listitem').first();
    const cardName = (await card.textContent())?.slice(0, 20) ?? '';
    const contactedBefore = await contacted.getAttribute('aria-label');
    await step(
      'drag a card to contacted',
      async () => {
        const from = (await card.boundingBox())!;
        const to = (await contacted.boundingBox())!;
        await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
        await page.mouse.down();
        await page.mouse.move(from.x + from.width / 2 + 12, from.y + from.height / 2 + 12, { steps: 4 });
        await page.mouse.move(to.x + to.width / 2, to.y + 200, { steps: 12 });
        await page.mouse.up();
      },
      () =>
        page.waitForFunction(
          (before) =>
            document.querySelector('section[aria-label^="Contacted ("]')?.getAttribute('aria-label') !==
            before,
          contactedBefore,
        ),
    );
    say(`  dragged "${cardName}": ${contactedBefore} → ${await contacted.getAttribute('aria-label')}`);
    await step(
      'scroll a column far',
      async () => {
        const box = (await page
          .locator('section[aria-label^="Qualified"] [role="listitem"]')
          .first()
          .boundingBox())!;
        await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
        for (let i = 0; i < 40; i++) await page.mouse.wheel(0, 2000);
      },
      () => page.waitForTimeout(500),
    );
  }

  if (wanted('scroll')) {
    await page.getByRole('link', { name: 'Contacts' }).click();
    await dataRows().first().waitFor();
    const box = (await dataRows().first().boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + 100);
    for (const target of [1_000, 5_000, 10_000]) {
      await step(
        `scroll contacts to row ${target}`,
        async () => {
          // As a rep who keeps the wheel going: big wheel steps until the target row has been rendered.
          const until = Date.now() + 120_000;
          while (Date.now() < until) {
            const shown = await page.evaluate(() =>
              Math.max(
                0,
                ...[...document.querySelectorAll('[role="grid"] [role="row"][aria-rowindex]')].map((row) =>
                  Number(row.getAttribute('aria-rowindex')),
                ),
              ),
            );
            if (shown >= target) break;
            await page.mouse.wheel(0, 5000);
          }
        },
        () => Promise.resolve(),
      );
      const reached = await page.evaluate(() =>
        Math.max(
          0,
          ...[...document.querySelectorAll('[role="grid"] [role="row"][aria-rowindex]')].map((row) =>
            Number(row.getAttribute('aria-rowindex')),
          ),
        ),
      );
      say(`  reached row ${reached}; footer "${await footer()}"`);
      if (reached < target) break;
    }
    await step(
      'keyboard End in the grid',
      async () => {
        await dataRows().first().locator('[role="gridcell"]').last().click();
        await page.keyboard.press('Control+End');
      },
      () => page.waitForTimeout(1500),
    );
    say(`  footer "${await footer()}"`);
  }

  if (wanted('duplicates')) {
    await step(
      'duplicates',
      () => page.getByRole('link', { name: 'Duplicates' }).click(),
      () => page.getByRole('heading', { level: 1, name: 'Duplicates' }).waitFor(),
    );
    await page.waitForTimeout(3000);
    await page.screenshot({ path: `${shots}/${String(shot).padStart(2, '0')}b-duplicates-after-3s.png` });
  }

  if (wanted('import')) {
    await step(
      'import / export',
      () => page.getByRole('link', { name: 'Import / export' }).click(),
      () => page.getByRole('button', { name: /^Export contacts \(\d[\d,]*\)/ }).waitFor(),
    );
    say(
      `  export buttons: ${JSON.stringify(await page.getByRole('button', { name: /^Export / }).allTextContents())}`,
    );
    const download = page.waitForEvent('download', { timeout: 300_000 });
    await step(
      'export all contacts',
      () => page.getByRole('button', { name: /^Export contacts/ }).click(),
      () => download,
    );
    const file = await (await download).path();
    say(`  exported ${readFileSync(file, 'utf8').split('\n').length - 1} lines`);
  }

  if (wanted('settings')) {
    await step(
      'settings',
      () => page.getByRole('link', { name: 'Settings' }).click(),
      () => page.getByRole('heading', { level: 1, name: 'Settings' }).waitFor(),
    );
    await step(
      'check data',
      () => page.getByRole('button', { name: 'Check data' }).click(),
      () => page.getByText(/^(Checked|The data check stopped)/).waitFor({ timeout: 300_000 }),
    );
    say(`  ${await page.getByText(/^(Checked|The data check stopped)/).textContent()}`);
  }

  for (const [name, path] of [
    ['today', '/today'],
    ['leads', '/leads'],
  ] as const) {
    if (!wanted(name)) continue;
    await step(
      name,
      () => page.getByRole('link', { name: name === 'today' ? 'Today' : 'Leads' }).click(),
      () => page.waitForURL(`**${path}`).then(() => page.waitForTimeout(1000)),
    );
  }
} catch (error) {
  say(`FAILED: ${String(error).split('\n').slice(0, 6).join(' / ')}`);
  await page.screenshot({ path: `${shots}/failed.png` });
} finally {
  say(`load ${readFileSync('/proc/loadavg', 'utf8').trim()}`);
  writeFileSync(`${shots}/log.txt`, `${log.join('\n')}\n`);
  await close();
}
