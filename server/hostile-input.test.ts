import { readFileSync } from 'node:fs';
import { collectionNames, type WireDocument } from '@shared/schemas';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { adminUrlForms } from './testing/admin-url-forms';
import { apiClient, contactDoc } from './testing/fixtures';
import { rawRequest } from './testing/raw-http';
import { backendKinds, createToken } from './testing/server-process';
import { useServer } from './testing/server-suite';

/**
 * Issue 8's hostile-input suite: fast-check generates malformed and adversarial requests from the wire
 * schemas and sends them to a real server process as a tenant's insider ("evil") would, next to a victim
 * tenant. Every answer must be below 500 and free of the victim's data; the valid rows of every mixed push
 * must be stored; afterwards the server must be healthy and its memory bounded. The seed is printed, so a
 * failure can be replayed (HOSTILE_SEED=…).
 */
/**
 * Per database, in every CI run; a new seed each run, so the runs add up. 1,000 keeps the suite's share of
 * CI (whose whole run must stay under 15 minutes on 2 cores) near 40 s; HOSTILE_REQUESTS runs more locally.
 */
const REQUESTS = Number(process.env.HOSTILE_REQUESTS ?? 1_000);
const CONCURRENCY = 8;
const SECRET = 'VICTIM-SECRET-7f3c9a';

/** Text PostgreSQL, JSON or a careless server trip on. */
const nastyString = fc.oneof(
  fc.constantFrom(
    '\u0000',
    'a\u0000b',
    '\ud800',
    '\udfff',
    '\udc00\ud800',
    '\ufeff',
    '\u202e',
    '%00',
    '%2e%2e%2f',
    '../../etc/passwd',
    "'; DROP TABLE documents; --",
    '$1',
    '{"$ne":null}',
    '__proto__',
    'constructor',
    '\\u0000',
    '😀'.repeat(50),
    'e\u0301',
  ),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  // Over the id limit; far larger values (a 5 MB id) have their own test (sync/push-rows.test.ts).
  fc.integer({ min: 129, max: 20_000 }).map((length) => 'x'.repeat(length)),
);

/** Numbers JSON can carry that a careless server stores or compares unchecked. */
const nastyNumber = fc.oneof(
  fc.constantFrom(1e308, -1e308, 2 ** 63, 2 ** 53, -1, -0, 0.5, Number.MAX_SAFE_INTEGER, 1e-320),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.integer(),
);

/** A value of the wrong type, or nested deep. */
const nastyValue: fc.Arbitrary<unknown> = fc.oneof(
  nastyString,
  nastyNumber,
  fc.constantFrom(null, true, false, [], {}),
  fc.jsonValue({ maxDepth: 4 }),
  fc.integer({ min: 50, max: 1000 }).map((depth) => {
    let value: unknown = 'bottom';
    for (let level = 0; level < depth; level++) value = level % 2 ? [value] : { deeper: value };
    return value;
  }),
);

const contactFields = Object.keys(contactDoc('x'));

/**
 * Percent-encodes like encodeURIComponent, but a lone surrogate (which it refuses) becomes the bytes a
 * hostile client would send for it (CESU/WTF-8).
 */
function percentEncoded(text: string): string {
  return [...text]
    .map((character) => {
      try {
        return encodeURIComponent(character);
      } catch {
        return '%ED%A0%80';
      }
    })
    .join('');
}

type Row = { newDocumentState: unknown; assumedMasterState?: unknown };
type PushCase = { kind: 'push'; collection: string; rows: { row: Row; valid: boolean }[]; device?: string };
type RequestCase =
  | PushCase
  | { kind: 'raw-push'; collection: string; body: string; contentType: string }
  | { kind: 'pull'; collection: string; query: string }
  | { kind: 'get'; path: string; token: 'evil' | 'none' | 'junk' }
  | { kind: 'admin'; target: string; method: 'GET' | 'POST' };

