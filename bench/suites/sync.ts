import { apiClient, contactDoc } from '@server/testing/fixtures';
import {
  type BackendKind,
  createToken,
  type PreparedBackend,
  prepareBackend,
  type ServerProcess,
  startServerProcess,
} from '@server/testing/server-process';
import { leadDefaults, leadStatuses } from '@shared/schemas';
import type { Page } from 'playwright-core';
import type { StoredDocument } from '../browser/sync-floors';
import type { BenchBrowser } from '../lib/browser';
import { type Figure, median, percentile, repeat } from '../lib/stats';
import { serverLoad } from './server-load';

export type SyncSuiteOptions = { quick: boolean; backend: BackendKind };

type SeedDocument = (index: number) => Record<string, unknown> & { id: string; _deleted: boolean };

/** Seeds a tenant through the push endpoint in large batches (setup, not measured). */
export async function seed(
  url: string,
  token: string,
  collection: string,
  count: number,
  document: SeedDocument,
  batch = 5000,
) {
  const api = apiClient(url, token);
  for (let start = 0; start < count; start += batch) {
    const rows = Array.from({ length: Math.min(batch, count - start) }, (_, offset) => ({
      newDocumentState: document(start + offset),
      assumedMasterState: null,
    }));
    const response = await api.push(collection, rows);
    if (response.rejected.length > 0 || response.conflicts.length > 0) {
      throw new Error(
        `seeding ${collection}: ${response.rejected.length} rejected, ${response.conflicts.length} conflicts`,
      );
    }
  }
}

export const seedContact: SeedDocument = (index) =>
  contactDoc(`seed-${index.toString().padStart(7, '0')}`, {
    firstName: `Seed${index % 97}`,
    lastName: `Contact ${index}`,
    company: `Company ${index % 503}`,
    email: `seed${index}@example.com`,
    emailKey: `seed${index}@example.com`,
  });

/** A lead entered on its own (not from a contact), as a team's pipeline holds many. */
const seedLead: SeedDocument = (index) => {
  const now = Date.now();
  return {
    ...leadDefaults,
    id: `seed-lead-${index.toString().padStart(7, '0')}`,
    firstName: `Lead${index % 89}`,
    lastName: `Prospect ${index}`,
    company: `Company ${index % 211}`,
    status: leadStatuses[index % leadStatuses.length],
    position: `a${index.toString(36)}`,
    createdAt: now,
    updatedAt: now,
    updatedBy: 'bench',
    serverRev: 0,
    _deleted: false,
  };
};

/** Where one live change's time goes (ms from the write's start; see liveDelays). */
type LiveTimeline = {
  written: number;
  pushSent: number;
  pushAnswered: number;
  streamed: number;
  arrived: number;
};

type LiveRun = { delays: number[]; timelines: LiveTimeline[] };

/** Writes that warm the path up before the timed ones (live delay and its floor). */
const liveWarmup = 5;

/**
 * Live delay A → B through the app's devices, then (issue 9) its floors in the same two pages: the same
 * number of writes through raw IndexedDB and fetch, and through a bare RxDB replication (liveFloorDelays).
 */
async function liveDelays(
  bench: BenchBrowser,
  url: string,
  access: { token: string; userId: string; floorToken: string; rxdbToken: string },
  writes: number,
): Promise<LiveRun & LiveFloors> {
  const pages: Page[] = [await bench.openPage(), await bench.openPage()];
  const [deviceA, deviceB] = pages as [Page, Page];
  try {
    const live = await liveThroughDevices(deviceA, deviceB, url, access, writes);
    const floors = await liveFloorDelays(deviceA, deviceB, { url, ...access }, live.written, writes);
    return { ...live, ...floors };
  } finally {
    for (const page of pages) await page.close();
  }
}

