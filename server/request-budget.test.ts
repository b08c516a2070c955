import { pullResponseSchema, pushResponseSchema } from '@shared/schemas';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from './app';
import { createToken } from './auth/tokens';
import { configFromEnv } from './config';
import type { Queryable, Storage } from './db';
import { ChangeFeed } from './sync/change-feed';
import { contactDoc } from './testing/fixtures';
import { backendKinds } from './testing/server-process';
import { useMigratedStorage } from './testing/storage';

/**
 * Operation budget of the sync requests (issue 9: under 200 syncing clients the server is bound by its
 * database statements, on PGlite each a trip into its WASM backend). Counted, not timed: the statements
 * one request sends, once its token is known.
 */
for (const { kind, available, label } of backendKinds) {
  describe.skipIf(!available)(`database statements per sync request [${label}]`, () => {
    const opened = useMigratedStorage(kind);
    let app: FastifyInstance;
    let token: string;
    const sent: string[] = [];
    let transactions = 0;

    const counting = (target: Queryable): Queryable => ({
      query: (sql, params, options) => {
        sent.push(sql.trim().split(/\s+/, 1)[0]!);
        return target.query(sql, params, options);
      },
      exec: target.exec.bind(target),
    });

    beforeAll(async () => {
      const storage = opened.storage;
      const counted: Storage = Object.assign(Object.create(storage) as Storage, counting(storage), {
        transaction: <T>(work: (tx: Queryable) => Promise<T>) => {
          transactions += 1;
          return storage.transaction((tx) => work(counting(tx)));
        },
      });
      token = (await createToken(storage, { tenantId: 'budget', userId: 'alice' })).token;
      app = await buildApp(counted, await ChangeFeed.start(counted), {
        ...configFromEnv({}),
        logLevel: 'silent',
      });
    });
    afterAll(() => app?.close());

    const request = async (method: 'GET' | 'POST', url: string, payload?: object) => {
      const headers = { authorization: `Bearer ${token}` };
      const response = await app.inject({ method, url, headers, ...(payload ? { payload } : {}) });
      expect(response.statusCode, response.body).toBe(200);
      return response.json();
    };
    const counted = async (work: () => Promise<unknown>) => {
      sent.length = 0;
      transactions = 0;
      await work();
      return { statements: [...sent], transactions };
    };

    it('the token is looked up once, not per request', async () => {
      expect(await counted(() => request('GET', '/api/me'))).toEqual({
        statements: ['SELECT'],
        transactions: 0,
      });
      expect(await counted(() => request('GET', '/api/me'))).toEqual({ statements: [], transactions: 0 });
    });

    it('a push is one transaction of two statements: the tenant lock, then the whole batch', async () => {
      for (const size of [1, 50]) {
        const rows = Array.from({ length: size }, (_, index) => ({
          newDocumentState: contactDoc(`budget-${size}-${index}`),
          assumedMasterState: null,
        }));
        const { statements, transactions } = await counted(async () => {
          const answer = pushResponseSchema.parse(await request('POST', '/api/sync/contacts/push', { rows }));
          expect(answer.accepted).toHaveLength(size);
        });
        expect({ size, statements, transactions }).toEqual({
          size,
          statements: ['SELECT', 'WITH'],
          transactions: 1,
        });
      }
    });

    it('a pull is one statement, whatever the page holds', async () => {
      for (const seq of [0, 1_000_000]) {
        const { statements, transactions } = await counted(async () => {
          const page = pullResponseSchema.parse(
            await request('GET', `/api/sync/contacts/pull?seq=${seq}&limit=100`),
          );
          // From 0: the documents pushed above; past the newest seq: none.
          expect(page.documents.length > 0).toBe(seq === 0);
        });
        expect({ seq, statements, transactions }).toEqual({ seq, statements: ['SELECT'], transactions: 0 });
      }
    });
  });
}
