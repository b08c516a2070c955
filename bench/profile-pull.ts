/**
 * `npx tsx bench/profile-pull.ts [--count=100000] [--runs=1] [--port=5392] [--no-profile] [--out=pull]`: the
 * bench's initial pull (bench/browser/sync.ts `initialPull`, PGlite server process) of `--count` seeded
 * contacts, with its raw Dexie floors measured in the same page right after, and a CPU profile of the page
 * over the pull alone (`<out>.cpuprofile`), summarised by source file and function, with the main thread's
 * busy share per 10 s and the inclusive time of the functions that matter to the pull. `--no-profile` gives
 * the figures without the profiler's overhead. Not a figure of record; run it under /work/bench.lock like
 * the bench.
 */
import { writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { createToken, prepareBackend, startServerProcess } from '@server/testing/server-process';
import { startBenchBrowser } from './lib/browser';
import { type CpuProfile, summarise } from './lib/cpu-profile';
import { seed, seedContact } from './suites/sync';

const { values: flags } = parseArgs({
  options: {
    count: { type: 'string', default: '100000' },
    runs: { type: 'string', default: '1' },
    port: { type: 'string', default: '5392' },
    'no-profile': { type: 'boolean', default: false },
    out: { type: 'string', default: 'pull' },
  },
});
const count = Number(flags.count);
const profiling = !flags['no-profile'];
const load = () =>
  loadavg()
    .map((value) => value.toFixed(2))
    .join(' ');

/** Functions whose inclusive time (self + callees) says what part of the pull a share of the profile is. */
const inclusiveOf = [
  'persistFromMaster',
  'downstreamResyncOnce',
  'handler',
  'toLocalDocument',
  'parse',
  'json',
  'bulkWrite',
  'findDocumentsById',
  'getMetaWriteRow',
  'processTasks',
  'persistToMaster',
  'schedule',
  'runReconcile',
  'reconcile',
  'detectDuplicates',
  'detectAll',
  'recordsSharingAKey',
  'loadScope',
  'recomputeAll',
  'deriveLocalFields',
  'structuredClone',
  '$emit',
];

/**
 * Inclusive ms per function name within [from, to] ms of the profile (recursion counted once), and when
 * each name was first and last on the stack (ms after the profile's start).
 */
function inclusive(profile: CpuProfile & { nodes: { children?: number[] }[] }, from: number, to: number) {
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const nameOf = new Map(profile.nodes.map((node) => [node.id, node.callFrame.functionName]));
  const totals = new Map<string, { ms: number; first: number; last: number }>();
  let at = 0;
  profile.samples.forEach((id, index) => {
    const delta = (profile.timeDeltas[index] ?? 0) / 1000;
    at += delta;
    if (at < from || at > to) return;
    const seen = new Set<string>();
    for (let node: number | undefined = id; node !== undefined; node = parent.get(node)) {
      const name = nameOf.get(node) ?? '';
      if (seen.has(name)) continue;
      seen.add(name);
      const total = totals.get(name) ?? { ms: 0, first: at, last: at };
      total.ms += delta;
      total.last = at;
      totals.set(name, total);
    }
  });
  return totals;
}

/** Busy (not idle) ms of the main thread per `window` ms of the profile, up to `to`. */
function busyPerWindow(profile: CpuProfile, to: number, window = 10_000) {
  const idleIds = new Set(
    profile.nodes.filter((node) => node.callFrame.functionName === '(idle)').map((node) => node.id),
  );
  const busy: number[] = [];
  let at = 0;
  profile.samples.forEach((id, index) => {
    const delta = (profile.timeDeltas[index] ?? 0) / 1000;
    at += delta;
    if (at > to || idleIds.has(id)) return;
    const slot = Math.floor(at / window);
    busy[slot] = (busy[slot] ?? 0) + delta;
  });
  return busy.map((ms) => ms ?? 0);
}

const bench = await startBenchBrowser({ port: Number(flags.port), withApp: false, sourcemap: true });
const prepared = await prepareBackend('pglite');
const server = await startServerProcess(prepared.backend);
try {
  const token = await createToken(prepared.backend, 'profile-pull', 'rep-b');
  const seedStarted = Date.now();
  await seed(server.url, token, 'contacts', count, seedContact);
  console.log(
    `seeded ${count} contacts in ${((Date.now() - seedStarted) / 1000).toFixed(0)} s; load ${load()}`,
  );
  for (let run = 1; run <= Number(flags.runs); run++) {
    const page = await bench.openPage();
    const cdp = profiling ? await page.context().newCDPSession(page) : null;
    await cdp?.send('Profiler.enable');
    await cdp?.send('Profiler.setSamplingInterval', { interval: 500 });
    await cdp?.send('Profiler.start');
    const loadBefore = load();
    const result = await page.evaluate((access) => window.fieldbookBench!.initialPull(access), {
      url: server.url,
      token,
      userId: 'rep-b',
      expected: count,
      budgetMs: 600_000,
    });
    const profile = cdp
      ? ((await cdp.send('Profiler.stop')) as unknown as { profile: CpuProfile }).profile
      : null;
    await page.close();
    console.log(
      `\nrun ${run}: pull ${(result.pullMs / 1000).toFixed(1)} s (${Math.round(result.count / (result.pullMs / 1000))} docs/s), ` +
        `raw bulkPut ${(result.floorMs / 1000).toFixed(1)} s (${(result.pullMs / result.floorMs).toFixed(2)}×), ` +
        `protocol floor ${(result.protocolFloorMs / 1000).toFixed(1)} s (${(result.pullMs / result.protocolFloorMs).toFixed(2)}×); ` +
        `${result.count} contacts, complete ${result.complete}; load before ${loadBefore}, after ${load()}${profiling ? ' (profiled)' : ''}`,
    );
    console.log(`breakdown: ${JSON.stringify(result.breakdown)}`);
    if (!profile) continue;
    writeFileSync(`${flags.out}-${run}.cpuprofile`, JSON.stringify(profile));
    // The profile starts a moment before the pull; everything after it (the floors) is left out.
    const pullEnd = result.pullMs + 200;
    const busy = busyPerWindow(profile, pullEnd);
    const busyTotal = busy.reduce((sum, ms) => sum + ms, 0);
    console.log(
      `main thread busy ${(busyTotal / 1000).toFixed(1)} s of ${(pullEnd / 1000).toFixed(1)} s; per 10 s: ` +
        busy.map((ms) => `${Math.round(ms / 100)}%`).join(' '),
    );
    summarise(profile, `${bench.servedDir}/bench`, { within: [0, pullEnd], top: 40 });
    const totals = inclusive(profile, 0, pullEnd);
    console.log('inclusive time:');
    for (const name of inclusiveOf) {
      const total = totals.get(name);
      const when = total
        ? `  (on the stack ${(total.first / 1000).toFixed(1)}–${(total.last / 1000).toFixed(1)} s)`
        : '';
      console.log(`${(total?.ms ?? 0).toFixed(1).padStart(9)} ms  ${name}${when}`);
    }
  }
} finally {
  await server.stop();
  await prepared.cleanup();
  await bench.close();
}