function requestCases(victim: { ids: string[]; revisions: number[] }, origin: string) {
  let serial = 0;
  const nextId = () => `ok-${Date.now().toString(36)}-${serial++}`;
  const hostileId = fc.oneof(nastyString, fc.constantFrom(...victim.ids), nastyValue);
  const hostileRevision = fc.oneof(nastyNumber, fc.constantFrom(...victim.revisions), nastyValue);
  const validRow = fc.constant(null).map(() => ({
    row: { newDocumentState: contactDoc(nextId(), { updatedBy: 'mallory' }), assumedMasterState: null },
    valid: true,
  }));
  const hostileRow = fc
    .record({
      field: fc.constantFrom(...contactFields, 'extra', '__proto__'),
      value: nastyValue,
      id: fc.option(hostileId, { nil: undefined }),
      assumed: fc.option(
        fc.record({ id: fc.oneof(fc.constantFrom(...victim.ids), nastyString), serverRev: hostileRevision }),
        { nil: undefined },
      ),
      wholeRow: fc.option(nastyValue, { freq: 8, nil: undefined }),
    })
    .map(({ field, value, id, assumed, wholeRow }) => {
      if (wholeRow !== undefined) return { row: wholeRow as Row, valid: false };
      const document: Record<string, unknown> = { ...contactDoc(nextId()), [field]: value };
      if (id !== undefined) document.id = id;
      const row: Row = { newDocumentState: document };
      if (assumed !== undefined) row.assumedMasterState = { ...assumed, _deleted: false };
      // A victim id alone is a valid new document of the evil tenant (ids are per tenant).
      return { row, valid: false };
    });
  const collection = fc.oneof(
    { weight: 8, arbitrary: fc.constant('contacts') },
    { weight: 1, arbitrary: fc.constantFrom(...collectionNames) },
    { weight: 1, arbitrary: nastyString.map(percentEncoded) },
  );
  const push: fc.Arbitrary<RequestCase> = fc.record({
    kind: fc.constant('push' as const),
    collection,
    rows: fc.array(fc.oneof(validRow, hostileRow), { minLength: 1, maxLength: 12 }),
    device: fc.option(fc.oneof(fc.constantFrom('laptop-1', 'phone-1'), nastyString), { nil: undefined }),
  });
  const rawPush: fc.Arbitrary<RequestCase> = fc.record({
    kind: fc.constant('raw-push' as const),
    collection: fc.constant('contacts'),
    contentType: fc.constantFrom('application/json', 'text/plain', 'application/json; charset=latin1', ''),
    body: fc.oneof(
      fc.json({ maxDepth: 5 }),
      fc.string({ unit: 'binary', maxLength: 200 }),
      fc.constantFrom(
        '{"rows":',
        '{"rows":[{"newDocumentState":{"id":"a","_deleted":false}}]',
        '{"rows":[1e999]}',
        '{"__proto__":{"rows":[]}}',
        `{"rows":${'['.repeat(100_000)}`,
        `${'['.repeat(200_000)}${']'.repeat(200_000)}`,
        `{"rows":[${'{"newDocumentState":{"id":"x","_deleted":false}},'.repeat(6000)}1]}`,
        '{"rows":[{"newDocumentState":{"id":"\\ud800","_deleted":false}}]}',
      ),
    ),
  });
  const checkpoint = fc.oneof(
    nastyNumber.map(String),
    fc.constantFrom(
      ...victim.revisions.map(String),
      '',
      'NaN',
      'Infinity',
      '1e308',
      '-1',
      '0x10',
      '9'.repeat(400),
    ),
    nastyString.map(percentEncoded),
  );
  const pull: fc.Arbitrary<RequestCase> = fc.record({
    kind: fc.constant('pull' as const),
    collection,
    query: fc
      .tuple(checkpoint, fc.oneof(checkpoint, fc.constant('1000')))
      .map(([seq, limit]) => `seq=${seq}&limit=${limit}`),
  });
  const get: fc.Arbitrary<RequestCase> = fc.record({
    kind: fc.constant('get' as const),
    path: fc.oneof(
      fc.constantFrom('/api/me', '/api/sync/teamMembers/pull', '/healthz', '/api/sync/contacts/pull?seq=0'),
      nastyString.map((text) => `/api/${percentEncoded(text).slice(0, 4000)}`),
    ),
    token: fc.constantFrom('evil' as const, 'none' as const, 'junk' as const),
  });
  const admin: fc.Arbitrary<RequestCase> = fc.record({
    kind: fc.constant('admin' as const),
    target: fc.constantFrom(...adminUrlForms(origin)),
    method: fc.constantFrom('GET' as const, 'POST' as const),
  });
  return fc.oneof(
    { weight: 5, arbitrary: push },
    { weight: 2, arbitrary: rawPush },
    { weight: 2, arbitrary: pull },
    { weight: 1, arbitrary: get },
    { weight: 1, arbitrary: admin },
  );
}

