import { describe, expect, it } from 'vitest';
import { rawRequest } from '../testing/raw-http';
import { backendKinds } from '../testing/server-process';
import { useServer } from '../testing/server-suite';

for (const { kind, available, label } of backendKinds) {
  describe.skipIf(!available)(`authentication before the body [${label}]`, () => {
    const suite = useServer(kind);

    it('answers 401 to an unauthenticated 9 MB push before a byte of its body was sent', async () => {
      const host = new URL(suite.server.url).host;
      for (const auth of ['', 'Authorization: Bearer fbk_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\r\n']) {
        // Only the head goes out; the body never comes. A server that reads the body first never answers.
        const response = await rawRequest(
          suite.server.url,
          `POST /api/sync/contacts/push HTTP/1.1\r\nHost: ${host}\r\n${auth}Content-Type: application/json\r\n` +
            'Content-Length: 9000000\r\n\r\n',
        );
        expect(response.status).toBe(401);
        expect(JSON.parse(response.body)).toMatchObject({ error: 'unauthorized' });
      }
    });

    it('needs a token on every route but /healthz, matched or not', async () => {
      const host = new URL(suite.server.url).host;
      const get = (path: string) =>
        rawRequest(suite.server.url, `GET ${path} HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`);
      expect((await get('/healthz')).status).toBe(200);
      for (const path of ['/api/me', '/%61pi/me', '/API/me', '//api/me', '/api/sync/stream', '/anything']) {
        expect((await get(path)).status, path).toBe(401);
      }
    });
  });
}
