/**
 * `npm run bench [-- --quick] [-- --only=local,sync,ui,import] [-- --backends=pglite,postgres]`: the product's
 * performance measures. Every figure is the median of several runs; where there is a floor (raw Dexie on the same IndexedDB) the ratio is
 * computed per run and its median reported. Prints a table and writes bench/results/latest.json.
 * Timing lives here only, never in pass/fail tests.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { cpus, loadavg, totalmem } from 'node:os';
import { parseArgs } from 'node:util';
import { startBenchBrowser } from './lib/browser';
import { type Figure, formatTable } from './lib/stats';
import { importSuite } from './suites/import';
import { localCoreSuite } from './suites/local';
import { syncSuite } from './suites/sync';
import { contactsListSuite, pipelineSuite, seedForUi, type UiSizes } from './suites/ui';

const { values: flags } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    only: { type: 'string' },
    port: { type: 'string', default: '5350' },
    /** The sync suite's server databases (PostgreSQL also needs TEST_DATABASE_URL, which `npm run bench` sets). */
    backends: { type: 'string', default: 'pglite,postgres' },
    /** Also replace the results section of bench/README.md with this run's table. */
    readme: { type: 'boolean', default: false },
  },
});
const quick = flags.quick ?? false;
const suites = new Set((flags.only ?? 'local,sync,ui,import').split(',').map((name) => name.trim()));
const backends = new Set((flags.backends ?? '').split(',').map((name) => name.trim()));

/** Where the bench page is served (shell+bench range 5350-5359); the next free port if taken. */
const BENCH_PAGE_PORT = Number(flags.port);

/**
 * Runs one suite; a failing suite is reported and the others still run (their figures are kept). A suite
 * that lost its browser (Chromium killed from outside) is retried once on a fresh one.
 */
async function runSuite(name: string, figures: Figure[], failures: string[], suite: () => Promise<Figure[]>) {
  for (let attempt = 1; ; attempt++) {
    const started = Date.now();
    console.log(`[bench] ${name} …`);
    try {
      const produced = await suite();
      figures.push(...produced);
      console.log(
        `${formatTable(produced)}\n[bench] ${name} done in ${((Date.now() - started) / 1000).toFixed(0)} s`,
      );
      return;
    } catch (error) {
      const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
      if (attempt === 1 && /has been closed|Target closed|browser has disconnected/i.test(message)) {
        console.warn(`[bench] ${name}: the browser went away (${message.split('\n')[0]}); retrying once`);
        continue;
      }
      failures.push(`${name}: ${message.split('\n')[0]}`);
      console.error(`[bench] ${name} FAILED: ${message}`);
      return;
    }
  }
}

const readmeStart = '<!-- results:start -->';
const readmeEnd = '<!-- results:end -->';

async function writeReadmeResults(results: {
  date: string;
  quick: boolean;
  machine: Record<string, unknown>;
  durationSeconds: number;
  figures: Figure[];
  failures: string[];
}): Promise<void> {
  const path = new URL('./README.md', import.meta.url);
  const readme = await readFile(path, 'utf8');
  const start = readme.indexOf(readmeStart);
  const end = readme.indexOf(readmeEnd);
  if (start === -1 || end === -1)
    throw new Error(`bench/README.md lacks the ${readmeStart} … ${readmeEnd} markers`);
  const { machine } = results;
  const section = [
    readmeStart,
    `Run of ${results.date.slice(0, 16).replace('T', ' ')} UTC${results.quick ? ' (--quick)' : ''}, ` +
      `${(results.durationSeconds / 60).toFixed(1)} min: ${machine.cpus} × ${machine.cpuModel}, ` +
      `${machine.memoryGb} GB, Node ${machine.node}, Chromium ${machine.chromium}, ` +
      `load average ${machine.loadAverage1m} at the end.`,
    '',
    formatTable(results.figures),
    ...(results.failures.length > 0 ? ['', `Failed: ${results.failures.join('; ')}`] : []),
    readmeEnd,
  ].join('\n');
  await writeFile(path, readme.slice(0, start) + section + readme.slice(end + readmeEnd.length));
  console.log('Updated the results section of bench/README.md.');
}

async function main(): Promise<void> {
  const started = Date.now();
  const bench = await startBenchBrowser({
    port: BENCH_PAGE_PORT,
    withApp: suites.has('ui') || suites.has('import'),
  });
  const figures: Figure[] = [];
  const failures: string[] = [];
  try {
    if (suites.has('local'))
      await runSuite('local core', figures, failures, () => localCoreSuite(bench, quick));
    if (suites.has('sync')) {
      if (backends.has('pglite'))
        await runSuite('sync (PGlite)', figures, failures, () =>
          syncSuite(bench, { quick, backend: 'pglite' }),
        );
      if (backends.has('postgres') && process.env.TEST_DATABASE_URL) {
        await runSuite('sync (PostgreSQL)', figures, failures, () =>
          syncSuite(bench, { quick, backend: 'postgres' }),
        );
      } else if (backends.has('postgres')) {
        console.warn('PostgreSQL figures skipped: TEST_DATABASE_URL is not set (npm run bench starts one).');
      }
    }
    if (suites.has('ui')) {
      // The seed lives in the browser's storage: seed again whenever Chromium had to be restarted.
      let seeded: UiSizes | undefined;
      const seededSizes = async () => {
        await bench.ensureBrowser();
        if (seeded === undefined || seeded.generation !== bench.generation)
          seeded = await seedForUi(bench, quick);
        return seeded;
      };
      await runSuite('ui: contacts list', figures, failures, async () =>
        contactsListSuite(bench, quick, await seededSizes()),
      );
      await runSuite('ui: pipeline', figures, failures, async () =>
        pipelineSuite(bench, quick, await seededSizes()),
      );
    }
    if (suites.has('import')) await runSuite('import', figures, failures, () => importSuite(bench, quick));
  } finally {
    await bench.close();
  }
  console.log(`\n${formatTable(figures)}\n`);
  const machine = {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memoryGb: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    // Other work on the machine skews every figure; the 1-minute load at the end says how busy it was.
    loadAverage1m: Number(loadavg()[0]!.toFixed(2)),
    chromium: bench.browser.version(),
  };
  const results = {
    date: new Date().toISOString(),
    quick,
    machine,
    durationSeconds: (Date.now() - started) / 1000,
    figures,
    failures,
  };
  await mkdir(new URL('./results/', import.meta.url), { recursive: true });
  await writeFile(new URL('./results/latest.json', import.meta.url), `${JSON.stringify(results, null, 2)}\n`);
  console.log(`Wrote bench/results/latest.json (${results.durationSeconds.toFixed(0)} s).`);
  if (flags.readme) await writeReadmeResults(results);
  if (failures.length > 0) {
    console.error(`${failures.length} suite(s) failed:\n${failures.join('\n')}`);
    process.exitCode = 1;
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
