import type { Contact } from '@shared/schemas';
import { checkInvariants, getRuleErrors, logWork, saveTeamSettings } from '@shared/sync';
import { pendingIds$ } from '@shared/sync/replication/outbox';
import { restoreDeletedFromIssue, syncIssues$ } from '@shared/sync/replication/sync-issues';
import { describe, expect, it, vi } from 'vitest';
import {
  backends,
  current,
  Device,
  deviceSnapshot,
  insertContact,
  serverSnapshot,
  snapshotDifferences,
  syncAll,
  useTeams,
  useTestServer,
  waitFor,
  writeBypassingHooks,
} from './helpers';

const tick = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.each(backends)('multi-device sync over $name', ({ kind }) => {
  const server = useTestServer(kind);
  const teams = useTeams(server, 'scenario');
  const team = teams.team;

  async function expectInvariants(list: Device[]) {
    for (const device of list) expect(await checkInvariants(device.db), device.name).toEqual([]);
  }

  it('1: edits of different fields of one contact made offline are both kept everywhere', async () => {
    const [a, b] = await team('a', 'b');
    await insertContact(a.db, { id: 'c1', firstName: 'Ada', status: 'Active' });
    a.online();
    b.online();
    await syncAll([a, b], server, teams.token);
    await a.offline();
    await b.offline();

    await (await a.db.contacts.findOne('c1').exec())!.incrementalPatch({ phone: '+44 1' });
    await (await b.db.contacts.findOne('c1').exec())!.incrementalPatch({ jobTitle: 'Analyst' });
    await syncAll([a, b], server, teams.token);

    for (const device of [a, b]) {
      const contact = (await device.db.contacts.findOne('c1').exec())!.toJSON();
      expect(contact).toMatchObject({ phone: '+44 1', jobTitle: 'Analyst' });
    }
    expect((await serverSnapshot(server.url, teams.token)).contacts?.c1).toMatchObject({
      phone: '+44 1',
      jobTitle: 'Analyst',
    });
  });

  it('2: the same field edited offline on both devices takes the later updatedAt everywhere', async () => {
    const [a, b] = await team('a', 'b');
    await insertContact(a.db, { id: 'c1', firstName: 'Ada', status: 'Active', phone: '0' });
    await syncAll([a, b], server, teams.token);
    await a.offline();
    await b.offline();

    await (await a.db.contacts.findOne('c1').exec())!.incrementalPatch({ phone: 'from A (earlier)' });
    await tick(5);
    await (await b.db.contacts.findOne('c1').exec())!.incrementalPatch({ phone: 'from B (later)' });
    // The earlier writer pushes last: later-wins must not become last-pusher-wins.
    b.online();
    await b.handle!.awaitInSync();
    await syncAll([a, b], server, teams.token);

    for (const device of [a, b]) {
      expect((await device.db.contacts.findOne('c1').exec())!.phone).toBe('from B (later)');
    }
    // A's lost edit is told in the contact's timeline, once, on both devices.
    const replaced = { selector: { contactId: 'c1', kind: 'replaced' } } as const;
    await waitFor(a.db.activities.find(replaced).$, (entries) => entries.length > 0);
    await syncAll([a, b], server, teams.token);
    for (const device of [a, b]) {
      const entries = (await device.db.activities.find(replaced).exec()).map((entry) => entry.toJSON());
      expect(entries, device.name).toEqual([
        expect.objectContaining({
          changes: [{ field: 'phone', before: 'from A (earlier)', after: 'from B (later)' }],
          replacedBy: b.userId,
          updatedBy: a.userId,
        }),
      ]);
    }
  });

  it('3: both devices turn the same contact into a Lead offline → exactly one lead, linked both ways', async () => {
    const [a, b] = await team('a', 'b');
    await insertContact(a.db, { id: 'c1', firstName: 'Ada', status: 'Prospect', email: 'ada@example.com' });
    await syncAll([a, b], server, teams.token);
    await a.offline();
    await b.offline();

    await (await a.db.contacts.findOne('c1').exec())!.incrementalPatch({ status: 'Lead' });
    await tick(3);
    await (await b.db.contacts.findOne('c1').exec())!.incrementalPatch({ status: 'Lead', phone: '555' });
    await syncAll([a, b], server, teams.token);

    for (const device of [a, b]) {
      const leads = await device.db.leads.find().exec();
      expect(leads.map((lead) => lead.contactId)).toEqual(['c1']);
      const contact = (await device.db.contacts.findOne('c1').exec())!;
      expect(contact.leadId).toBe(leads[0]!.id);
      expect(contact.status).toBe('Lead');
    }
    await expectInvariants([a, b]);
  });

  it('4: A wins the lead while B edits the contact phone offline → I1–I6 hold', async () => {
    const [a, b] = await team('a', 'b');
    await insertContact(a.db, { id: 'c1', firstName: 'Ada', status: 'Lead', phone: '1' });
    await syncAll([a, b], server, teams.token);
    const leadId = (await a.db.contacts.findOne('c1').exec())!.leadId;
    expect(leadId).not.toBe('');
    await a.offline();
    await b.offline();

    await (await a.db.leads.findOne(leadId).exec())!.incrementalPatch({ status: 'Won' });
    await tick(3);
    await (await b.db.contacts.findOne('c1').exec())!.incrementalPatch({ phone: '2' });
    await syncAll([a, b], server, teams.token);

    await expectInvariants([a, b]);
    const contact = (await a.db.contacts.findOne('c1').exec())!;
    const lead = (await a.db.leads.findOne(leadId).exec())!;
    expect(lead.status).toBe('Won');
    expect(contact.status).toBe('Active');
    expect(contact.phone).toBe('2');
    expect(contact.isConvertedFromLead).toBe(true);
  });

  it('5: a document the server rejects is listed with its reason, the rest syncs, and fix + save re-pushes it', async () => {
    const [a, b] = await team('a', 'b');
    await insertContact(a.db, { id: 'bad', firstName: 'Temp', status: 'Active' });
    await syncAll([a, b], server, teams.token);
    await a.offline();
    // Stands for a document written by an older client whose schema allowed an empty first name.
    // The same write also sets a valid field, which must not be lost when the fix goes through.
    await writeBypassingHooks(a.db, 'contacts', {
      id: 'bad',
      firstName: '',
      jobTitle: 'Countess',
      updatedAt: Date.now(),
    });
    await insertContact(a.db, { id: 'good', firstName: 'Grace', status: 'Active' });
    a.online();
    await a.handle!.awaitInSync();
    await b.online().awaitInSync();

    const issues = await current(syncIssues$(a.db));
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ kind: 'rejected', collection: 'contacts', documentId: 'bad' });
    expect(issues[0]!.reason).toMatch(/firstName/);
    expect(issues[0]!.issues.map((issue) => issue.field)).toContain('firstName');
    expect((await a.db.contacts.findOne('bad').exec())!.firstName).toBe('');
    expect(await b.db.contacts.findOne('good').exec()).not.toBeNull();
    expect((await b.db.contacts.findOne('bad').exec())!.firstName).toBe('Temp');

    await (await a.db.contacts.findOne('bad').exec())!.incrementalPatch({ firstName: 'Fixed' });
    await syncAll([a, b], server, teams.token);
    for (const device of [a, b]) {
      expect((await device.db.contacts.findOne('bad').exec())!.toJSON(), device.name).toMatchObject({
        firstName: 'Fixed',
        jobTitle: 'Countess',
      });
    }
    expect(await current(syncIssues$(a.db))).toEqual([]);
  });

  it('team settings and planned work sync; the server refuses a currency that is not ISO 4217', async () => {
    const [a, b] = await team('a', 'b');
    await insertContact(a.db, { id: 'c1', firstName: 'Ada', status: 'Active' });
    await saveTeamSettings(a.db, { currency: 'EUR' });
    const task = await logWork(a.db, {
      kind: 'task',
      subject: 'Send the offer',
      dueAt: Date.UTC(2030, 0, 2),
      done: false,
      contactId: 'c1',
    });
    await syncAll([a, b], server, teams.token);
    expect((await b.db.teamSettings.findOne('team').exec())!.currency).toBe('EUR');
    expect((await b.db.activities.findOne(task.id).exec())!.toJSON()).toMatchObject({
      kind: 'task',
      subject: 'Send the offer',
      doneAt: 0,
    });

    await a.offline();
    // Stands for a client without the local validation.
    await writeBypassingHooks(a.db, 'teamSettings', { id: 'team', currency: 'EURO', updatedAt: Date.now() });
    a.online();
    await a.handle!.awaitInSync();
    const issues = await current(syncIssues$(a.db));
    expect(issues[0]).toMatchObject({ kind: 'rejected', collection: 'teamSettings', documentId: 'team' });
    expect(issues[0]!.issues.map((issue) => issue.field)).toContain('currency');
  });

  it('9: delete vs offline edit → deleted everywhere, the edit in sync issues, and restore works', async () => {
    const [a, b] = await team('a', 'b');
    await insertContact(a.db, { id: 'c1', firstName: 'Ada', status: 'Active', company: 'Analytical' });
    await syncAll([a, b], server, teams.token);
    await b.offline();

    await (await b.db.contacts.findOne('c1').exec())!.incrementalPatch({ phone: '777' });
    await (await a.db.contacts.findOne('c1').exec())!.remove();
    await a.handle!.awaitInSync();
    await syncAll([a, b], server, teams.token);

    for (const device of [a, b]) expect(await device.db.contacts.findOne('c1').exec()).toBeNull();
    const issues = await current(syncIssues$(b.db));
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({
      kind: 'deleted-while-edited',
      collection: 'contacts',
      documentId: 'c1',
    });
    expect(issues[0]!.localState).toMatchObject({ phone: '777', company: 'Analytical' });

    const restoredId = await restoreDeletedFromIssue(b.db, issues[0]!.id);
    expect(restoredId).not.toBe('c1');
    await syncAll([a, b], server, teams.token);
    const restored = (await a.db.contacts.findOne(restoredId).exec())!;
    expect(restored.toJSON()).toMatchObject({ firstName: 'Ada', phone: '777', company: 'Analytical' });
    expect(await current(syncIssues$(b.db))).toEqual([]);
    await expectInvariants([a, b]);
  });

  it('documents arriving by replication do not run the link rules', async () => {
    const [a, b] = await team('a', 'b');
    let hookCalls = 0;
    for (const collection of [b.db.contacts, b.db.leads]) {
      collection.preInsert(() => void hookCalls++, false);
      collection.preSave(() => void hookCalls++, false);
      collection.postInsert(() => void hookCalls++, false);
      collection.postSave(() => void hookCalls++, false);
    }
    await insertContact(a.db, { id: 'c1', firstName: 'Ada', status: 'Lead', email: 'ada@example.com' });
    await (await a.db.contacts.findOne('c1').exec())!.incrementalPatch({ phone: '42' });
    await syncAll([a, b], server, teams.token);

    expect(hookCalls).toBe(0);
    // Identical documents (I6), updatedBy and updatedAt included: nothing was rewritten on B.
    expect(snapshotDifferences(await deviceSnapshot(a.db), await deviceSnapshot(b.db), 'a', 'b')).toEqual([]);
    expect(await b.db.leads.count().exec()).toBe(1);
    await expectInvariants([b]);
  });

  it('a device that only receives an import of contacts in Lead logs no rule error', async () => {
    const [a, b] = await team('a', 'b');
    b.online({ pullBatchSize: 20 });
    a.online({ pushBatchSize: 20 });
    await a.db.contacts.bulkInsert(
      Array.from({ length: 80 }, (_, index) => ({
        id: `imported-${index}`,
        firstName: `Imported ${index}`,
        status: 'Lead',
      })) as Contact[],
    );
    await syncAll([a, b], server, teams.token, 100_000);
    expect(await b.db.leads.count().exec()).toBe(80);
    expect(await getRuleErrors(b.db)).toEqual([]);
    await expectInvariants([a, b]);
  }, 120_000);

  it('writes made while a push is in flight or while sync is stopped are still pushed', async () => {
    const [a, b] = await team('a', 'b');
    a.pushDelayMs = 300;
    a.online();
    await insertContact(a.db, { id: 'first', firstName: 'First', status: 'Active' });
    await tick(100); // the push of `first` is now waiting for its answer
    await insertContact(a.db, { id: 'during', firstName: 'During', status: 'Active' });
    await (await a.db.contacts.findOne('first').exec())!.incrementalPatch({ notes: 'edited in flight' });
    await a.handle!.awaitInSync();
    a.pushDelayMs = 0;

    await a.offline();
    await insertContact(a.db, { id: 'paused', firstName: 'Paused', status: 'Active' });
    expect(await current(pendingIds$(a.db, 'contacts'))).toEqual(new Set(['paused']));
    await syncAll([a, b], server, teams.token);

    const onServer = (await serverSnapshot(server.url, teams.token)).contacts ?? {};
    expect(Object.keys(onServer).sort()).toEqual(['during', 'first', 'paused']);
    expect(onServer.first?.notes).toBe('edited in flight');
    expect(await current(pendingIds$(a.db, 'contacts'))).toEqual(new Set());
  });

  it('a pull answered before this device pushed a record, and handed over after that push settled, does not put the older state back', async () => {
    const [a, b] = await team('a', 'b');
    await insertContact(a.db, { id: 'z', firstName: 'Zed', status: 'Active' });
    await syncAll([a, b], server, teams.token);
    await b.offline();
    await (await a.db.contacts.findOne('z').exec())!.incrementalPatch({ phone: 'from A' });
    await a.handle!.awaitInSync();
    await (await b.db.contacts.findOne('z').exec())!.incrementalPatch({ notes: 'from B' });

    // B's first pull (carrying A's state of `z`) is answered but reaches B only after B's own push of `z`
    // (a conflict, then the merge, accepted) has settled: the page is no longer cut for an in-flight push.
    let releasePulls = () => {};
    b.pullGate = new Promise((resolve) => {
      releasePulls = resolve;
    });
    b.online();
    await vi.waitFor(
      async () => {
        const onServer = (await serverSnapshot(server.url, teams.token)).contacts?.z;
        expect(onServer).toMatchObject({ phone: 'from A', notes: 'from B' });
      },
      { timeout: 20_000, interval: 50 },
    );
    await waitFor(pendingIds$(b.db, 'contacts'), (ids) => ids.size === 0);
    releasePulls();
    b.pullGate = null;

    await syncAll([a, b], server, teams.token);
    for (const device of [a, b]) {
      expect((await device.db.contacts.findOne('z').exec())!.toJSON(), device.name).toMatchObject({
        phone: 'from A',
        notes: 'from B',
      });
    }
  });

  it('a failed push does not let the pull checkpoint skip data, and is retried without a new write', async () => {
    const [a, b] = await team('a', 'b');
    await insertContact(a.db, { id: 'z', firstName: 'Zed', status: 'Active' });
    await syncAll([a, b], server, teams.token);

    // A's pushes fail for a while; its pulls still work and move the checkpoint past B's change to `z`.
    a.failingPushes = 4;
    await (await a.db.contacts.findOne('z').exec())!.incrementalPatch({ phone: 'from A' });
    await (await b.db.contacts.findOne('z').exec())!.incrementalPatch({ notes: 'from B' });
    await b.handle!.awaitInSync();
    await insertContact(b.db, { id: 'y', firstName: 'Yan', status: 'Active' });
    await b.handle!.awaitInSync();

    // No further local write on A: the retries alone must deliver its change.
    await a.handle!.awaitInSync(15_000);
    expect(a.failingPushes).toBe(0);
    await syncAll([a, b], server, teams.token);
    for (const device of [a, b]) {
      expect((await device.db.contacts.findOne('z').exec())!.toJSON()).toMatchObject({
        phone: 'from A',
        notes: 'from B',
      });
      expect(await device.db.contacts.findOne('y').exec()).not.toBeNull();
    }
  });

  it('reports an unreachable server as offline and a refused token as an error', async () => {
    const [a] = await team('a');
    a.networkDown = true;
    const handle = a.online();
    await insertContact(a.db, { id: 'c1', firstName: 'Ada', status: 'Active' });
    await expect(handle.awaitInSync(600)).rejects.toThrow(/Not in sync/);
    const offlineStatus = await waitFor(
      handle.status$,
      (status) => status.state !== 'syncing' && status.pending > 0,
    );
    expect(offlineStatus.state).toBe('offline');
    expect(offlineStatus.lastError).toMatch(/unreachable/);
    // The contact, plus whatever audit entries the write produced.
    expect(offlineStatus.pending).toBeGreaterThanOrEqual(1);
    expect(await waitFor(pendingIds$(a.db, 'contacts'), (ids) => ids.size > 0)).toEqual(new Set(['c1']));
    a.networkDown = false;
    await handle.awaitInSync();
    expect(await current(handle.status$)).toEqual({
      state: 'synced',
      pending: 0,
      lastError: null,
      received: expect.any(Number),
      firstSync: false,
    });
    await a.offline();

    const stranger = await Device.create('stranger', server, 'fbk_not-a-real-token');
    teams.devices.push(stranger);
    const refused = stranger.online();
    const status = await waitFor(refused.status$, (candidate) => candidate.state !== 'syncing');
    expect(status.state).toBe('error');
    expect(status.lastError).toMatch(/refused the token/);
    await expect(refused.awaitInSync(500)).rejects.toThrow(/refused the token/);
  });

  it('pauses on the browser offline event and resumes on online without user action', async () => {
    const browser = new EventTarget();
    vi.stubGlobal('addEventListener', browser.addEventListener.bind(browser));
    vi.stubGlobal('removeEventListener', browser.removeEventListener.bind(browser));
    vi.stubGlobal('navigator', { onLine: true });
    try {
      const [a, b] = await team('a', 'b');
      const handle = a.online();
      await handle.awaitInSync();

      browser.dispatchEvent(new Event('offline'));
      await waitFor(handle.status$, (status) => status.state === 'offline');
      await insertContact(a.db, { id: 'written-offline', firstName: 'Off', status: 'Active' });
      await tick(300);
      expect((await serverSnapshot(server.url, teams.token)).contacts?.['written-offline']).toBeUndefined();
      expect(await waitFor(pendingIds$(a.db, 'contacts'), (ids) => ids.size > 0)).toEqual(
        new Set(['written-offline']),
      );

      browser.dispatchEvent(new Event('online'));
      await handle.awaitInSync();
      await syncAll([a, b], server, teams.token);
      expect(await b.db.contacts.findOne('written-offline').exec()).not.toBeNull();
    } finally {
      vi.unstubAllGlobals();
    }
  });

  it('after a restart offline, the outbox still lists the unacknowledged records and they push later', async () => {
    const [a, b] = await team('a', 'b');
    await insertContact(a.db, { id: 'acked', firstName: 'Acked', status: 'Active' });
    await a.online().awaitInSync();
    a.networkDown = true;
    await (await a.db.contacts.findOne('acked').exec())!.incrementalPatch({ notes: 'edited offline' });
    await insertContact(a.db, { id: 'fresh', firstName: 'Fresh', status: 'Active' });

    // Quit and relaunch the app without a network: the outbox comes from RxDB's stored meta data.
    await a.close();
    await a.open();
    a.online();
    expect(await waitFor(pendingIds$(a.db, 'contacts'), (ids) => ids.size === 2)).toEqual(
      new Set(['acked', 'fresh']),
    );

    a.networkDown = false;
    await syncAll([a, b], server, teams.token);
    expect(await current(pendingIds$(a.db, 'contacts'))).toEqual(new Set());
    expect((await b.db.contacts.findOne('acked').exec())!.notes).toBe('edited offline');
  });

  // Last: it kills and restarts the shared server.
  it('7: clients resume without help after SIGKILL + restart, and no acknowledged write is lost', async () => {
    const [a, b] = await team('a', 'b');
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
        // Kill while the storm runs, once the server has acknowledged part of it.
        while (a.acknowledged.size === 0) await tick(10);
        await server.kill();
        acknowledgedBeforeKill = new Set(a.acknowledged);
      }
    }
    expect(acknowledgedBeforeKill.size).toBeGreaterThan(0);
    expect(await a.db.contacts.count().exec()).toBe(total);
    const down = await waitFor(handle.status$, (status) => status.state === 'offline');
    expect(down.lastError).toMatch(/unreachable/);

    await server.start();
    // The same handle, never restarted: retries and the stream's RESYNC bring it back by themselves.
    await handle.awaitInSync(60_000);
    b.online();
    await syncAll([a, b], server, teams.token, 60_000);

    const onServer = await serverSnapshot(server.url, teams.token);
    for (const key of acknowledgedBeforeKill) {
      const [collection, id] = key.split('/') as [string, string];
      expect(onServer[collection]?.[id], `${key} was acknowledged before the kill`).toBeDefined();
    }
    expect(Object.keys(onServer.contacts ?? {}).filter((id) => id.startsWith('storm-'))).toHaveLength(total);
    expect(await b.db.contacts.count().exec()).toBe(total);
  }, 180_000);
});