function rssKilobytes(pid: number): number {
  const match = readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmRSS:\s+(\d+) kB/);
  return Number(match?.[1] ?? 0);
}

for (const { kind, available, label } of backendKinds) {
  describe.skipIf(!available)(`hostile input [${label}]`, () => {
    // Every request must reach validation: the throttles have their own tests (limits.test.ts).
    const suite = useServer(kind, {
      env: { AUTH_FAILURES_PER_MINUTE: '1000000', TOKEN_REQUESTS_PER_MINUTE: '0' },
    });
    let evil: string;
    const victim = { ids: [] as string[], revisions: [] as number[] };

    beforeAll(async () => {
      const victimToken = await createToken(suite.prepared.backend, 'victim', 'vera');
      evil = await createToken(suite.prepared.backend, 'evil', 'mallory');
      const victimApi = apiClient(suite.server.url, victimToken);
      const pushed = await victimApi.push(
        'contacts',
        Array.from({ length: 5 }, (_, i) => ({
          newDocumentState: contactDoc(`victim-${i}`, { notes: SECRET, lastName: SECRET, updatedBy: 'vera' }),
        })),
      );
      victim.ids = pushed.accepted.map((revision) => revision.id);
      victim.revisions = pushed.accepted.map((revision) => revision.serverRev);
    });

    it(`answers ${REQUESTS} generated hostile requests below 500, leaks nothing, stores the valid rows`, async () => {
      const { url } = suite.server;
      const host = new URL(url).host;
      const seed = Number(process.env.HOSTILE_SEED ?? Date.now() % 2 ** 31);
      const cases = fc.sample(requestCases(victim, url), { numRuns: REQUESTS, seed });
      const rssBefore = rssKilobytes(suite.server.pid);
      const failures: string[] = [];
      const expectedStored = new Map<string, string>();
      const counts = new Map<string, number>();
      const evilApi = apiClient(url, evil);

      const send = async (request: RequestCase): Promise<{ status: number; body: string }> => {
        const auth = { authorization: `Bearer ${evil}` };
        switch (request.kind) {
          case 'push': {
            const response = await evilApi.fetch(`/api/sync/${request.collection}/push`, {
              method: 'POST',
              headers: {
                'content-type': 'application/json',
                ...(request.device
                  ? { 'x-fieldbook-device': percentEncoded(request.device).slice(0, 200) }
                  : {}),
              },
              body: JSON.stringify({ rows: request.rows.map((entry) => entry.row) }),
            });
            const body = await response.text();
            const validIds = request.rows
              .filter((entry) => entry.valid)
              .map((entry) => (entry.row.newDocumentState as WireDocument).id);
            if (response.status === 200 && request.collection === 'contacts') {
              const accepted = new Set(
                (JSON.parse(body) as { accepted: { id: string }[] }).accepted.map((a) => a.id),
              );
              const missing = validIds.filter((id) => !accepted.has(id));
              if (missing.length > 0)
                failures.push(`valid rows not accepted: ${missing} in ${body.slice(0, 500)}`);
              for (const id of validIds) expectedStored.set(id, 'mallory');
            } else if (
              request.collection === 'contacts' &&
              !request.device &&
              // Fastify refuses a whole body with a "__proto__" or "constructor" key (prototype poisoning).
              !(response.status === 400 && /"(__proto__|constructor)":/.test(JSON.stringify(request.rows)))
            ) {
              failures.push(`push of a mixed batch answered ${response.status}: ${body.slice(0, 300)}`);
            }
            return { status: response.status, body };
          }
          case 'raw-push': {
            const response = await fetch(new URL('/api/sync/contacts/push', url), {
              method: 'POST',
              headers: { ...auth, ...(request.contentType ? { 'content-type': request.contentType } : {}) },
              body: request.body,
            });
            return { status: response.status, body: await response.text() };
          }
          case 'pull': {
            const response = await evilApi.fetch(`/api/sync/${request.collection}/pull?${request.query}`);
            return { status: response.status, body: await response.text() };
          }
          case 'get': {
            const token: Record<string, string> = {
              evil: auth,
              none: {},
              junk: { authorization: 'Bearer fbk_junk' },
            }[request.token];
            const response = await fetch(new URL(request.path, url), { headers: token });
            return { status: response.status, body: await response.text() };
          }
          case 'admin': {
            const body = JSON.stringify({ tenantId: 'victim', userId: 'root' });
            return rawRequest(
              url,
              `${request.method} ${request.target} HTTP/1.1\r\nHost: ${host}\r\nAuthorization: Bearer ${evil}\r\n` +
                `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n`,
              { body },
            );
          }
        }
      };

      /**
       * One retry when the request never got an answer (fetch's "fetch failed": a connection reset under
       * the CI's parallel load, seen twice in clean-clone runs on PostgreSQL, never reproduced alone). The
       * contract here is about answers (no 5xx, no leak); a server that drops the connection for a given
       * input drops it on the retry too and still fails the test, with the transport's reason.
       */
      const sentRetryingTransportFailure = async (request: RequestCase) => {
        // Counted once per generated request, however often it is sent.
        counts.set(request.kind, (counts.get(request.kind) ?? 0) + 1);
        try {
          return await send(request);
        } catch (error) {
          if ((error as Error).message !== 'fetch failed') throw error;
          console.warn(`[hostile ${label}] retrying after ${transportReason(error)}`);
          return send(request);
        }
      };

      let next = 0;
      const worker = async () => {
        while (next < cases.length) {
          const request = cases[next++] as RequestCase;
          try {
            const { status, body } = await sentRetryingTransportFailure(request);
            const described = `${request.kind} ${JSON.stringify(request).slice(0, 300)}`;
            if (status >= 500) failures.push(`${status} for ${described}: ${body.slice(0, 300)}`);
            if (body.includes(SECRET) || /"tenantId":"victim"/.test(body))
              failures.push(`victim data in the answer to ${described}`);
            if (request.kind === 'admin' && status < 400)
              failures.push(`admin answered ${status}: ${described}`);
          } catch (error) {
            failures.push(
              `${request.kind} failed twice: ${transportReason(error)} for ${JSON.stringify(request).slice(0, 300)}`,
            );
          }
        }
      };
      await Promise.all(Array.from({ length: CONCURRENCY }, worker));

      expect(failures.slice(0, 20), `seed ${seed}`).toEqual([]);
      expect([...counts.values()].reduce((sum, count) => sum + count, 0)).toBe(REQUESTS);
      // The server is healthy, its memory bounded, and the valid rows of the mixed batches are stored.
      expect((await fetch(new URL('/healthz', url))).status).toBe(200);
      const stored = new Map(
        (await evilApi.pullAll('contacts', 0, 5000)).documents.map((doc) => [doc.id, doc.updatedBy]),
      );
      const lost = [...expectedStored].filter(([id, author]) => stored.get(id) !== author);
      expect(lost).toEqual([]);
      expect(expectedStored.size).toBeGreaterThan(100);
      const rssAfter = rssKilobytes(suite.server.pid);
      console.info(
        `[hostile ${label}] seed ${seed}: ${REQUESTS} requests ${JSON.stringify(Object.fromEntries(counts))}, ` +
          `${expectedStored.size} valid rows stored, RSS ${Math.round(rssBefore / 1024)} → ${Math.round(rssAfter / 1024)} MB`,
      );
      expect(rssAfter).toBeLessThan(Math.max(2 * rssBefore, rssBefore + 400 * 1024));
      // The victim's documents are untouched.
      const victimStored = await apiClient(url, evil).pull('contacts', 0, 5000);
      expect(JSON.stringify(victimStored)).not.toContain(SECRET);
    }, 300_000);
  });
}

/** fetch's error with the transport's own reason (ECONNRESET, "other side closed"…), kept in its cause. */
function transportReason(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return `${(error as Error).message}${cause ? ` (${[cause.code, cause.message].filter(Boolean).join(' ')})` : ''}`;
}
