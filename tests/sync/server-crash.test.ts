import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { Contact } from '../../shared/schemas';
import { backends, Device, serverSnapshot, syncAll, TestServer, uniqueTenant } from './helpers';

const tick = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.each(backends)('server killed during a push storm ($name)', ({ databaseUrl }) => {
  const server = new TestServer(databaseUrl);
  let devices: Device[] = [];

  afterEach(async () => {
    await Promise.all(devices.map((device) => device.close()));
    devices = [];
  });
  afterAll(async () => {
    await server.stop();
  });

  it('7: clients resume without help after SIGKILL + restart, and no acknowledged write is lost', async () => {
    await server.start();
    const token = await server.token(uniqueTenant('crash'), 'u-crash');
    const a = await Device.create('a', server, token);
    const b = await Device.create('b', server, token);
    devices = [a, b];
    const handle = a.online();

    const total = 240;
    const killAfter = 100;
    let acknowledgedBeforeKill = new Set<string>();
    for (let start = 0; start < total; start += 20) {
      const batch: Contact[] = [];
      for (let index = start; index < start + 20; index++) {
        batch.push({
          id: `storm-${String(index).padStart(4, '0')}`,
          firstName: `Rep ${index}`,
          status: 'Active',
        } as Contact);
      }
      await a.db.contacts.bulkInsert(batch);
      await tick(15);
      if (start + 20 === killAfter) {
        await server.kill('SIGKILL');
        acknowledgedBeforeKill = new Set(a.acknowledged);
      }
    }
    // Some of the storm was acknowledged before the kill, and some had not been: the kill hit mid-storm.
    expect([...acknowledgedBeforeKill].some((key) => key.startsWith('contacts/'))).toBe(true);
    expect(await a.db.contacts.count().exec()).toBe(total);
    await tick(300);
    expect(
      (await new Promise((resolve) => handle.status$.subscribe(resolve))) as { state: string },
    ).toMatchObject({
      state: 'offline',
    });

    await server.start();
    // The same handle, never restarted: retries and the stream's RESYNC bring it back by themselves.
    await handle.awaitInSync(30_000);
    b.online();
    await syncAll([a, b], server, token, 60_000);

    const onServer = await serverSnapshot(server.url, token);
    for (const key of acknowledgedBeforeKill) {
      const [collection, id] = key.split('/') as [string, string];
      expect(onServer[collection]?.[id], `${key} was acknowledged before the kill`).toBeDefined();
    }
    expect(Object.keys(onServer.contacts ?? {}).filter((id) => id.startsWith('storm-'))).toHaveLength(total);
    expect(await b.db.contacts.count().exec()).toBe(total);
  });
});
