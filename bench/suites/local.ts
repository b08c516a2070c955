import type { BenchBrowser } from '../lib/browser';
import { type Figure, median, percentile, repeat } from '../lib/stats';

/** Issue 3: the local core in Chromium IndexedDB, against raw Dexie. */
export async function localCoreSuite(bench: BenchBrowser, quick: boolean): Promise<Figure[]> {
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
      breakdown: result.breakdown,
    };
  });
  console.log(
    `[bench] local create: storage calls of the last run's ${create.count} creates\n${runs.at(-1)?.breakdown}`,
  );
  const bulkRuns = quick ? 1 : 3;
  const bulk = await repeat(bulkRuns, 60_000, async () => {
    const result = await page.evaluate((options) => window.fieldbookBench!.bulkInsert(options), {
      count: 10_000,
    });
    return {
      seconds: result.appMs / 1000,
      floor: result.floorMs / 1000,
      note: `${result.contacts} contacts → ${result.leadsCreated} leads, ${result.activities} audit entries`,
      breakdown: result.breakdown,
    };
  });
  console.log(`[bench] bulk insert: storage calls of the last run\n${bulk.at(-1)?.breakdown}`);
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