async function liveThroughDevices(
  deviceA: Page,
  deviceB: Page,
  url: string,
  access: { token: string; userId: string },
  writes: number,
): Promise<LiveRun & { written: StoredDocument }> {
  let run: LiveRun;
  let written: StoredDocument | undefined;
  try {
    await deviceA.evaluate((access) => window.fieldbookBench!.liveOpen(access), { url, ...access });
    await deviceB.evaluate((access) => window.fieldbookBench!.liveOpen(access), { url, ...access });
    const delays: number[] = [];
    const timelines: LiveTimeline[] = [];
    const runId = Date.now().toString(36);
    for (let index = 0; index < liveWarmup + writes; index++) {
      const id = `live-${runId}-${index}`;
      // Both awaited together, so a failed write never leaves the arrival promise unobserved.
      const [arrivedAt, sentAt] = await Promise.all([
        deviceB.evaluate((options) => window.fieldbookBench!.liveArrival(options), { id, timeoutMs: 30_000 }),
        deviceA.evaluate((options) => window.fieldbookBench!.liveWrite(options), { id, index }),
      ]);
      if (index < liveWarmup) continue;
      delays.push(arrivedAt - sentAt);
      const writer = await deviceA.evaluate(
        (writtenId) => window.fieldbookBench!.liveWriteTimes(writtenId),
        id,
      );
      const streamedAt = await deviceB.evaluate(
        (writtenId) => window.fieldbookBench!.liveStreamedAt(writtenId),
        id,
      );
      const since = (at: number | undefined) => (at === undefined ? Number.NaN : at - sentAt);
      timelines.push({
        written: since(writer.writtenAt),
        pushSent: since(writer.sentAt),
        pushAnswered: since(writer.answeredAt),
        streamed: since(streamedAt),
        arrived: arrivedAt - sentAt,
      });
    }
    run = { delays, timelines };
  } finally {
    // Cleanup must not hide the error that got us here (e.g. a crashed page). A's last write, as stored,
    // is what the floor writes.
    const closing = async (page: Page) =>
      page
        .evaluate(() => window.fieldbookBench!.liveClose())
        .catch((error: unknown) => {
          console.error(`[bench] closing a live device failed: ${String(error)}`);
          return undefined;
        });
    written = await closing(deviceA);
    await closing(deviceB);
  }
  if (!written) throw new Error('live delay: device A holds no written contact for the floor to write');
  return { ...run, written };
}

/** The live delay's floors, one write each per round (see liveFloorDelays). */
const liveFloorKinds = ['floor', 'protocolFloor', 'rxdbFloor'] as const;
type LiveFloors = Record<(typeof liveFloorKinds)[number], LiveRun> & {
  /** The RxDB floor's receiving page, ms after the write began: its downstream began to read, to write. */
  rxdbReceiving: { readStarted: number; writeStarted: number }[];
  /** The RxDB floor's pull requests and RESYNCs (writer + receiver) after both were in sync. */
  rxdbPulls: number;
  rxdbResyncs: number;
};

/**
 * The live delay's floors in the same two pages, as many writes of each as the devices' after as many
 * warm-ups, taking turns (each round in another order, so all meet the same moments of the machine's load);
 * ms after the write began, like LiveTimeline:
 * - `floor` and `protocolFloor` (sync-floors.ts `liveFloorOpen`): raw IndexedDB and fetch, without and with
 *   RxDB's protocol reads and writes on the path, to `floorToken`'s tenant;
 * - `rxdbFloor` (rxdb-floor.ts): a bare RxDB database per page replicating with RxDB's own
 *   replicateRxCollection, to `rxdbToken`'s tenant (another one: each page's database would otherwise also
 *   receive the raw floors' writes).
 */
