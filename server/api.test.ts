import { errorBodySchema, meSchema, pushResponseSchema, teamMemberSchema } from '@shared/schemas';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient, contactDoc, openStream } from './testing/fixtures';
import {
  backendKinds,
  createToken,
  type PreparedBackend,
  prepareBackend,
  runCli,
  type ServerProcess,
  startServerProcess,
} from './testing/server-process';

const BODY_LIMIT = 64 * 1024;

for (const { kind, available, label } of backendKinds) {
  describe.skipIf(!available)(`sync server API [${label}]`, () => {
    let prepared: PreparedBackend;
    let server: ServerProcess;
    let alice: string;
    let bob: string;
    let mallory: string;
    let api: ReturnType<typeof apiClient>;

    beforeAll(async () => {
      prepared = await prepareBackend(kind);
      // Short heartbeats so the revoked-token test does not wait 15 s.
      // A small body limit: an oversized body that still fits the socket buffers gets its 413 reliably
      // (with a 10 MB body the server may close the socket while the client still writes: EPIPE).
      server = await startServerProcess(prepared.backend, {
        // Many refused tokens from one address on purpose: the throttle has its own test (limits.test.ts).
        env: {
          SSE_HEARTBEAT_MS: '300',
          BODY_LIMIT_BYTES: String(BODY_LIMIT),
          AUTH_FAILURES_PER_MINUTE: '1000',
        },
      });
      alice = await createToken(prepared.backend, 'acme', 'alice', 'Alice Archer');
      [bob, mallory] = await Promise.all([
        createToken(prepared.backend, 'acme', 'bob'),
        createToken(prepared.backend, 'globex', 'mallory'),
      ]);
      api = apiClient(server.url, alice);
    }, 90_000);

    afterAll(async () => {
      await server?.stop();
      await prepared?.cleanup();
    });

    it('answers /healthz with 200 while the database answers', async () => {
      const response = await fetch(new URL('/healthz', server.url));
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ status: 'ok', database: kind });
    });

    it('tells the token owner who they are', async () => {
      const response = await api.fetch('/api/me');
      expect(response.status).toBe(200);
      expect(meSchema.parse(await response.json())).toEqual({
        tenantId: 'acme',
        userId: 'alice',
        name: 'Alice Archer',
      });
    });

    it('serves team members read-only, shaped as the teamMember schema', async () => {
      const { documents } = await api.pullAll('teamMembers');
      const members = documents.map((doc) => teamMemberSchema.extend({}).parse(doc));
      expect(members.map((member) => [member.id, member.name, member.tenantId])).toEqual([
        ['alice', 'Alice Archer', 'acme'],
        ['bob', 'bob', 'acme'],
      ]);
      expect(documents.every((doc) => doc._deleted === false && Number(doc.serverRev) > 0)).toBe(true);
      const push = await api.fetch('/api/sync/teamMembers/push', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ rows: [{ newDocumentState: { ...documents[0], name: 'Evil' } }] }),
      });
      expect(push.status).toBe(403);
      expect(errorBodySchema.parse(await push.json()).error).toBe('read-only');
    });

    it('pushes and pulls by checkpoint, oldest first, in pages; serverRev is the server-assigned seq', async () => {
      const before = await api.pullAll('contacts');
      const docs = ['p1', 'p2', 'p3'].map((id) => contactDoc(id, { serverRev: 999, tenantId: 'globex' }));
      const result = await api.push(
        'contacts',
        docs.map((doc) => ({ newDocumentState: doc })),
      );
      expect(result).toMatchObject({ conflicts: [], rejected: [] });
      expect(result.accepted.map((accepted) => accepted.id)).toEqual(['p1', 'p2', 'p3']);
      const page1 = await api.pull('contacts', before.checkpoint, 2);
      expect(page1.documents.map((doc) => doc.id)).toEqual(['p1', 'p2']);
      const page2 = await api.pull('contacts', page1.checkpoint.seq, 2);
      expect(page2.documents.map((doc) => doc.id)).toEqual(['p3']);
      const empty = await api.pull('contacts', page2.checkpoint.seq, 2);
      expect(empty).toEqual({ documents: [], checkpoint: page2.checkpoint });
      const all = [...page1.documents, ...page2.documents];
      const revs = all.map((doc) => Number(doc.serverRev));
      expect(revs).toEqual([...revs].sort((a, b) => a - b));
      expect(new Set(revs).size).toBe(3);
      expect(revs.every((rev) => rev > before.checkpoint && rev !== 999)).toBe(true);
      expect(page2.checkpoint.seq).toBe(revs[2]);
      expect(result.accepted.map((accepted) => accepted.serverRev)).toEqual(revs);
      // The client cannot set serverRev or a tenant; unknown fields are not stored.
      expect(all[0]).not.toHaveProperty('tenantId');
      const { serverRev: _rev, tenantId: _tenant, ...sent } = docs[0]!;
      // updatedBy: the server records its token's member as the author (docs/replication.md).
      expect(all[0]).toMatchObject({ ...sent, updatedBy: 'alice', _deleted: false });
    });

    it('detects conflicts by serverRev and returns the current state, tombstones included', async () => {
      await api.push('contacts', [{ newDocumentState: contactDoc('c1', { phone: '1' }) }]);
      const [v1] = (await api.pullAll('contacts')).documents.filter((doc) => doc.id === 'c1');
      expect(v1?.phone).toBe('1');

      // Based on the current revision: accepted, new revision.
      const ok = await api.push('contacts', [
        { newDocumentState: { ...v1!, phone: '2' }, assumedMasterState: v1! },
      ]);
      expect(ok.conflicts).toEqual([]);
      const v2 = (await api.pullAll('contacts')).documents.find((doc) => doc.id === 'c1')!;
      expect(v2.phone).toBe('2');
      expect(v2.serverRev).toBeGreaterThan(v1!.serverRev as number);

      // Based on a stale revision, or on none for an existing doc: conflict with the server's state.
      const stale = await api.push('contacts', [
        { newDocumentState: { ...v1!, phone: '3' }, assumedMasterState: v1! },
      ]);
      expect(pushResponseSchema.parse(stale).conflicts).toEqual([v2]);
      const unbased = await api.push('contacts', [{ newDocumentState: { ...v1!, phone: '4' } }]);
      expect(unbased.conflicts).toEqual([v2]);

      // Deleting keeps a tombstone; an edit based on the live version conflicts with it.
      const del = await api.push('contacts', [
        { newDocumentState: { ...v2, _deleted: true }, assumedMasterState: v2 },
      ]);
      expect(del.conflicts).toEqual([]);
      const tombstone = (await api.pullAll('contacts')).documents.find((doc) => doc.id === 'c1')!;
      expect(tombstone._deleted).toBe(true);
      expect(tombstone.phone).toBe('2');
      const resurrect = await api.push('contacts', [
        { newDocumentState: { ...v2, phone: '5' }, assumedMasterState: v2 },
      ]);
      expect(resurrect.conflicts).toEqual([tombstone]);
    });

    it('rejects a second state of one id in a batch instead of silently picking one', async () => {
      const result = await api.push('contacts', [
        { newDocumentState: contactDoc('twice', { phone: 'first' }) },
        { newDocumentState: contactDoc('twice', { phone: 'second' }) },
      ]);
      expect(result.rejected).toEqual([
        {
          id: 'twice',
          reason: expect.stringContaining('twice'),
          issues: [{ field: 'id', message: expect.any(String) }],
        },
      ]);
      const stored = (await api.pullAll('contacts')).documents.find((doc) => doc.id === 'twice');
      expect(stored?.phone).toBe('first');
    });

    it('rejects an invalid document with field issues while the rest of the batch lands', async () => {
      const { checkpoint } = await api.pullAll('contacts');
      const result = await api.push('contacts', [
        { newDocumentState: contactDoc('good-1') },
        { newDocumentState: contactDoc('bad-1', { firstName: '', status: 'Bogus', email: 'not-an-email' }) },
        { newDocumentState: contactDoc('good-2') },
      ]);
      expect(result.conflicts).toEqual([]);
      expect(result.rejected).toHaveLength(1);
      const [rejected] = result.rejected;
      expect(rejected?.id).toBe('bad-1');
      expect(rejected?.reason).toMatch(/firstName/);
      expect(rejected?.issues.map((issue) => issue.field).sort()).toEqual(['email', 'firstName', 'status']);
      expect(rejected?.issues.find((issue) => issue.field === 'firstName')?.message).toBe(
        'First name is required',
      );
      const landed = (await api.pullAll('contacts', checkpoint)).documents.map((doc) => doc.id);
      expect(landed).toEqual(['good-1', 'good-2']);
      // Never silently dropped: the server logs it too.
      await expect
        .poll(() => server.output())
        .toMatch(/rejected pushed documents[\s\S]*bad-1|bad-1[\s\S]*rejected pushed documents/);
    });

    it('answers bad requests with ErrorBody: 400, 404, 413', async () => {
      const post = (path: string, body: string) =>
        api.fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      const cases: [Promise<Response>, number, string][] = [
        [post('/api/sync/contacts/push', '{"rows": ['), 400, 'invalid-json'],
        [post('/api/sync/contacts/push', '{"rows": "nope"}'), 400, 'invalid-push'],
        [api.fetch('/api/sync/contacts/pull?limit=0'), 400, 'invalid-query'],
        [api.fetch('/api/sync/widgets/pull'), 404, 'unknown-collection'],
        [post('/api/sync/widgets/push', '{"rows": []}'), 404, 'unknown-collection'],
        [api.fetch('/api/nothing-here'), 404, 'not-found'],
        [
          post('/api/sync/contacts/push', JSON.stringify({ rows: [], pad: 'x'.repeat(BODY_LIMIT) })),
          413,
          'payload-too-large',
        ],
      ];
      for (const [request, status, error] of cases) {
        const response = await request;
        expect(response.status).toBe(status);
        expect(errorBodySchema.parse(await response.json()).error).toBe(error);
      }
    });

    it('answers CORS preflights for any origin, without credentials', async () => {
      const response = await fetch(new URL('/api/sync/contacts/push', server.url), {
        method: 'OPTIONS',
        headers: {
          origin: 'http://localhost:5173',
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'authorization, content-type',
        },
      });
      expect(response.status).toBe(204);
      expect(response.headers.get('access-control-allow-origin')).toBe('*');
      expect(response.headers.get('access-control-allow-methods')).toContain('POST');
      expect(response.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('authorization');
      expect(response.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('content-type');
      expect(response.headers.get('access-control-allow-credentials')).toBeNull();
      const actual = await api.fetch('/api/me', { headers: { origin: 'http://localhost:5173' } });
      expect(actual.headers.get('access-control-allow-origin')).toBe('*');
    });

    it("leaves a device's own writes out of its pulls and live events, and answers their revisions", async () => {
      const laptop = apiClient(server.url, alice, 'laptop-1');
      const phone = apiClient(server.url, alice, 'phone-1');
      const laptopStream = openStream(server.url, alice, 'laptop-1');
      const phoneStream = openStream(server.url, alice, 'phone-1');
      await Promise.all([laptopStream.opened, phoneStream.opened]);
      try {
        const start = await laptop.pullAll('contacts');
        const pushed = await laptop.push('contacts', [
          { newDocumentState: contactDoc('own-1', { updatedBy: 'alice' }) },
        ]);
        const [revision] = pushed.accepted;
        expect(revision?.id).toBe('own-1');
        // The pusher's pull skips its own document yet moves its checkpoint past it.
        const own = await laptop.pull('contacts', start.checkpoint);
        expect(own).toEqual({ documents: [], checkpoint: { seq: revision?.serverRev } });
        const other = await phone.pull('contacts', start.checkpoint);
        expect(other.documents.map((doc) => [doc.id, doc.serverRev])).toEqual([
          ['own-1', revision?.serverRev],
        ]);
        // Live: the other device gets the document itself; the pusher only the checkpoint, from the same `since`.
        const toPhone = await phoneStream.waitFor((event) => event.seq === revision?.serverRev);
        const toLaptop = await laptopStream.waitFor((event) => event.seq === revision?.serverRev);
        expect(toPhone.documents?.map((doc) => doc.id)).toEqual(['own-1']);
        expect(toLaptop).toEqual({ ...toPhone, documents: [] });
        expect(toPhone.since).toBe(start.checkpoint);
        // Once another device writes the document, it is no longer the laptop's own.
        await phone.push('contacts', [
          {
            newDocumentState: contactDoc('own-1', { phone: '+1', updatedBy: 'alice' }),
            assumedMasterState: other.documents[0],
          },
        ]);
        expect(
          (await laptop.pull('contacts', revision?.serverRev)).documents.map((doc) => doc.phone),
        ).toEqual(['+1']);
        expect(
          (await api.fetch('/api/sync/contacts/pull', { headers: { 'x-fieldbook-device': 'no spaces' } }))
            .status,
        ).toBe(400);
      } finally {
        laptopStream.close();
        phoneStream.close();
      }
    });

    it('streams committed changes as `event: change` with heartbeats', async () => {
      const response = await api.fetch('/api/sync/stream', { headers: { origin: 'app://fieldbook' } });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
      expect(response.headers.get('access-control-allow-origin')).toBe('*');
      const reader = response.body!.getReader();
      let text = '';
      const pushed = api.push('contacts', [{ newDocumentState: contactDoc('streamed-1') }]);
      while (!/event: change\ndata: .*\n\n/.test(text) || !text.includes(': heartbeat')) {
        const { value, done } = await reader.read();
        if (done) break;
        text += new TextDecoder().decode(value);
      }
      await pushed;
      await reader.cancel();
      const streamed = (await api.pullAll('contacts')).documents.find((doc) => doc.id === 'streamed-1');
      const data = text.match(/event: change\ndata: (.*)\n\n/)?.[1];
      // The event carries the committed document itself (the stream's client named no device).
      expect(JSON.parse(data ?? 'null')).toMatchObject({
        collection: 'contacts',
        seq: streamed?.serverRev,
        documents: [streamed],
      });
      expect(text).toContain(': heartbeat\n\n');
    });

    describe('tenant isolation', () => {
      it('keeps every endpoint inside the token’s tenant', async () => {
        const foreign = apiClient(server.url, mallory);
        const aliceStream = openStream(server.url, alice);
        const malloryStream = openStream(server.url, mallory);
        await Promise.all([aliceStream.opened, malloryStream.opened]);
        try {
          // me + team members: only globex.
          expect(await (await foreign.fetch('/api/me')).json()).toEqual({
            tenantId: 'globex',
            userId: 'mallory',
            name: 'mallory',
          });
          expect((await foreign.pullAll('teamMembers')).documents.map((doc) => doc.id)).toEqual(['mallory']);

          // pull: acme's documents are invisible.
          await api.push('contacts', [{ newDocumentState: contactDoc('shared-id', { firstName: 'Acme' }) }]);
          const acmeDoc = (await api.pullAll('contacts')).documents.find((doc) => doc.id === 'shared-id')!;
          for (const collection of ['contacts', 'leads', 'departments', 'activities']) {
            expect((await foreign.pullAll(collection)).documents).toEqual([]);
          }

          // push: the same id lands in globex's own space, with no conflict and no effect on acme.
          const pushed = await foreign.push('contacts', [
            {
              newDocumentState: contactDoc('shared-id', { firstName: 'Globex' }),
              assumedMasterState: acmeDoc,
            },
          ]);
          expect(pushed).toMatchObject({ conflicts: [], rejected: [] });
          const [globexDoc] = (await foreign.pullAll('contacts')).documents;
          expect(globexDoc?.firstName).toBe('Globex');
          expect((await api.pullAll('contacts')).documents.find((doc) => doc.id === 'shared-id')).toEqual(
            acmeDoc,
          );

          // stream: each tenant hears only its own changes.
          await malloryStream.waitFor((event) => event.seq === globexDoc?.serverRev);
          await aliceStream.waitFor((event) => event.seq === acmeDoc.serverRev);
          await api.push('departments', [
            {
              newDocumentState: {
                id: 'dep-1',
                name: 'Sales',
                createdAt: 1,
                updatedAt: 1,
                updatedBy: 'alice',
                serverRev: 0,
                _deleted: false,
              },
            },
          ]);
          await aliceStream.waitFor((event) => event.collection === 'departments');
          expect(malloryStream.events.map(({ collection, seq }) => ({ collection, seq }))).toEqual([
            { collection: 'contacts', seq: globexDoc?.serverRev },
          ]);
        } finally {
          aliceStream.close();
          malloryStream.close();
        }
      });

      it('refuses missing, unknown and revoked tokens on every endpoint with 401', async () => {
        const bobStream = await api.fetch('/api/sync/stream', {
          headers: { authorization: `Bearer ${bob}` },
        });
        expect(bobStream.status).toBe(200);
        const revoke = await runCli(prepared.backend, ['token', 'revoke', bob.slice(0, 12)]);
        expect(revoke.code, revoke.stderr).toBe(0);
        // An open stream of a revoked token ends at its next heartbeat.
        const reader = bobStream.body!.getReader();
        while (!(await reader.read()).done) {
          // drain until the server closes the stream
        }

        const endpoints: [string, RequestInit][] = [
          ['/api/me', {}],
          ['/api/sync/contacts/pull', {}],
          ['/api/sync/teamMembers/pull', {}],
          ['/api/sync/stream', {}],
          [
            '/api/sync/contacts/push',
            {
              method: 'POST',
              headers: { 'content-type': 'application/json' },
              body: JSON.stringify({ rows: [{ newDocumentState: contactDoc('intruder') }] }),
            },
          ],
        ];
        const forged = `fbk_${'A'.repeat(43)}`;
        for (const token of [undefined, forged, 'not-a-token', bob]) {
          const client = apiClient(server.url, token);
          for (const [path, init] of endpoints) {
            const response = await client.fetch(path, init);
            expect(response.status, `${path} with ${token}`).toBe(401);
            expect(errorBodySchema.parse(await response.json()).error).toBe('unauthorized');
          }
        }
        expect((await api.pullAll('contacts')).documents.some((doc) => doc.id === 'intruder')).toBe(false);
      });
    });
  });
}
