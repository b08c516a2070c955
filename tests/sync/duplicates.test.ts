import type { Contact } from '@shared/schemas';
import {
  checkInvariants,
  dismissDuplicate,
  duplicatePairs,
  mergeDuplicates,
  whenRulesSettled,
} from '@shared/sync';
import { syncIssues$ } from '@shared/sync/replication/sync-issues';
import { describe, expect, it } from 'vitest';
import {
  backends,
  current,
  Device,
  deviceSnapshot,
  insertContact,
  OpenDevices,
  serverSnapshot,
  snapshotDifferences,
  syncAll,
  useTeams,
  useTestServer,
} from './helpers';

/**
 * Duplicates across devices (issue 14, docs/duplicates.md) through a real server process. RxDB's
 * open-source build allows 13 open collections per process and a device opens six: two devices are open
 * at once (the three-device test closes one and reopens it in turn).
 */
describe.each(backends)('duplicates across devices over $name', ({ kind }) => {
  const server = useTestServer(kind);
  const teams = useTeams(server, 'duplicates');

  async function expectInvariants(devices: Device[]) {
    for (const device of devices) expect(await checkInvariants(device.db), device.name).toEqual([]);
  }
  const pairsOf = async (device: Device) => (await duplicatePairs(device.db)).map((pair) => pair.id);
  const tick = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  /** A and B each create Ada offline with the same email (A first), then sync. */
  async function sameBuyerCreatedOffline(status: Contact['status'] = 'Prospect') {
    const [a, b] = await teams.team('a', 'b');
    await insertContact(a.db, {
      id: 'c-a',
      firstName: 'Ada',
      lastName: 'Lovelace',
      email: 'ada@x.io',
      status,
    });
    await tick(5);
    await insertContact(b.db, {
      id: 'c-b',
      firstName: 'Ada',
      lastName: 'Lovelace',
      email: 'Ada@X.io',
      phone: '+44 20 7946 0018',
      status,
    });
    await syncAll([a, b], server, teams.token);
    return [a, b] as const;
  }

  it('both devices list the pair after sync; a merge on A converges on B', async () => {
    const [a, b] = await sameBuyerCreatedOffline();
    for (const device of [a, b]) expect(await pairsOf(device), device.name).toEqual(['contacts:c-a:c-b']);

    await mergeDuplicates(a.db, { collection: 'contacts', survivorId: 'c-a', otherId: 'c-b' });
    await whenRulesSettled(a.db);
    await syncAll([a, b], server, teams.token);

    for (const device of [a, b]) {
      expect(await pairsOf(device), device.name).toEqual([]);
      expect(await device.db.contacts.count().exec(), device.name).toBe(1);
      // The newer record's phone was the only differing non-empty value: it is kept.
      expect((await device.db.contacts.findOne('c-a').exec())?.phone).toBe('+44 20 7946 0018');
      const entries = await device.db.activities
        .find({ selector: { contactId: 'c-a', kind: 'merged' } })
        .exec();
      expect(entries.map((entry) => entry.summary)).toEqual([
        expect.stringMatching(/^Merged Ada Lovelace \(created by .+\) into this record$/),
      ]);
    }
    await expectInvariants([a, b]);
  });

  it('"Not a duplicate" on A takes the pair off B\'s list too', async () => {
    const [a, b] = await sameBuyerCreatedOffline();
    await dismissDuplicate(a.db, { collection: 'contacts', ids: ['c-a', 'c-b'] });
    expect(await pairsOf(a)).toEqual([]);
    await syncAll([a, b], server, teams.token);
    expect(await pairsOf(b)).toEqual([]);
    expect(await b.db.contacts.count().exec()).toBe(2);
  });

  it('a merge that meets a deletion of its survivor on the other device ends the same on both', async () => {
    const [a, b] = await sameBuyerCreatedOffline();
    await a.offline();
    await b.offline();
    await mergeDuplicates(a.db, { collection: 'contacts', survivorId: 'c-a', otherId: 'c-b' });
    await whenRulesSettled(a.db);
    await (await b.db.contacts.findOne('c-a').exec())!.remove();
    await syncAll([a, b], server, teams.token);
    // A deletion wins (docs/duplicates.md): both records are gone everywhere, nothing half-merged is left.
    for (const device of [a, b]) expect(await device.db.contacts.count().exec(), device.name).toBe(0);
    await expectInvariants([a, b]);
  });

  it('the same pair merged on both devices at once: one survivor, the same values, one timeline entry', async () => {
    const [a, b] = await sameBuyerCreatedOffline();
    await a.offline();
    await b.offline();
    for (const device of [a, b]) {
      const [first, second] = (await device.db.contacts.find().exec()).map((doc) => doc.toJSON());
      const { defaultSurvivor } = await import('@shared/sync');
      const survivor = defaultSurvivor(first as never, second as never) as { id: string };
      const otherId = survivor.id === 'c-a' ? 'c-b' : 'c-a';
      await mergeDuplicates(device.db, { collection: 'contacts', survivorId: survivor.id, otherId });
      await whenRulesSettled(device.db);
    }
    await syncAll([a, b], server, teams.token);
    for (const device of [a, b]) {
      const contacts = (await device.db.contacts.find().exec()).map((doc) => doc.id);
      expect(contacts, device.name).toEqual(['c-a']);
      const merged = await device.db.activities.find({ selector: { kind: 'merged' } }).exec();
      expect(merged.length, device.name).toBe(1);
    }
    await expectInvariants([a, b]);
  });

  it.each([
    ['Prospect', 'unlinked'],
    ['Lead', 'each linked to its lead'],
  ] as const)(
    'opposite survivors chosen on A and B at once (%s, %s): the older record is the one survivor everywhere',
    async (status, _links) => {
      const [a, b] = await sameBuyerCreatedOffline(status);
      await a.offline();
      await b.offline();
      // A keeps its own record, B keeps its own: each deletes the other's, merged into its own.
      await mergeDuplicates(a.db, { collection: 'contacts', survivorId: 'c-a', otherId: 'c-b' });
      await mergeDuplicates(b.db, { collection: 'contacts', survivorId: 'c-b', otherId: 'c-a' });
      for (const device of [a, b]) await whenRulesSettled(device.db);
      await syncAll([a, b], server, teams.token);

      for (const device of [a, b]) {
        // docs/duplicates.md: the older record (then the smaller id) is revived; the merged values are kept.
        const contacts = (await device.db.contacts.find().exec()).map((doc) => doc.toJSON());
        expect(contacts, device.name).toEqual([
          expect.objectContaining({ id: 'c-a', mergedInto: '', phone: '+44 20 7946 0018' }),
        ]);
        // Both records' histories are on the survivor's timeline, with one merge entry.
        const timeline = await device.db.activities.find({ selector: { contactId: 'c-a' } }).exec();
        expect(
          timeline.filter((entry) => entry.kind === 'created' && entry.summary.startsWith('Contact')).length,
          device.name,
        ).toBe(2);
        expect(timeline.filter((entry) => entry.kind === 'merged').length, device.name).toBe(1);
        if (status === 'Lead') {
          expect(contacts[0]?.leadId, device.name).toBe('lead-c-a');
          expect(
            (await device.db.leads.find().exec()).map((doc) => [doc.id, doc.contactId, doc.phone]),
            device.name,
          ).toEqual([['lead-c-a', 'c-a', '+44 20 7946 0018']]);
        }
        const issues = await current(syncIssues$(device.db));
        expect(
          issues.filter((issue) => issue.kind !== 'merged-while-edited'),
          `${device.name}: nothing reported lost`,
        ).toEqual([]);
      }
      await expectInvariants([a, b]);
    },
  );

  it('an offline edit to the merged-away record lands on the survivor, with a note for its editor', async () => {
    const [a, b] = await sameBuyerCreatedOffline();
    await b.offline();
    await (await b.db.contacts.findOne('c-b').exec())!.incrementalPatch({ jobTitle: 'Countess' });

    await mergeDuplicates(a.db, { collection: 'contacts', survivorId: 'c-a', otherId: 'c-b' });
    await whenRulesSettled(a.db);
    await a.online().awaitInSync();
    await syncAll([a, b], server, teams.token);

    for (const device of [a, b]) {
      expect((await device.db.contacts.find().exec()).map((doc) => doc.toJSON())).toEqual([
        expect.objectContaining({ id: 'c-a', jobTitle: 'Countess' }),
      ]);
    }
    const notes = await current(syncIssues$(b.db));
    expect(notes.map((issue) => [issue.kind, issue.targetId, issue.reason])).toEqual([
      [
        'merged-while-edited',
        'c-a',
        'Your edit to Ada Lovelace arrived after it was merged into Ada Lovelace; it was applied to Ada Lovelace.',
      ],
    ]);
    await expectInvariants([a, b]);
  });

  it('three devices: an offline edit on C to the record A merged away lands on the survivor, and all converge', async () => {
    // Six collections per device and 13 per process: two devices are open at once, the third closed
    // (its IndexedDB kept, like a laptop with its lid shut) and reopened in turn.
    const token = await server.token('duplicates');
    const devices = await Promise.all(
      ['a', 'b', 'c'].map((name) => Device.create(name, server, token, { openNow: false })),
    );
    teams.devices = devices;
    const [a, b, c] = devices as [Device, Device, Device];
    const open = new OpenDevices(devices);
    a.networkDown = true;
    b.networkDown = true;
    await open.use(0);
    const ada = { firstName: 'Ada', lastName: 'Lovelace', status: 'Prospect' } as const;
    await insertContact(a.db, { ...ada, id: 'c-a', email: 'ada@x.io' });
    await tick(5);
    await open.use(1);
    await insertContact(b.db, { ...ada, id: 'c-b', email: 'ADA@x.io' });
    a.networkDown = false;
    b.networkDown = false;
    await syncAll([a, b], server, token);

    await open.use(2); // A's lid shuts
    await syncAll([c], server, token);
    expect(await pairsOf(c)).toEqual(['contacts:c-a:c-b']);
    c.networkDown = true;
    await (await c.db.contacts.findOne('c-b').exec())!.incrementalPatch({ jobTitle: 'Countess' });

    await open.use(0); // B's lid shuts; C stays open, offline
    await mergeDuplicates(a.db, { collection: 'contacts', survivorId: 'c-a', otherId: 'c-b' });
    await whenRulesSettled(a.db);
    await syncAll([a], server, token);
    c.networkDown = false;
    await syncAll([a, c], server, token);
    expect((await current(syncIssues$(c.db))).map((issue) => [issue.kind, issue.targetId])).toEqual([
      ['merged-while-edited', 'c-a'],
    ]);

    await open.use(1); // C's lid shuts; B reopens and catches up
    await syncAll([a, b], server, token);
    const serverState = await serverSnapshot(server.url, token);
    expect(Object.keys(serverState.contacts ?? {})).toEqual(['c-a']);
    expect(serverState.contacts?.['c-a']).toMatchObject({ jobTitle: 'Countess' });
    for (const [index, device] of devices.entries()) {
      await open.use(index);
      await syncAll([device], server, token);
      expect(
        snapshotDifferences(serverState, await deviceSnapshot(device.db), 'server', device.name),
      ).toEqual([]);
      expect(await pairsOf(device), device.name).toEqual([]);
      expect(await checkInvariants(device.db), device.name).toEqual([]);
    }
  });

  it('two linked pairs (contacts in Lead with their leads) merge into one contact with one lead everywhere', async () => {
    const [a, b] = await sameBuyerCreatedOffline('Lead');
    expect(await b.db.leads.count().exec()).toBe(2);
    await mergeDuplicates(b.db, { collection: 'contacts', survivorId: 'c-a', otherId: 'c-b' });
    await whenRulesSettled(b.db);
    await syncAll([a, b], server, teams.token);
    for (const device of [a, b]) {
      expect((await device.db.contacts.find().exec()).map((doc) => [doc.id, doc.leadId])).toEqual([
        ['c-a', 'lead-c-a'],
      ]);
      expect((await device.db.leads.find().exec()).map((doc) => [doc.id, doc.contactId, doc.phone])).toEqual([
        ['lead-c-a', 'c-a', '+44 20 7946 0018'],
      ]);
    }
    await expectInvariants([a, b]);
  });
});