async function liveFloorDelays(
  writer: Page,
  receiver: Page,
  access: { url: string; floorToken: string; rxdbToken: string },
  document: StoredDocument,
  writes: number,
): Promise<LiveFloors> {
  const rawAccess = { url: access.url, token: access.floorToken };
  const rxdbAccess = { url: access.url, token: access.rxdbToken };
  try {
    await receiver.evaluate((options) => window.fieldbookBench!.liveFloorOpen(options), {
      ...rawAccess,
      receives: true,
    });
    await writer.evaluate((options) => window.fieldbookBench!.liveFloorOpen(options), {
      ...rawAccess,
      receives: false,
    });
    const opened = [
      await receiver.evaluate((options) => window.fieldbookBench!.rxdbFloorOpen(options), rxdbAccess),
      await writer.evaluate((options) => window.fieldbookBench!.rxdbFloorOpen(options), rxdbAccess),
    ];
    /** One write of the raw floors: ms after it began. */
    const rawWrite = async (id: string, protocol: boolean): Promise<LiveTimeline> => {
      await receiver.evaluate((options) => window.fieldbookBench!.liveFloorExpect(options), { id, protocol });
      const [arrival, write] = await Promise.all([
        receiver.evaluate((options) => window.fieldbookBench!.liveFloorArrival(options), {
          id,
          timeoutMs: 30_000,
        }),
        writer.evaluate((options) => window.fieldbookBench!.liveFloorWrite(options), {
          id,
          document,
          protocol,
        }),
      ]);
      return {
        written: write.writtenAt - write.sentAt,
        pushSent: write.writtenAt - write.sentAt,
        pushAnswered: write.answeredAt - write.sentAt,
        streamed: arrival.streamedAt - write.sentAt,
        arrived: arrival.committedAt - write.sentAt,
      };
    };
    const rxdbReceiving: LiveFloors['rxdbReceiving'] = [];
    /** One write of the RxDB floor: ms after it began. */
    const rxdbWrite = async (id: string, timed: boolean): Promise<LiveTimeline> => {
      const [arrival, write] = await Promise.all([
        receiver.evaluate((options) => window.fieldbookBench!.rxdbFloorArrival(options), {
          id,
          timeoutMs: 30_000,
        }),
        writer.evaluate((options) => window.fieldbookBench!.rxdbFloorWrite(options), { id, document }),
      ]);
      const push = await writer.evaluate(
        (writtenId) => window.fieldbookBench!.rxdbFloorPushTimes(writtenId),
        id,
      );
      const since = (at: number | undefined) => (at === undefined ? Number.NaN : at - write.sentAt);
      if (timed)
        rxdbReceiving.push({
          readStarted: since(arrival.readStartedAt),
          writeStarted: since(arrival.writeStartedAt),
        });
      return {
        written: write.writtenAt - write.sentAt,
        pushSent: since(push?.pushSentAt),
        pushAnswered: since(push?.answeredAt),
        streamed: since(arrival.streamedAt),
        arrived: arrival.committedAt - write.sentAt,
      };
    };
    const runs = Object.fromEntries(
      liveFloorKinds.map((kind) => [kind, { delays: [], timelines: [] } as LiveRun]),
    ) as Record<(typeof liveFloorKinds)[number], LiveRun>;
    const runId = Date.now().toString(36);
    for (let index = 0; index < liveWarmup + writes; index++) {
      const turn = index % liveFloorKinds.length;
      for (const kind of [...liveFloorKinds.slice(turn), ...liveFloorKinds.slice(0, turn)]) {
        const id = `live-${kind}-${runId}-${index}`;
        const timeline =
          kind === 'rxdbFloor'
            ? await rxdbWrite(id, index >= liveWarmup)
            : await rawWrite(id, kind === 'protocolFloor');
        if (index < liveWarmup) continue;
        runs[kind].delays.push(timeline.arrived);
        runs[kind].timelines.push(timeline);
      }
    }
    const closed = [
      await receiver.evaluate(() => window.fieldbookBench!.rxdbFloorClose()),
      await writer.evaluate(() => window.fieldbookBench!.rxdbFloorClose()),
    ];
    const added = (key: 'pulls' | 'resyncs') =>
      closed.reduce((sum, counts, page) => sum + (counts?.[key] ?? 0) - opened[page]![key], 0);
    return { ...runs, rxdbReceiving, rxdbPulls: added('pulls'), rxdbResyncs: added('resyncs') };
  } finally {
    for (const page of [writer, receiver]) {
      await page
        .evaluate(() => window.fieldbookBench!.liveFloorClose())
        .catch((error: unknown) => console.error(`[bench] closing the live floor failed: ${String(error)}`));
      await page
        .evaluate(() => window.fieldbookBench!.rxdbFloorClose())
        .catch((error: unknown) => console.error(`[bench] closing the RxDB floor failed: ${String(error)}`));
    }
  }
}

