import { beforeAll, describe, expect, it } from 'vitest';
import type { Storage } from '../db';
import { backendKinds } from '../testing/server-process';
import { useMigratedStorage } from '../testing/storage';
import { PRINCIPAL_TTL_MS, PrincipalCache } from './principal-cache';
import { createToken, ensureMember, revokeToken, TOKENS_CHANNEL } from './tokens';

for (const { kind, available, label } of backendKinds) {
  describe.skipIf(!available)(`token lookups from memory, revocation honoured [${label}]`, () => {
    const opened = useMigratedStorage(kind);
    let lookups = 0;
    let interrupt = () => {};
    let clock = 1_000_000;
    let tenant = 0;
    /** Every notification on TOKENS_CHANNEL so far: a cache started after one was delivered never gets it. */
    const notified: string[] = [];
    beforeAll(() =>
      opened.storage.listen(
        TOKENS_CHANNEL,
        (payload) => notified.push(payload),
        () => {},
      ),
    );

    /** A cache over the storage that counts its statements; its clock moves only when a test moves it. */
    async function cache(): Promise<PrincipalCache> {
      const storage = opened.storage;
      const counted = Object.assign(Object.create(storage) as Storage, {
        query: ((sql: string, params?: readonly unknown[]) => {
          lookups += 1;
          return storage.query(sql, params);
        }) as Storage['query'],
        listen: (channel: string, onPayload: (payload: string) => void, onInterrupted: () => void) => {
          interrupt = onInterrupted;
          return storage.listen(channel, onPayload, onInterrupted);
        },
      });
      const started = await PrincipalCache.start(counted, () => clock);
      lookups = 0;
      return started;
    }

    async function newToken(name = 'Alice') {
      tenant += 1;
      const tenantId = `principals-${tenant}`;
      const { id, token } = await createToken(opened.storage, { tenantId, userId: 'alice', name });
      // The new member's notification: delivered before the cache under test starts.
      await expect.poll(() => notified.includes(`member ${tenantId}/alice`)).toBe(true);
      return { id, token, tenantId };
    }

    it('looks a valid token up once, for concurrent and later requests alike, until its time is up', async () => {
      const { id, token, tenantId } = await newToken();
      const principals = await cache();
      const first = await Promise.all(Array.from({ length: 5 }, () => principals.authenticate(token)));
      for (let request = 0; request < 20; request++) await principals.authenticate(token);
      expect(first[0]).toEqual({ tokenId: id, tenantId, userId: 'alice', name: 'Alice' });
      expect(lookups).toBe(1);
      clock += PRINCIPAL_TTL_MS;
      expect(await principals.authenticate(token)).toEqual(first[0]);
      expect(lookups).toBe(2);
    });

    it('keeps no answer for an unknown token: each request looks it up', async () => {
      const principals = await cache();
      const forged = `fbk_${'B'.repeat(43)}`;
      for (let request = 0; request < 3; request++) expect(await principals.authenticate(forged)).toBeNull();
      expect(lookups).toBe(3);
    });

    it('refuses a token as soon as it is revoked, though its cached answer has time left', async () => {
      const { id, token } = await newToken();
      const other = await newToken();
      const principals = await cache();
      expect(await principals.authenticate(token)).not.toBeNull();
      expect(await principals.authenticate(other.token)).not.toBeNull();
      expect(await revokeToken(opened.storage, id)).toEqual({ outcome: 'revoked', id });
      // PGlite delivers the notification with the commit; PostgreSQL on the LISTEN session, a moment later.
      await expect.poll(() => principals.authenticate(token), { timeout: 2_000 }).toBeNull();
      expect(await principals.authenticate(other.token)).not.toBeNull();
    });

    it('gives a member’s new name after it changed', async () => {
      const { token, tenantId } = await newToken('Alice');
      const principals = await cache();
      expect((await principals.authenticate(token))?.name).toBe('Alice');
      await opened.storage.transaction((tx) =>
        ensureMember(tx, { tenantId, userId: 'alice', name: 'Alice B.' }),
      );
      await expect
        .poll(async () => (await principals.authenticate(token))?.name, { timeout: 2_000 })
        .toBe('Alice B.');
    });

    it('forgets everything when its notifications may have been missed (a lost LISTEN session)', async () => {
      const { token } = await newToken();
      const principals = await cache();
      await principals.authenticate(token);
      await principals.authenticate(token);
      expect(lookups).toBe(1);
      interrupt();
      await principals.authenticate(token);
      expect(lookups).toBe(2);
    });
  });
}
