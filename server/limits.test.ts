import { connect, type Socket } from 'node:net';
import { beforeAll, describe, expect, it } from 'vitest';
import { rawRequest } from './testing/raw-http';
import { backendKinds, createToken } from './testing/server-process';
import { useServer } from './testing/server-suite';

/** Small limits, so each can be reached in a test; the defaults are in server/config.ts and the README. */
const limits = {
  HEADERS_TIMEOUT_MS: '1500',
  REQUEST_TIMEOUT_MS: '3000',
  KEEP_ALIVE_TIMEOUT_MS: '1000',
  MAX_CONNECTIONS: '40',
  TOKEN_REQUESTS_PER_MINUTE: '100',
  STREAMS_PER_TENANT: '15',
  // The test plays several client addresses through X-Forwarded-For from its own loopback address.
  TRUST_PROXY: '127.0.0.1',
};

function openSocket(url: string): Promise<Socket> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: hostname, port: Number(port) }, () => resolve(socket));
    socket.once('error', reject);
  });
}

/** Resolves with the milliseconds until the server closed `socket`, or null if it is still open after `withinMs`. */
function closedWithin(socket: Socket, withinMs: number): Promise<number | null> {
  const started = Date.now();
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(null), withinMs);
    socket.once('close', () => {
      clearTimeout(timer);
      resolve(Date.now() - started);
    });
    socket.on('error', () => undefined);
    socket.resume();
  });
}

/** Writes `text` one byte every `everyMs` until the socket closes. */
function trickle(socket: Socket, text: string, everyMs: number): void {
  let index = 0;
  const timer = setInterval(() => {
    if (socket.destroyed || index >= text.length) return clearInterval(timer);
    socket.write(text[index++] ?? '');
  }, everyMs);
  socket.once('close', () => clearInterval(timer));
}

