/**
 * `npx tsx bench/profile-ui.ts [--what=first-row|pipeline|list-scroll|column-scroll|search|drag] [--runs=3] [--quick]
 * [--profile=out.cpuprofile]`: one UI figure of the bench, repeated, with its start-up timeline and
 * (optionally) a CPU profile summarised by source file, so a change can be judged in minutes instead of a
 * full `--only=ui` run. The seeded database is kept in a Chromium profile directory
 * (`dist-bench/profile-<size>`), so only the first call pays the seeding. Not a figure of record: the
 * bench (`npm run bench -- --only=ui`) is.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { Page } from 'playwright-core';
import { seededContactName } from './browser/ui-seed';
import { type CpuProfile, summarise } from './lib/cpu-profile';
import { openSeededRenderer } from './lib/seeded-renderer';
import { median, percentile } from './lib/stats';
import { armSearchProbe, dragToContacted, installProbe, probeResult, scrollFrames } from './suites/ui';

const { values: flags } = parseArgs({
  options: {
    what: { type: 'string', default: 'first-row' },
    runs: { type: 'string', default: '3' },
    quick: { type: 'boolean', default: false },
    profile: { type: 'string' },
    port: { type: 'string', default: '5391' },
    'no-build': { type: 'boolean', default: false },
  },
});
const contacts = flags.quick ? 20_000 : 100_000;
const leads = flags.quick ? 5_000 : 25_000;
const root = fileURLToPath(new URL('..', import.meta.url));
const servedDir = `${root}dist-bench/profile-${flags.port}`;
const userDataDir = `${root}dist-bench/profile-${contacts}-chromium`;

const { url, context, close } = await openSeededRenderer({
  servedDir,
  userDataDir,
  port: Number(flags.port),
  contacts,
  leads,
  build: !flags['no-build'],
  sourcemap: true,
});

/** The page's marks since the probe's last key or pointer-up, as "name +ms" (what the app did after it). */
function marksSince(page: Page, event: 'lastKeyAt' | 'lastPointerUpAt'): Promise<string> {
  return page.evaluate((key) => {
    const at = window.fieldbookProbe![key];
    return performance
      .getEntriesByType('mark')
      .filter((mark) => mark.startTime >= at)
      .map((mark) => `${mark.name} +${(mark.startTime - at).toFixed(0)}`)
      .join(', ');
  }, event);
}

type Timeline = Record<string, number>;

/** Navigation start → the condition, plus the page's own marks and measures (start and end). */
async function timeline(page: Page): Promise<Timeline> {
  return page.evaluate(() => {
    const result: Record<string, number> = {};
    const navigation = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
    result.responseEnd = navigation.responseEnd;
    result.domContentLoaded = navigation.domContentLoadedEventEnd;
    for (const entry of performance.getEntriesByType('resource') as PerformanceResourceTiming[]) {
      if (entry.name.endsWith('.js')) result[`js ${entry.name.split('/').pop()} loaded`] = entry.responseEnd;
    }
    for (const entry of performance.getEntriesByType('mark')) result[`mark ${entry.name}`] = entry.startTime;
    for (const entry of performance.getEntriesByType('measure')) {
      result[`${entry.name} start`] = entry.startTime;
      result[`${entry.name} end`] = entry.startTime + entry.duration;
    }
    return result;
  });
}

const firstRow = () => document.querySelector('[role="grid"] [role="row"][aria-rowindex="2"]') !== null;
const boardShown = (expected: number) => {
  let shown = 0;
  let columns = 0;
  for (const region of document.querySelectorAll('section[aria-label]')) {
    const match = /^(\w+) \((\d+)\)/.exec(region.getAttribute('aria-label') ?? '');
    if (!match) continue;
    if (Number(match[2]) > 0 && region.querySelector('[role="listitem"]') === null) continue;
    columns += 1;
    shown += Number(match[2]);
  }
  return columns === 5 && shown === expected;
};

/** Installs a watcher that stamps `window.doneAt` when the condition holds (checked on every DOM change). */
function watch(page: Page, what: string) {
  return page.addInitScript(
    ({ condition, expected }) => {
      const check = new Function('expected', `return (${condition})(expected)`) as (n: number) => boolean;
      const observer = new MutationObserver(() => {
        if (check(expected)) {
          (window as unknown as { doneAt: number }).doneAt = performance.now();
          observer.disconnect();
        }
      });
      observer.observe(document, { subtree: true, childList: true, attributes: true });
    },
    {
      condition: (what === 'pipeline' || what === 'drag' ? boardShown : firstRow).toString(),
      expected: leads,
    },
  );
}

