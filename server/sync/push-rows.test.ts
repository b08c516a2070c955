import { pushResponseSchema } from '@shared/schemas';
import { beforeAll, describe, expect, it } from 'vitest';
import { apiClient, contactDoc } from '../testing/fixtures';
import { backendKinds, createToken } from '../testing/server-process';
import { useServer } from '../testing/server-suite';

/** Pushes a raw JSON text (so values JSON.stringify would not write, like 1e308, can be sent). */
async function pushRaw(url: string, token: string, body: string, device?: string) {
  const response = await fetch(new URL('/api/sync/contacts/push', url), {
    method: 'POST',
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
      ...(device ? { 'x-fieldbook-device': device } : {}),
    },
    body,
  });
  return { status: response.status, text: await response.text() };
}

for (const { kind, available, label } of backendKinds) {
  describe.skipIf(!available)(`every bad row is rejected by itself [${label}]`, () => {
    const suite = useServer(kind);
    let token: string;

    beforeAll(async () => {
      token = await createToken(suite.prepared.backend, 'rows', 'alice', 'Alice Archer');
    });

    it('rejects NUL bytes, lone surrogates and unsafe assumed revisions row by row; the valid rows land', async () => {
      const api = apiClient(suite.server.url, token);
      await api.push('contacts', [{ newDocumentState: contactDoc('existing', { updatedBy: 'alice' }) }]);
      const good = (id: string) =>
        JSON.stringify({ newDocumentState: contactDoc(id, { updatedBy: 'alice' }) });
      const bad = {
        nul: JSON.stringify({ newDocumentState: contactDoc('nul', { notes: 'a\u0000b' }) }),
        'lone-surrogate': JSON.stringify({
          newDocumentState: contactDoc('lone-surrogate', { lastName: '\ud800' }),
        }),
        'nul-in-id': JSON.stringify({ newDocumentState: contactDoc('nul\u0000id') }),
        // Raw JSON numbers: 1e308 and 2^63 as a client (or an attacker) writes them.
        'rev-1e308': `{"newDocumentState":${JSON.stringify(contactDoc('existing'))},"assumedMasterState":{"id":"existing","_deleted":false,"serverRev":1e308}}`,
        'rev-2p63': `{"newDocumentState":${JSON.stringify(contactDoc('rev-2p63'))},"assumedMasterState":{"id":"rev-2p63","_deleted":false,"serverRev":9223372036854775808}}`,
        'rev-negative': `{"newDocumentState":${JSON.stringify(contactDoc('rev-negative'))},"assumedMasterState":{"id":"rev-negative","_deleted":false,"serverRev":-1}}`,
        'infinite-date': `{"newDocumentState":${JSON.stringify(contactDoc('infinite-date')).replace(/"updatedAt":\d+/, '"updatedAt":1e999')}}`,
        'not-an-object': '"just a string"',
      };
      const body = `{"rows":[${[good('ok-1'), ...Object.values(bad), good('ok-2')].join(',')}]}`;
      const response = await pushRaw(suite.server.url, token, body);
      expect(response.status, response.text).toBe(200);
      const result = pushResponseSchema.parse(JSON.parse(response.text));
      expect(result.accepted.map((revision) => revision.id)).toEqual(['ok-1', 'ok-2']);
      expect(result.conflicts).toEqual([]);
      const rejected = Object.fromEntries(
        result.rejected.map((row) => [row.id, row.issues.map((i) => i.field)]),
      );
      expect(rejected).toEqual({
        nul: ['notes'],
        'lone-surrogate': ['lastName'],
        'nul\u0000id': ['id'],
        existing: ['assumedMasterState.serverRev'],
        'rev-2p63': ['assumedMasterState.serverRev'],
        'rev-negative': ['assumedMasterState.serverRev'],
        'infinite-date': ['updatedAt'],
        null: [''],
      });
      const stored = (await api.pullAll('contacts')).documents.map((doc) => doc.id).sort();
      expect(stored).toEqual(['existing', 'ok-1', 'ok-2']);
    });

    it('rejects a 5 MB id with a clipped id: the answer and the log lines stay small', async () => {
      const hugeId = 'x'.repeat(5 * 1024 * 1024);
      const response = await pushRaw(
        suite.server.url,
        token,
        JSON.stringify({ rows: [{ newDocumentState: contactDoc(hugeId) }] }),
      );
      expect(response.status).toBe(200);
      expect(response.text.length).toBeLessThan(2000);
      const [rejected] = pushResponseSchema.parse(JSON.parse(response.text)).rejected;
      expect(rejected?.id).toMatch(/^x{200}… \(5242880 characters\)$/);
      expect(rejected?.issues).toEqual([{ field: 'id', message: 'At most 128 characters' }]);
      // The rejection is logged (warn), clipped like the answer.
      await expect.poll(() => suite.server.output()).toMatch(/rejected pushed documents/);
      const longest = Math.max(
        ...suite.server
          .output()
          .split('\n')
          .map((line) => line.length),
      );
      expect(longest).toBeLessThan(10_000);
    });

    it('clips echoed collection names and paths', async () => {
      // Just under Node's 16 kB header limit (beyond it Node answers 431 itself).
      const long = 'c'.repeat(12_000);
      const api = apiClient(suite.server.url, token);
      for (const path of [`/api/sync/${long}/pull`, `/api/${long}`]) {
        const response = await api.fetch(path);
        // 414: Fastify's route parameter limit (100 characters) answers first.
        expect([404, 414]).toContain(response.status);
        expect((await response.text()).length).toBeLessThan(1000);
      }
    });

    it('decides authorship: updatedBy is the token member, and the device pulls the server value', async () => {
      const device = 'device-a';
      const api = apiClient(suite.server.url, token, device);
      const { checkpoint } = await api.pullAll('contacts');
      const response = await api.push('contacts', [
        { newDocumentState: contactDoc('forged', { updatedBy: 'bob' }) },
        { newDocumentState: contactDoc('honest', { updatedBy: 'alice' }) },
      ]);
      expect(response.accepted.map((revision) => revision.id)).toEqual(['forged', 'honest']);
      // The device gets back only what the server changed; its honest write stays its own.
      const pulled = (await api.pullAll('contacts', checkpoint)).documents;
      expect(pulled.map((doc) => [doc.id, doc.updatedBy])).toEqual([['forged', 'alice']]);
      // Every other reader sees the server's value for both.
      const other = apiClient(suite.server.url, token, 'device-b');
      const seen = (await other.pullAll('contacts', checkpoint)).documents;
      expect(seen.map((doc) => [doc.id, doc.updatedBy])).toEqual([
        ['forged', 'alice'],
        ['honest', 'alice'],
      ]);
    });
  });
}