/** Issue 4: replication and server figures against one backend (a real server process). */
export async function syncSuite(bench: BenchBrowser, options: SyncSuiteOptions): Promise<Figure[]> {
  const { quick, backend } = options;
  const label = backend === 'pglite' ? 'PGlite' : 'PostgreSQL';
  let prepared: PreparedBackend | undefined;
  let server: ServerProcess | undefined;
  const figures: Figure[] = [];
  try {
    prepared = await prepareBackend(backend);
    server = await startServerProcess(prepared.backend);
    const { url } = server;
    const backendRef = prepared.backend;
    // Each device writes as its token's member, as the app does (see ServerAccess).
    const users = { push: 'rep-a', pull: 'rep-b', live: 'rep-c', join: 'rep-d', import: 'rep-e' } as const;
    const [pullToken, liveToken, joinToken, importToken] = await Promise.all([
      createToken(backendRef, 'bench-pull', users.pull),
      createToken(backendRef, 'bench-live', users.live),
      createToken(backendRef, 'bench-join', users.join),
      createToken(backendRef, 'bench-import', users.import),
    ]);

    const page = await bench.openPage();
    const pushCount = quick ? 5_000 : 20_000;
    const pushes = await repeat(quick ? 1 : 3, 60_000, async () => {
      // A team of its own per run: in a shared one, the next run's fresh device also pulled the previous
      // run's 40,000 documents while it pushed (PostgreSQL, 3 Dec 2026: 52 pulls, awaitInSync 148 s).
      const pushToken = await createToken(backendRef, `bench-push-${Date.now()}`, users.push);
      const run = await page.evaluate((access) => window.fieldbookBench!.pushAfterImport(access), {
        url,
        token: pushToken,
        userId: users.push,
        count: pushCount,
        // 20,000 contacts take about 60 s on a quiet 2-core machine: the budget must not cut the figure short.
        budgetMs: quick ? 30_000 : 180_000,
        // The protocol floor pushes the same documents again: a tenant of its own, the same member.
        floorToken: await createToken(backendRef, `bench-push-protocol-${Date.now()}`, users.push),
      });
      // The server's own count, so the figure never rests on the client's word alone.
      const { documents } = await apiClient(url, pushToken).pullAll('contacts');
      const onServer = documents.filter((document) => document.id.startsWith(run.prefix)).length;
      // Floor, same run: the server alone taking as many contacts over HTTP from Node, in the client's batches.
      const floorToken = await createToken(backendRef, `bench-push-floor-${Date.now()}`, 'rep-a');
      const floorStarted = performance.now();
      await seed(url, floorToken, 'contacts', Math.max(onServer, 1000), seedContact, 1000);
      const floorRate = Math.max(onServer, 1000) / ((performance.now() - floorStarted) / 1000);
      // Complete only when the server holds every pushed contact (the status alone once said drained at 5,000).
      return { ...run, complete: run.complete && onServer === pushCount, onServer, floorRate };
    });
    console.log(`[bench] ${label} push breakdown: ${JSON.stringify(pushes.at(-1)?.breakdown)}`);
    const partial = (runs: { complete: boolean }[]) =>
      runs.some((run) => !run.complete) ? '; stopped at the time budget, rate over what was done' : '';
    const lastPush = pushes.at(-1)!;
    figures.push({
      issue: 4,
      name: `[${label}] push after importing ${pushCount.toLocaleString('en')} contacts`,
      // Acknowledged documents per second; when the budget ran out, the server's count is the ground truth.
      value: median(pushes.map((run) => (run.complete ? run.pushed : run.onServer) / (run.pushMs / 1000))),
      floor: median(pushes.map((run) => run.floorRate)),
      // Time ratio: the client's push time over the server alone's for as many documents.
      ratio: median(
        pushes.map(
          (run) => run.floorRate / ((run.complete ? run.pushed : run.onServer) / (run.pushMs / 1000)),
        ),
      ),
      unit: 'docs/s',
      target: '≥ 5,000 docs/s',
      runs: pushes.length,
      note:
        `until the outbox is empty; server holds ${lastPush.onServer}/${pushCount}; ` +
        `sync issues ${lastPush.syncIssues}${lastPush.lastError ? `, last error "${lastPush.lastError}"` : ''}; ` +
        `awaitInSync ${lastPush.inSyncMs === null ? 'not reached' : `${(lastPush.inSyncMs / 1000).toFixed(1)} s`}; ` +
        `import ${(median(pushes.map((run) => run.importMs)) / 1000).toFixed(1)} s (not counted)${partial(pushes)}; ` +
        'floor = the server alone taking the same number of contacts over HTTP in batches of 1,000 (the client also pushes one audit entry per contact)',
    });
    const pushRate = (run: (typeof pushes)[number]) =>
      (run.complete ? run.pushed : run.onServer) / (run.pushMs / 1000);
    const protocolFloorRate = (run: (typeof pushes)[number]) => pushCount / (run.protocolFloor.ms / 1000);
    const floorSeconds = (step: keyof (typeof pushes)[number]['protocolFloor']) =>
      (median(pushes.map((run) => run.protocolFloor[step])) / 1000).toFixed(1);
    figures.push({
      issue: 9,
      name: `[${label}] push after importing ${pushCount.toLocaleString('en')} contacts, against the replication protocol's floor`,
      value: median(pushes.map(pushRate)),
      floor: median(pushes.map(protocolFloorRate)),
      // Time ratio: the app's push time over the protocol floor's for as many contacts.
      ratio: median(pushes.map((run) => protocolFloorRate(run) / pushRate(run))),
      unit: 'docs/s',
      runs: pushes.length,
      note:
        `floor = what RxDB's upstream must do for the same stored documents (contacts and audit entries, concurrently), ` +
        `raw Dexie + fetch, batches of 1,000: change-feed page, assumed-master read, push request, assumed-master write; ` +
        `${lastPush.protocolFloor.requests} requests, ${lastPush.protocolFloor.documents} documents; ` +
        `floor ${floorSeconds('ms')} s wall; cumulative (the collections overlap): storage ` +
        `${(median(pushes.map((run) => run.protocolFloor.feedMs + run.protocolFloor.metaReadMs + run.protocolFloor.metaWriteMs)) / 1000).toFixed(1)} s ` +
        `(change feed ${floorSeconds('feedMs')}, assumed-master reads ${floorSeconds('metaReadMs')}, writes ${floorSeconds('metaWriteMs')}), ` +
        `server (push requests) ${floorSeconds('requestMs')} s`,
    });

    const pullCount = quick ? 20_000 : 100_000;
    await seed(url, pullToken!, 'contacts', pullCount, seedContact);
    const pulls = await repeat(quick ? 1 : 3, 60_000, () =>
      page.evaluate((access) => window.fieldbookBench!.initialPull(access), {
        url,
        token: pullToken!,
        userId: users.pull,
        expected: pullCount,
        budgetMs: quick ? 20_000 : 90_000,
      }),
    );
    await page.close();
    console.log(`[bench] ${label} pull breakdown: ${JSON.stringify(pulls.at(-1)?.breakdown)}`);
    figures.push({
      issue: 4,
      name: `[${label}] initial pull of ${pullCount.toLocaleString('en')} docs, fresh device`,
      value: median(pulls.map((run) => run.count / (run.pullMs / 1000))),
      floor: median(pulls.map((run) => run.count / (run.floorMs / 1000))),
      // Time ratio (pull time / bulkPut time of the same documents) = floor rate / measured rate.
      ratio: median(pulls.map((run) => run.pullMs / run.floorMs)),
      unit: 'docs/s',
      target: 'ratio ≤ 2',
      runs: pulls.length,
      note:
        `ratio = pull time / raw Dexie bulkPut time; ${median(pulls.map((run) => run.count))} docs pulled${partial(pulls)}; ` +
        `replication protocol floor (raw Dexie, pages of 1,000: read the local states, write the documents and ` +
        `their assumed master states) ${(median(pulls.map((run) => run.protocolFloorMs)) / 1000).toFixed(1)} s: ` +
        `pull / protocol floor ${median(pulls.map((run) => run.pullMs / run.protocolFloorMs)).toFixed(2)}×`,
    });

    // Issue 9: a fresh device joining a team, through the same startSync the app's Settings → Connect runs.
    const joinContacts = quick ? 20_000 : 100_000;
    const joinLeads = joinContacts / 4;
    await seed(url, joinToken!, 'contacts', joinContacts, seedContact);
    await seed(url, joinToken!, 'leads', joinLeads, seedLead);
    const joinPage = await bench.openPage();
    const joins = await repeat(quick ? 1 : 2, 60_000, () =>
      joinPage.evaluate((access) => window.fieldbookBench!.freshDevice(access), {
        url,
        token: joinToken!,
        userId: users.join,
        expected: joinContacts + joinLeads,
        budgetMs: quick ? 60_000 : 180_000,
      }),
    );
    const joinName = `${joinContacts.toLocaleString('en')} contacts + ${joinLeads.toLocaleString('en')} leads`;
    figures.push(
      {
        issue: 9,
        name: `[${label}] fresh device joins ${joinName}: to Synced`,
        value: median(joins.map((run) => run.syncedMs)),
        unit: 'ms',
        target: '≤ 5 s',
        runs: joins.length,
        note: `${median(joins.map((run) => run.received))} documents received${partial(joins)}`,
      },
      {
        issue: 9,
        name: `[${label}] fresh device joins ${joinName}: first 50 contacts listed`,
        value: median(joins.map((run) => run.usableMs ?? run.syncedMs)),
        unit: 'ms',
        runs: joins.length,
      },
    );
    const importCount = quick ? 2_000 : 5_000;
    const imports = await repeat(quick ? 1 : 3, 60_000, () =>
      joinPage.evaluate((access) => window.fieldbookBench!.importWhileConnected(access), {
        url,
        token: importToken!,
        userId: users.import,
        count: importCount,
      }),
    );
    await joinPage.close();
    figures.push(
      {
        issue: 9,
        name: `[${label}] import of ${importCount.toLocaleString('en')} contacts while connected`,
        value: median(imports.map((run) => run.connectedMs)),
        floor: median(imports.map((run) => run.offlineMs)),
        ratio: median(imports.map((run) => run.connectedMs / run.offlineMs)),
        unit: 'ms',
        target: 'ratio ≤ 1.2',
        runs: imports.length,
        note: 'floor = the same import on a device that is not connected; every fourth contact in Lead',
      },
      {
        issue: 9,
        name: `[${label}] import's sync done after it, per 5,000 documents`,
        value: median(imports.map((run) => (run.syncAfterMs * 5000) / importCount)),
        unit: 'ms',
        target: '≤ 1 s',
        runs: imports.length,
        note: 'from the end of the import until awaitInSync() (contacts, rule-made leads and audit entries pushed)',
      },
    );

    const writes = quick ? 20 : 40;
    const liveResults = await repeat(quick ? 1 : 3, 45_000, async () =>
      liveDelays(
        bench,
        url,
        {
          token: liveToken!,
          userId: users.live,
          floorToken: await createToken(backendRef, `bench-live-floor-${Date.now()}`, users.live),
          rxdbToken: await createToken(backendRef, `bench-live-rxdb-${Date.now()}`, users.live),
        },
        writes,
      ),
    );
    const p50Of = <T extends Record<K, number>, K extends string>(timelines: T[], key: K) =>
      percentile(
        timelines.map((timeline) => timeline[key]).filter((value) => !Number.isNaN(value)),
        50,
      ).toFixed(1);
    const timelines = liveResults.flatMap((run) => run.timelines);
    const liveBreakdown =
      `p50 ms after the write began: written locally ${p50Of(timelines, 'written')}, push sent ${p50Of(timelines, 'pushSent')}, ` +
      `push answered ${p50Of(timelines, 'pushAnswered')}, event at B's page ${p50Of(timelines, 'streamed')}, in B's database ${p50Of(timelines, 'arrived')}`;
    const floorTimelines = liveResults.flatMap((run) => run.floor.timelines);
    const floorBreakdown =
      `floor p50 ms: committed at A ${p50Of(floorTimelines, 'written')}, push answered ${p50Of(floorTimelines, 'pushAnswered')}, ` +
      `event at B's page ${p50Of(floorTimelines, 'streamed')}, committed at B ${p50Of(floorTimelines, 'arrived')}`;
    const protocolTimelines = liveResults.flatMap((run) => run.protocolFloor.timelines);
    const protocolBreakdown =
      `protocol floor p50 ms: committed at A ${p50Of(protocolTimelines, 'written')}, push answered ${p50Of(protocolTimelines, 'pushAnswered')}, ` +
      `event at B's page ${p50Of(protocolTimelines, 'streamed')}, committed at B ${p50Of(protocolTimelines, 'arrived')}`;
    const rxdbTimelines = liveResults.flatMap((run) => run.rxdbFloor.timelines);
    const rxdbReceiving = liveResults.flatMap((run) => run.rxdbReceiving);
    const rxdbBreakdown =
      `RxDB floor p50 ms: committed at A ${p50Of(rxdbTimelines, 'written')}, push sent ${p50Of(rxdbTimelines, 'pushSent')}, ` +
      `push answered ${p50Of(rxdbTimelines, 'pushAnswered')}, event at B's page ${p50Of(rxdbTimelines, 'streamed')}, ` +
      `in B's database ${p50Of(rxdbTimelines, 'arrived')} (B's downstream began reading ${p50Of(rxdbReceiving, 'readStarted')}, ` +
      `writing ${p50Of(rxdbReceiving, 'writeStarted')}); pulls during its writes ${liveResults.map((run) => run.rxdbPulls).join('/')}, ` +
      `RESYNCs ${liveResults.map((run) => run.rxdbResyncs).join('/')}`;
    console.log(
      `[bench] ${label} live breakdown: ${liveBreakdown}; ${floorBreakdown}; ${protocolBreakdown}; ${rxdbBreakdown}`,
    );
    /** Per run, the percentile `p` of the delays and of a floor's; ratios are medians of the per-run ratios. */
    const livePercentile = (p: number, floorOf: (run: (typeof liveResults)[number]) => LiveRun) => ({
      value: median(liveResults.map((run) => percentile(run.delays, p))),
      floor: median(liveResults.map((run) => percentile(floorOf(run).delays, p))),
      ratio: median(liveResults.map((run) => percentile(run.delays, p) / percentile(floorOf(run).delays, p))),
    });
    const floorNote = (p: number, name: string, floorOf: (run: (typeof liveResults)[number]) => LiveRun) => {
      const { floor, ratio } = livePercentile(p, floorOf);
      return `${name} p${p} ${floor.toFixed(1)} ms (${ratio.toFixed(2)}×)`;
    };
    const protocolNote = (p: number) => floorNote(p, 'protocol floor', (run) => run.protocolFloor);
    const rxdbNote = (p: number) => floorNote(p, 'RxDB floor', (run) => run.rxdbFloor);
    figures.push(
      {
        issue: 4,
        name: `[${label}] live delay A → B through the stream, p50`,
        ...livePercentile(50, (run) => run.floor),
        unit: 'ms',
        target: '≤ 15 ms',
        runs: liveResults.length,
        note:
          `${writes} writes/run; ${liveBreakdown}; floor (since 3 Dec 2026) = the same two pages, raw Dexie + fetch, ` +
          `a tenant of its own: A commits the contact and pushes it (one request), B's stream event, B commits it; ` +
          `${floorBreakdown}; ${protocolNote(50)}, adding RxDB's protocol reads and writes on that path ` +
          `(A: assumed-master read before the push; B: local and assumed-master reads before its write); ${protocolBreakdown}; ` +
          `${rxdbNote(50)} = a bare RxDB database per page (RxDB's Dexie storage, the contacts schema, no hooks) ` +
          `replicating with RxDB's replicateRxCollection through the same endpoints, live events to pull.stream$, ` +
          `another tenant; ${rxdbBreakdown}`,
      },
      {
        issue: 4,
        name: `[${label}] live delay A → B through the stream, p95`,
        ...livePercentile(95, (run) => run.floor),
        unit: 'ms',
        target: '≤ 40 ms',
        runs: liveResults.length,
        note: `${protocolNote(95)}; ${rxdbNote(95)}`,
      },
    );

    figures.push(
      ...(await serverLoad({ url, backend: backendRef, label, durationMs: quick ? 5_000 : 10_000 })),
    );
  } finally {
    await server?.stop();
    await prepared?.cleanup();
  }
  return figures;
}
