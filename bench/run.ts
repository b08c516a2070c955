/**
 * `npm run bench [-- --quick] [-- --only=local,sync,server,ui]`: the measures of SPEC §7. Every figure is
 * the median of several runs; where there is a floor (raw Dexie on the same IndexedDB) the ratio is
 * computed per run and its median reported. Prints a table and writes bench/results/latest.json.
 * Timing lives here only, never in pass/fail tests.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, totalmem } from 'node:os';
import { parseArgs } from 'node:util';
import { type BenchBrowser, startBenchBrowser } from './lib/browser';
import { type Figure, formatTable, median, percentile } from './lib/stats';

const { values: flags } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    only: { type: 'string' },
  },
});
const quick = flags.quick ?? false;
const suites = new Set((flags.only ?? 'local').split(',').map((name) => name.trim()));

const BENCH_PAGE_PORT = 5350;

/**
 * Repeats `measure` up to `maxRuns` times (at least once) while the time budget lasts, so one slow figure
 * cannot blow the whole bench past its bound; the table reports how many runs each median is over.
 */
async function repeat<T>(maxRuns: number, budgetMs: number, measure: () => Promise<T>): Promise<T[]> {
  const deadline = Date.now() + budgetMs;
  const results: T[] = [];
  while (results.length < maxRuns && (results.length === 0 || Date.now() < deadline))
    results.push(await measure());
  return results;
}

async function localCore(bench: BenchBrowser): Promise<Figure[]> {
  const page = await bench.openPage();
  const createRuns = quick ? 3 : 5;
  const create = { count: quick ? 100 : 200, warmup: 20 };
  const runs = await repeat(createRuns, 40_000, async () => {
    const result = await page.evaluate((options) => window.fieldbookBench!.localCreate(options), create);
    return {
      app50: percentile(result.appMs, 50),
      app95: percentile(result.appMs, 95),
      floor50: percentile(result.floorMs, 50),
      floor95: percentile(result.floorMs, 95),
      note: `${result.contacts} contacts → ${result.leadsCreated} leads, ${result.linkedContacts} linked, ${result.activities} audit entries`,
    };
  });
  const bulkRuns = quick ? 1 : 3;
  const bulk = await repeat(bulkRuns, 60_000, async () => {
    const result = await page.evaluate((options) => window.fieldbookBench!.bulkInsert(options), {
      count: 10_000,
    });
    return {
      seconds: result.appMs / 1000,
      floor: result.floorMs / 1000,
      note: `${result.contacts} contacts → ${result.leadsCreated} leads, ${result.activities} audit entries`,
    };
  });
  await page.close();
  const ratio = (pairs: { value: number; floor: number }[]) =>
    median(pairs.map((pair) => pair.value / pair.floor));
  return [
    {
      issue: 3,
      name: 'local create of a contact in Lead, p50',
      value: median(runs.map((run) => run.app50)),
      floor: median(runs.map((run) => run.floor50)),
      ratio: ratio(runs.map((run) => ({ value: run.app50, floor: run.floor50 }))),
      unit: 'ms',
      target: 'ratio ≤ 1.5',
      runs: runs.length,
      note: `${create.count} creates/run; ${runs.at(-1)!.note}`,
    },
    {
      issue: 3,
      name: 'local create of a contact in Lead, p95',
      value: median(runs.map((run) => run.app95)),
      floor: median(runs.map((run) => run.floor95)),
      ratio: ratio(runs.map((run) => ({ value: run.app95, floor: run.floor95 }))),
      unit: 'ms',
      runs: runs.length,
    },
    {
      issue: 3,
      name: 'bulk insert of 10,000 contacts (half in Lead)',
      value: median(bulk.map((run) => run.seconds)),
      floor: median(bulk.map((run) => run.floor)),
      ratio: ratio(bulk.map((run) => ({ value: run.seconds, floor: run.floor }))),
      unit: 's',
      target: 'ratio ≤ 2',
      runs: bulk.length,
      note: bulk.at(-1)!.note,
    },
  ];
}

async function main(): Promise<void> {
  const started = Date.now();
  const bench = await startBenchBrowser(BENCH_PAGE_PORT);
  const figures: Figure[] = [];
  try {
    if (suites.has('local')) figures.push(...(await localCore(bench)));
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
