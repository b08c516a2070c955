/**
 * `npx tsx bench/profile-import.ts [--rows=10000] [--until=80] [--port=5392] [--out=import]`: the bench's
 * import of a HubSpot contacts export through the real import screen, with CPU profiles of the window and of
 * the import's writer worker from the "Import" click until the progress bar shows `--until` % (the worker
 * is ended with the import, so its profile is taken before; `--until=100` profiles the window alone until
 * "Import finished"), each summarised by source file and function (`<out>-window.cpuprofile`,
 * `<out>-writer.cpuprofile`), and the window's long tasks over 150 ms each with what ran in it. Not a
 * figure of record (the profiler slows the page); run it under /work/bench.lock like the bench.
 */
import { writeFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { CDPSession } from 'playwright-core';
import { startBenchBrowser } from './lib/browser';
import { type CpuProfile, summarise } from './lib/cpu-profile';
import {
  hubspotContactsExport,
  LONG_WAIT,
  openImportScreen,
  pickAndCheck,
  waitForReport,
} from './suites/import';

const { values: flags } = parseArgs({
  options: {
    rows: { type: 'string', default: '10000' },
    until: { type: 'string', default: '80' },
    port: { type: 'string', default: '5392' },
    out: { type: 'string', default: 'import' },
  },
});
const rows = Number(flags.rows);

/** Sends a CDP command to a worker attached to `session` (Target.sendMessageToTarget, not flattened). */
function workerCommands(session: CDPSession, sessionId: string) {
  let nextId = 1;
  const waiting = new Map<number, (result: unknown) => void>();
  session.on('Target.receivedMessageFromTarget', (event) => {
    if (event.sessionId !== sessionId) return;
    const message = JSON.parse(event.message) as { id?: number; result?: unknown; error?: unknown };
    if (message.id === undefined) return;
    if (message.error) console.error('[profile] worker command failed', message.error);
    waiting.get(message.id)?.(message.result);
    waiting.delete(message.id);
  });
  return (method: string, params: object = {}) =>
    new Promise<unknown>((resolve) => {
      const id = nextId++;
      waiting.set(id, resolve);
      void session.send('Target.sendMessageToTarget', {
        sessionId,
        message: JSON.stringify({ id, method, params }),
      });
    });
}

const bench = await startBenchBrowser({ port: Number(flags.port), withApp: true, sourcemap: true });
const directory = await mkdtemp(join(tmpdir(), 'fieldbook-profile-import-'));
try {
  const csv = join(directory, 'hubspot-contacts.csv');
  await writeFile(csv, hubspotContactsExport(rows));
  const screen = await openImportScreen(bench);
  const cdp = await screen.context.newCDPSession(screen.page);
  let writer: ReturnType<typeof workerCommands> | null = null;
  cdp.on('Target.attachedToTarget', (event) => {
    if (!event.targetInfo.url.includes('importWriter')) return;
    writer = workerCommands(cdp, event.sessionId);
    void writer('Profiler.enable')
      .then(() => writer!('Profiler.setSamplingInterval', { interval: 200 }))
      .then(() => writer!('Profiler.start'));
  });
  await cdp.send('Target.setAutoAttach', { autoAttach: true, waitForDebuggerOnStart: false, flatten: false });
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
  await pickAndCheck(bench, screen, csv, rows);
  await cdp.send('Profiler.start');
  const profiledFrom = await screen.page.evaluate(() => performance.now());
  const at = Date.now();
  const untilEnd = Number(flags.until) >= 100;
  if (untilEnd) await waitForReport(screen.page, 'Import finished', LONG_WAIT);
  else
    await screen.page.waitForFunction(
      (until) =>
        Number(document.querySelector('[aria-label="Import progress"]')?.getAttribute('aria-valuenow')) >=
        until,
      Number(flags.until),
      // Polled, not per animation frame: the window's profile is then the app's work.
      { ...LONG_WAIT, polling: 250 },
    );
  const seconds = (Date.now() - at) / 1000;
  const progress = untilEnd
    ? 100
    : await screen.page.evaluate(() =>
        document.querySelector('[aria-label="Import progress"]')?.getAttribute('aria-valuenow'),
      );
  const longTasks = (await screen.page.evaluate(() => window.fieldbookImportProbe!.longTasks)).filter(
    (task) => task.start >= profiledFrom && task.duration >= 150,
  );
  console.log(
    `import click → ${progress} %: ${seconds.toFixed(1)} s (${Math.round((rows * Number(progress)) / 100 / seconds)} rows/s, profiled)`,
  );
  const profiles: [string, CpuProfile | undefined][] = [
    ['window', ((await cdp.send('Profiler.stop')) as unknown as { profile: CpuProfile }).profile],
    [
      'writer',
      untilEnd
        ? undefined
        : (
            (await (writer as ReturnType<typeof workerCommands> | null)?.('Profiler.stop')) as
              | { profile: CpuProfile }
              | undefined
          )?.profile,
    ],
  ];
  for (const [name, profile] of profiles) {
    if (!profile) {
      console.log(`${name}: no profile (not attached, or ended with the import)`);
      continue;
    }
    writeFileSync(`${flags.out}-${name}.cpuprofile`, JSON.stringify(profile));
    const total = profile.timeDeltas.reduce((sum, delta) => sum + delta, 0) / 1000;
    console.log(`\n=== ${name}: ${(total / 1000).toFixed(1)} s profiled`);
    summarise(profile, bench.servedDir);
    if (name !== 'window') continue;
    for (const task of longTasks) {
      const from = task.start - profiledFrom;
      console.log(
        `\n--- window long task ${task.duration.toFixed(0)} ms, ${(from / 1000).toFixed(1)} s after the click`,
      );
      summarise(profile, bench.servedDir, { within: [from, from + task.duration], top: 12 });
    }
  }
} finally {
  await bench.close();
  await rm(directory, { recursive: true, force: true });
}
