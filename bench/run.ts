/**
 * `npm run bench [-- --quick] [-- --only=local,sync]`: the measures of SPEC §7. Every figure is
 * the median of several runs; where there is a floor (raw Dexie on the same IndexedDB) the ratio is
 * computed per run and its median reported. Prints a table and writes bench/results/latest.json.
 * Timing lives here only, never in pass/fail tests.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, totalmem } from 'node:os';
import { parseArgs } from 'node:util';
import { startBenchBrowser } from './lib/browser';
import { type Figure, formatTable } from './lib/stats';
import { localCoreSuite } from './suites/local';
import { syncSuite } from './suites/sync';

const { values: flags } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    only: { type: 'string' },
  },
});
const quick = flags.quick ?? false;
const suites = new Set((flags.only ?? 'local,sync').split(',').map((name) => name.trim()));

const BENCH_PAGE_PORT = 5350;

async function main(): Promise<void> {
  const started = Date.now();
  const bench = await startBenchBrowser(BENCH_PAGE_PORT);
  const figures: Figure[] = [];
  try {
    if (suites.has('local')) figures.push(...(await localCoreSuite(bench, quick)));
    if (suites.has('sync')) {
      figures.push(...(await syncSuite(bench, { quick, backend: 'pglite' })));
      if (process.env.TEST_DATABASE_URL) {
        figures.push(...(await syncSuite(bench, { quick, backend: 'postgres' })));
      } else {
        console.warn('PostgreSQL figures skipped: TEST_DATABASE_URL is not set (npm run bench starts one).');
      }
    }
  } finally {
    await bench.close();
  }
  const table = formatTable(figures);
  console.log(`\n${table}\n`);
  const machine = {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memoryGb: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    chromium: bench.browser.version(),
  };
  const results = {
    date: new Date().toISOString(),
    quick,
    machine,
    durationSeconds: (Date.now() - started) / 1000,
    figures,
  };
  await mkdir(new URL('./results/', import.meta.url), { recursive: true });
  await writeFile(new URL('./results/latest.json', import.meta.url), `${JSON.stringify(results, null, 2)}\n`);
  console.log(`Wrote bench/results/latest.json (${results.durationSeconds.toFixed(0)} s).`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
