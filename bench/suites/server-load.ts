import { apiClient, contactDoc } from '@server/testing/fixtures';
import { createToken, type ServerBackend } from '@server/testing/server-process';
import { type Figure, percentile } from '../lib/stats';

const clientCount = 200;
const tenantCount = 10;

/**
 * (Issue 4) 200 simulated devices (10 teams of 20) over loopback for a bounded time, each looping
 * "push one new contact, pull what is new since my checkpoint", like a live client. Afterwards every
 * acknowledged document is looked up on the server: `lost` counts those missing or different.
 */
export async function serverLoad(options: {
  url: string;
  backend: ServerBackend;
  label: string;
  durationMs: number;
}): Promise<Figure[]> {
  const tokens = await Promise.all(
    Array.from({ length: tenantCount }, (_, tenant) =>
      createToken(options.backend, `bench-load-${tenant}`, 'rep'),
    ),
  );
  const pushLatencies: number[] = [];
  const pullLatencies: number[] = [];
  const acknowledged: { tenant: number; id: string; lastName: string }[] = [];
  let failures = 0;
  const runId = Date.now().toString(36);
  const started = performance.now();
  const deadline = started + options.durationMs;

  const client = async (clientIndex: number) => {
    const tenant = clientIndex % tenantCount;
    const api = apiClient(options.url, tokens[tenant]);
    let checkpoint = 0;
    for (let round = 0; performance.now() < deadline; round++) {
      const id = `load-${runId}-${clientIndex}-${round}`;
      const lastName = `Client ${clientIndex} round ${round}`;
      try {
        let requestStarted = performance.now();
        const pushed = await api.push('contacts', [
          { newDocumentState: contactDoc(id, { lastName }), assumedMasterState: null },
        ]);
        pushLatencies.push(performance.now() - requestStarted);
        if (pushed.rejected.length === 0 && pushed.conflicts.length === 0) {
          acknowledged.push({ tenant, id, lastName });
        } else {
          failures += 1;
        }
        requestStarted = performance.now();
        const pulled = await api.pull('contacts', checkpoint, 1000);
        pullLatencies.push(performance.now() - requestStarted);
        checkpoint = pulled.checkpoint.seq;
      } catch (error) {
        failures += 1;
        console.error(`[load] client ${clientIndex}: ${error instanceof Error ? error.message : error}`);
      }
    }
  };
  await Promise.all(Array.from({ length: clientCount }, (_, index) => client(index)));
  const elapsedSeconds = (performance.now() - started) / 1000;

  let lost = 0;
  for (let tenant = 0; tenant < tenantCount; tenant++) {
    const { documents } = await apiClient(options.url, tokens[tenant]).pullAll('contacts');
    const onServer = new Map(documents.map((document) => [document.id, document]));
    for (const entry of acknowledged.filter((ack) => ack.tenant === tenant)) {
      if (onServer.get(entry.id)?.lastName !== entry.lastName) lost += 1;
    }
  }
  const all = [...pushLatencies, ...pullLatencies];
  const throughput = all.length / elapsedSeconds;
  return [
    {
      issue: 4,
      name: `[${options.label}] ${clientCount} clients push + pull: throughput`,
      value: throughput,
      unit: 'req/s',
      runs: 1,
      note: `${(options.durationMs / 1000).toFixed(0)} s, ${tenantCount} tenants; ${acknowledged.length} pushes acknowledged, ${failures} failed`,
    },
    {
      issue: 4,
      name: `[${options.label}] ${clientCount} clients push + pull: p95 latency`,
      value: percentile(all, 95),
      unit: 'ms',
      // Issue 9's targets: looser for the embedded PGlite (single-threaded, in the server's process).
      target: options.backend.kind === 'pglite' ? '≤ 500 ms' : '≤ 100 ms',
      runs: 1,
      note:
        `push p95 ${percentile(pushLatencies, 95).toFixed(0)} ms, pull p95 ${percentile(pullLatencies, 95).toFixed(0)} ms, p50 ${percentile(all, 50).toFixed(0)} ms; ` +
        // Each client waits for its answer before the next request, so the mean latency is set by throughput.
        `a closed loop's mean latency = clients / throughput = ${((clientCount / throughput) * 1000).toFixed(0)} ms`,
    },
    {
      issue: 4,
      name: `[${options.label}] ${clientCount} clients: acknowledged writes lost`,
      value: lost,
      unit: 'docs',
      target: '0',
      runs: 1,
      note: `checked ${acknowledged.length} acknowledged documents on the server`,
    },
  ];
}