const results: number[] = [];
for (let run = 0; run < Number(flags.runs); run++) {
  const page = await context.newPage();
  page.on('pageerror', (error) => console.error(`[page] ${error.message}`));
  const what = flags.what!;
  await watch(page, what);
  if (what === 'search' || what === 'drag') await page.addInitScript(installProbe, leads);
  const profiling = flags.profile !== undefined && run === Number(flags.runs) - 1;
  const cdp = profiling ? await context.newCDPSession(page) : null;
  if (cdp) {
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
    if (what === 'first-row' || what === 'pipeline') await cdp.send('Profiler.start');
  }
  await page.goto(
    new URL(['pipeline', 'column-scroll', 'drag'].includes(what) ? '/pipeline' : '/contacts', url).toString(),
  );
  await page.waitForFunction(
    () => (window as unknown as { doneAt?: number }).doneAt !== undefined,
    undefined,
    {
      timeout: 180_000,
    },
  );
  const doneAt = await page.evaluate(() => (window as unknown as { doneAt: number }).doneAt);
  if (what === 'first-row' || what === 'pipeline') {
    results.push(doneAt);
    const entries = Object.entries(await timeline(page)).sort((a, b) => a[1] - b[1]);
    console.log(
      `run ${run + 1}: ${what} ${doneAt.toFixed(0)} ms; ${entries.map(([k, v]) => `${k} ${v.toFixed(0)}`).join(', ')}`,
    );
  } else if (what === 'search') {
    // As the bench: right after the first row, the last key of a unique name to its single row.
    if (cdp) await cdp.send('Profiler.start');
    const search = page.getByLabel('Search contacts');
    const keystrokes: number[] = [];
    for (let sample = 0; sample < 10; sample++) {
      const name = seededContactName(Math.floor(((sample + 1) * contacts) / 13));
      await search.fill(name.slice(0, -1));
      if (sample > 0) await page.waitForTimeout(600);
      await page.evaluate(() => performance.clearMarks());
      await armSearchProbe(page, name);
      await search.press(name.at(-1)!);
      keystrokes.push(await probeResult(page));
      const marks = await marksSince(page, 'lastKeyAt');
      console.log(`  ${name}: ${keystrokes.at(-1)!.toFixed(0)} ms${marks ? ` (${marks})` : ''}`);
    }
    results.push(percentile(keystrokes, 50));
    console.log(
      `run ${run + 1}: search p50 ${percentile(keystrokes, 50).toFixed(0)} ms, p95 ${percentile(keystrokes, 95).toFixed(0)} ms`,
    );
  } else if (what === 'drag') {
    // As the bench: the top card of "New" onto "Contacted", five times (the profile keeps its moves, so
    // the top card is whichever seeded lead is first in "New" now). The CPU profile covers the last drop:
    // from just before it until the moved card has left "New".
    const drags: number[] = [];
    for (let sample = 0; sample < 5; sample++) {
      const top = await page
        .getByRole('region', { name: /^New \(/ })
        .getByRole('button', { name: /^Reorder Pat Deal\d+$/ })
        .first()
        .getAttribute('aria-label');
      const index = Number(/Deal(\d+)/.exec(top ?? '')?.[1]);
      await page.evaluate(() => performance.clearMarks());
      const profileDrop = cdp && sample === 4 ? () => cdp.send('Profiler.start').then(() => {}) : undefined;
      let dragged: Awaited<ReturnType<typeof dragToContacted>>;
      try {
        dragged = await dragToContacted(page, index, profileDrop);
      } catch (error) {
        // A drop that did not become a write: what the page says (an alert names a refused move).
        const alerts = await page.getByRole('alert').allTextContents();
        console.log(`  Deal${index}: ${String(error).split('\n')[0]}; alerts: ${JSON.stringify(alerts)}`);
        continue;
      }
      const { committed, split } = dragged;
      drags.push(committed);
      const marks = await marksSince(page, 'lastPointerUpAt');
      console.log(
        `  Deal${index}: committed ${committed.toFixed(0)} ms (drop ${split.dropHandling.toFixed(0)}, stored ${split.toStored.toFixed(0)}, resolved ${split.toResolved.toFixed(0)})${marks ? ` (${marks})` : ''}`,
      );
    }
    results.push(percentile(drags, 50));
    console.log(
      `run ${run + 1}: drag p50 ${percentile(drags, 50).toFixed(0)} ms, p95 ${percentile(drags, 95).toFixed(0)} ms`,
    );
  } else {
    if (cdp) await cdp.send('Profiler.start');
    const selector =
      what === 'list-scroll'
        ? '[role="grid"] [role="row"][aria-rowindex="2"]'
        : 'section[aria-label^="Qualified"] [role="listitem"]';
    const { frames } = await scrollFrames(page, selector, 3000);
    results.push(percentile(frames, 95));
    console.log(
      `run ${run + 1}: ${what} frame p95 ${percentile(frames, 95).toFixed(1)} ms, p50 ${percentile(frames, 50).toFixed(1)} ms, ${frames.length} frames`,
    );
  }
  if (cdp) {
    const { profile } = (await cdp.send('Profiler.stop')) as unknown as { profile: CpuProfile };
    writeFileSync(flags.profile!, JSON.stringify(profile));
    summarise(profile, servedDir);
  }
  await page.close();
}
console.log(
  `${flags.what}: median ${median(results).toFixed(1)} ms over ${results.length} runs; load ${readFileSync('/proc/loadavg', 'utf8').trim()}`,
);
await close();