for (const { kind, available, label } of backendKinds) {
  describe.skipIf(!available)(`limits and throttling [${label}]`, () => {
    const suite = useServer(kind, { env: limits });
    const get = (path: string, headers: Record<string, string> = {}) =>
      fetch(new URL(path, suite.server.url), { headers });
    let tokenA: string;
    let tokenB: string;
    let spare: string;

    beforeAll(async () => {
      [tokenA, tokenB, spare] = await Promise.all([
        createToken(suite.prepared.backend, 'limits', 'ann'),
        createToken(suite.prepared.backend, 'limits', 'ben'),
        createToken(suite.prepared.backend, 'limits-other', 'cat'),
      ]);
    });

    it('answers an address 429 with Retry-After after 30 failed authentications a minute; /healthz and other addresses are not affected', async () => {
      const attacker = { 'x-forwarded-for': '203.0.113.7' };
      const statuses: number[] = [];
      for (let attempt = 0; attempt < 35; attempt++) {
        const response = await get('/api/me', { ...attacker, authorization: `Bearer fbk_wrong${attempt}` });
        statuses.push(response.status);
        if (response.status === 429) {
          const retryAfter = Number(response.headers.get('retry-after'));
          expect(retryAfter).toBeGreaterThan(0);
          expect(retryAfter).toBeLessThanOrEqual(60);
        }
      }
      expect(statuses.slice(0, 30).every((status) => status === 401)).toBe(true);
      expect(statuses.slice(30).every((status) => status === 429)).toBe(true);
      // The address is blocked before any token check, a valid token included; /healthz stays open.
      expect((await get('/api/me', { ...attacker, authorization: `Bearer ${spare}` })).status).toBe(429);
      expect((await get('/healthz', attacker)).status).toBe(200);
      // Another address is not affected.
      const neighbour = { 'x-forwarded-for': '198.51.100.2' };
      expect((await get('/api/me', { ...neighbour, authorization: `Bearer ${spare}` })).status).toBe(200);
      expect((await get('/api/me', { ...neighbour, authorization: 'Bearer fbk_wrong' })).status).toBe(401);
    });

    it('answers a token 429 beyond its request rate; other tokens go on', async () => {
      const token = await createToken(suite.prepared.backend, 'limits', 'busy');
      const statuses: number[] = [];
      for (let request = 0; request < 102; request++) {
        statuses.push((await get('/api/me', { authorization: `Bearer ${token}` })).status);
      }
      expect(statuses.filter((status) => status === 200)).toHaveLength(100);
      expect(statuses.slice(100)).toEqual([429, 429]);
      expect((await get('/api/me', { authorization: `Bearer ${spare}` })).status).toBe(200);
      for (let request = 0; request < 50; request++) {
        expect((await get('/healthz')).status).toBe(200);
      }
    });

    it('caps open change streams per token (10) and per tenant (15) with 429', async () => {
      const open: AbortController[] = [];
      const stream = async (token: string) => {
        const controller = new AbortController();
        const response = await fetch(new URL('/api/sync/stream', suite.server.url), {
          headers: { authorization: `Bearer ${token}` },
          signal: controller.signal,
        });
        if (response.status === 200) open.push(controller);
        else await response.text();
        return response;
      };
      try {
        const first = await Promise.all(Array.from({ length: 10 }, () => stream(tokenA)));
        expect(first.map((response) => response.status)).toEqual(Array(10).fill(200));
        const eleventh = await stream(tokenA);
        expect(eleventh.status).toBe(429);
        expect(eleventh.headers.get('retry-after')).toBeTruthy();
        const ofB = await Promise.all(Array.from({ length: 6 }, () => stream(tokenB)));
        expect(ofB.map((response) => response.status).sort()).toEqual([200, 200, 200, 200, 200, 429]);
        // A closed stream frees its place.
        open.shift()?.abort();
        await expect
          .poll(async () => (await stream(tokenB)).status, { timeout: 10_000, interval: 200 })
          .toBe(200);
      } finally {
        for (const controller of open) controller.abort();
      }
    });

    it('closes a connection that trickles its headers (HEADERS_TIMEOUT_MS)', async () => {
      const socket = await openSocket(suite.server.url);
      socket.write('GET /healthz HTTP/1.1\r\nHost: x\r\n');
      trickle(socket, `X-Slow: ${'a'.repeat(100)}`, 200);
      const closedAfter = await closedWithin(socket, 10_000);
      expect(closedAfter).not.toBeNull();
      expect(closedAfter).toBeLessThan(6_000);
    });

    it('closes a connection that trickles its body (REQUEST_TIMEOUT_MS)', async () => {
      const socket = await openSocket(suite.server.url);
      socket.write(
        `POST /api/sync/contacts/push HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${spare}\r\n` +
          'Content-Type: application/json\r\nContent-Length: 100000\r\n\r\n{"rows":[',
      );
      trickle(socket, ' '.repeat(1000), 200);
      const closedAfter = await closedWithin(socket, 12_000);
      expect(closedAfter).not.toBeNull();
      expect(closedAfter).toBeLessThan(8_000);
    });

    it('closes an idle keep-alive connection (KEEP_ALIVE_TIMEOUT_MS)', async () => {
      const socket = await openSocket(suite.server.url);
      const answered = new Promise<void>((resolve) => socket.once('data', () => resolve()));
      socket.write('GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: keep-alive\r\n\r\n');
      await answered;
      const closedAfter = await closedWithin(socket, 10_000);
      expect(closedAfter).not.toBeNull();
      expect(closedAfter).toBeLessThan(4_000);
    });

    it('refuses connections beyond MAX_CONNECTIONS and serves again once they close', async () => {
      const sockets = await Promise.all(Array.from({ length: 45 }, () => openSocket(suite.server.url)));
      const outcomes = await Promise.all(
        sockets.map(
          (socket) =>
            new Promise<'answered' | 'refused'>((resolve) => {
              socket.once('data', () => resolve('answered'));
              socket.once('close', () => resolve('refused'));
              socket.on('error', () => undefined);
              socket.write('GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: keep-alive\r\n\r\n');
            }),
        ),
      );
      for (const socket of sockets) socket.destroy();
      expect(outcomes.filter((outcome) => outcome === 'answered').length).toBeLessThanOrEqual(40);
      expect(outcomes.filter((outcome) => outcome === 'refused').length).toBeGreaterThanOrEqual(5);
      await expect
        .poll(
          async () =>
            (
              await rawRequest(
                suite.server.url,
                'GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n',
              )
            ).status,
          {
            timeout: 10_000,
            interval: 200,
          },
        )
        .toBe(200);
    });
  });
}
