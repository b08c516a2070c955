import { type ContactStatus, contactStatuses, type LeadStatus, leadStatuses } from '@shared/schemas';
import {
  type CrmDatabase,
  checkInvariants,
  type DuplicateCollection,
  defaultSurvivor,
  detectDuplicates,
  dismissDuplicate,
  duplicatePairs,
  isCrmValidationError,
  mergeDuplicates,
  whenRulesSettled,
} from '@shared/sync';
import { type DuplicateCandidate, dismissalIdOf, findDuplicatePairs } from '@shared/sync/duplicates/pairs';
import fc from 'fast-check';
import { getChangedDocumentsSince, type RxCollection } from 'rxdb';
import { describe, expect, it } from 'vitest';
import {
  backends,
  Device,
  deviceSnapshot,
  insertContact,
  OpenDevices,
  type Snapshot,
  serverSnapshot,
  snapshotDifferences,
  syncAll,
  useTestServer,
} from './helpers';

/** What one device does next; indexes are taken modulo the number of devices / contacts. */
type Operation =
  | { kind: 'notes'; device: number; contact: number; value: string }
  | { kind: 'phone'; device: number; contact: number; value: string }
  | { kind: 'contactStatus'; device: number; contact: number; status: ContactStatus }
  | { kind: 'leadStatus'; device: number; contact: number; status: LeadStatus }
  | { kind: 'delete'; device: number; contact: number }
  | { kind: 'toggleNetwork'; device: number }
  | { kind: 'settle'; device: number }
  // Duplicates (issue 14): a new person created on a device (the same person on two devices offline is a
  // duplicate after sync), a listed pair merged (with the default survivor, or the other one: two devices
  // choosing opposite survivors at once), a listed pair dismissed as "Not a duplicate".
  | { kind: 'createPerson'; device: number; person: number; withEmail: boolean; status: ContactStatus }
  | { kind: 'merge'; device: number; pair: number; opposite: boolean }
  | { kind: 'dismiss'; device: number; pair: number };

const device = fc.integer({ min: 0, max: 2 });
/** Index into the device's live contacts, by id. */
const contact = fc.integer({ min: 0, max: 4 });
const text = fc.constantFrom('alpha', 'bravo', 'charlie', 'delta', '');
const operation: fc.Arbitrary<Operation> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('notes' as const), device, contact, value: text }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('phone' as const), device, contact, value: text }) },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('contactStatus' as const),
      device,
      contact,
      status: fc.constantFrom(...contactStatuses),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('leadStatus' as const),
      device,
      contact,
      status: fc.constantFrom(...leadStatuses),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('delete' as const), device, contact }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('toggleNetwork' as const), device }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('settle' as const), device }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('createPerson' as const),
      device,
      person: fc.integer({ min: 0, max: 1 }),
      withEmail: fc.boolean(),
      status: fc.constantFrom(...contactStatuses),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('merge' as const),
      device,
      pair: fc.nat({ max: 3 }),
      opposite: fc.boolean(),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('dismiss' as const), device, pair: fc.nat({ max: 3 }) }),
  },
);

const oppositeMergesOffline: [Operation[], boolean[], [ContactStatus, ContactStatus]] = [
  [
    { kind: 'toggleNetwork', device: 1 },
    { kind: 'toggleNetwork', device: 2 },
    { kind: 'merge', device: 1, pair: 0, opposite: false },
    { kind: 'merge', device: 2, pair: 0, opposite: true },
    { kind: 'notes', device: 0, contact: 3, value: 'alpha' },
  ],
  [true, true, true],
  ['Lead', 'Lead'],
];

const firstPerson = { kind: 'createPerson', device: 0, person: 0, withEmail: true } as const;

/** The people `createPerson` makes: one id per device, so two devices make two records of one person. */
const people = [
  { firstName: 'Dee', lastName: 'Dunn', company: 'Acme', email: 'dee@x.io' },
  { firstName: 'Eve', lastName: 'Ng', company: 'Initech', email: 'eve@x.io' },
];

describe.each(backends)('10, 14: random offline work on 3 devices converges ($name)', ({ kind }) => {
  const server = useTestServer(kind);
  const numRuns = 5;

  it("the server's documents and revisions everywhere (I6), I1–I4 on every device, no write lost (I5), merges settled", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(operation, { minLength: 4, maxLength: 14 }),
        fc.array(fc.boolean(), { minLength: 3, maxLength: 3 }),
        fc.tuple(fc.constantFrom(...contactStatuses), fc.constantFrom(...contactStatuses)),
        async (operations, startOnline, duplicateStatuses) => {
          const token = await server.token('scenario');
          const devices = await Promise.all(
            ['a', 'b', 'c'].map((name) => Device.create(name, server, token, { openNow: false })),
          );
          const open = new OpenDevices(devices);
          try {
            await open.use(0);
            await insertContact(devices[0]!.db, { id: 'p0', firstName: 'Ada', status: 'Lead', phone: '1' });
            await insertContact(devices[0]!.db, { id: 'p1', firstName: 'Bob', status: 'Prospect' });
            await insertContact(devices[0]!.db, { id: 'p2', firstName: 'Cy', status: 'Active' });
            // One person already made on two devices before they first synced: a listed pair (two linked
            // pairs when both are in Lead) for the merges and dismissals to work on from the start.
            await applyDuplicateOperation(devices[0]!, { ...firstPerson, status: duplicateStatuses[0] });
            await syncAll([devices[0]!], server, token);
            for (const index of [1, 2]) {
              await open.use(index);
              if (index === 1)
                await applyDuplicateOperation(devices[1]!, {
                  ...firstPerson,
                  device: 1,
                  status: duplicateStatuses[1],
                });
              await syncAll([devices[index]!], server, token);
            }
            devices.forEach((each, index) => {
              each.networkDown = !startOnline[index];
            });

            // I5 bookkeeping: the notes values each device wrote, in order, per contact (a field no rule touches).
            const notesWrites = new Map<string, Map<number, string[]>>();
            for (const op of operations) {
              if (op.kind !== 'toggleNetwork') await open.use(op.device);
              await apply(devices, op, notesWrites);
            }

            // Everyone back online; devices take turns (two open at most) until a whole pass changes nothing.
            for (const each of devices) each.networkDown = false;
            let converged = false;
            let lastDifferences: string[] = [];
            const listedPairs: string[][] = [];
            /** Per device, what its duplicate detection had to go by (told when its list is wrong). */
            const detectionStates: string[] = [];
            for (let pass = 0; pass < 5 && !converged; pass++) {
              const snapshots: Snapshot[] = [];
              const violations: unknown[] = [];
              listedPairs.length = 0;
              detectionStates.length = 0;
              for (const [index, each] of devices.entries()) {
                await open.use(index);
                await syncAll([each], server, token, 45_000);
                // A pass that repairs a merge cycle writes: the next pass sees it through the server.
                await detectDuplicates(each.db);
                snapshots.push(await deviceSnapshot(each.db));
                violations.push(
                  ...(await mergeViolations(each.db)).map((violation) => ({ device: each.name, violation })),
                );
                listedPairs.push((await duplicatePairs(each.db)).map((pair) => pair.id).sort());
                detectionStates.push(await detectionState(each.db));
                violations.push(
                  ...(await checkInvariants(each.db)).map((violation) => ({ device: each.name, violation })),
                );
              }
              const serverState = await serverSnapshot(server.url, token);
              lastDifferences = snapshots.flatMap((snapshot, index) =>
                snapshotDifferences(serverState, snapshot, 'server', devices[index]!.name),
              );
              converged = lastDifferences.length === 0;
              if (converged) expect(violations, 'I1–I4 on every device').toEqual([]);
            }
            expect(lastDifferences, "I6: the server's documents and revisions on every device").toEqual([]);

            // Every device lists the pairs a full comparison of the synced records finds, less the dismissed.
            const serverState = await serverSnapshot(server.url, token);
            const expectedPairs = fullDetection(serverState);
            for (const [index, pairs] of listedPairs.entries())
              expect(
                pairs,
                `duplicates listed on ${devices[index]!.name}: ${detectionStates[index]}`,
              ).toEqual(expectedPairs);

            const final = serverState.contacts ?? {};
            const merged = await mergedRecordIds(devices.find((each) => each.isOpen)!.db);
            for (const [contactId, byDevice] of notesWrites) {
              const document = final[contactId];
              if (!document) continue; // deleted: a lost edit is reported in sync issues instead (scenario 9)
              // Merged: the values are the merge's choices (tests/sync/duplicates.test.ts covers edits).
              if (merged.has(contactId)) continue;
              const lastValues = [...byDevice.values()].map((values) => values.at(-1));
              // The surviving value is some device's LAST write, never one it overwrote itself; with a single
              // writer it is that writer's last value.
              expect(lastValues, `notes of ${contactId}`).toContain(document.notes);
              if (byDevice.size === 1) expect(document.notes).toBe(lastValues[0]);
            }
          } finally {
            await Promise.all(devices.map((each) => each.close()));
          }
        },
      ),
      // Each run starts 3 devices and syncs them through the real server: a few seconds per run. The
      // example runs first every time: B and C, offline, merge the pair of linked pairs with opposite
      // survivors (rare among random runs this few).
      { numRuns, endOnFailure: true, examples: [oppositeMergesOffline] },
    );
  }, 360_000); // the five runs took up to 205 s at load 17 (PostgreSQL)
});

async function apply(devices: Device[], op: Operation, notesWrites: Map<string, Map<number, string[]>>) {
  const target = devices[op.device]!;
  if (op.kind === 'createPerson' || op.kind === 'merge' || op.kind === 'dismiss') {
    try {
      await applyDuplicateOperation(target, op);
    } catch (error) {
      // What the form or the dialog would show as a field-level message (an email taken on this device, a
      // pair whose record was deleted meanwhile, two leads that each have a contact).
      if (!isCrmValidationError(error)) throw error;
    }
    return;
  }
  if (op.kind === 'toggleNetwork') {
    // Closed devices keep the flag for when they reopen.
    target.networkDown = !target.networkDown;
    return;
  }
  if (op.kind === 'settle') {
    if (!target.networkDown) await target.online().awaitInSync(20_000);
    return;
  }
  const live = await target.db.contacts.find({ sort: [{ id: 'asc' }] }).exec();
  const document = live[op.contact % Math.max(1, live.length)];
  if (!document) return;
  const contactId = document.id;
  switch (op.kind) {
    case 'notes': {
      await document.incrementalPatch({ notes: op.value });
      const byDevice = notesWrites.get(contactId) ?? new Map<number, string[]>();
      byDevice.set(op.device, [...(byDevice.get(op.device) ?? []), op.value]);
      notesWrites.set(contactId, byDevice);
      return;
    }
    case 'phone':
      await document.incrementalPatch({ phone: op.value });
      return;
    case 'contactStatus':
      await refusedAsTheFormWouldShow(document.incrementalPatch({ status: op.status }));
      return;
    case 'leadStatus': {
      if (!document.leadId) return;
      const lead = await target.db.leads.findOne(document.leadId).exec();
      if (lead) await refusedAsTheFormWouldShow(lead.incrementalPatch({ status: op.status }));
      return;
    }
    case 'delete':
      await document.remove();
      return;
  }
}

/**
 * A status change can be refused with a field-level message: moving into Lead a contact whose email a lead
 * already holds (the same person made on two devices, its other record's lead synced meanwhile) is refused up
 * front by email uniqueness, as the form shows. Whether that lead has arrived yet depends on sync timing.
 */
async function refusedAsTheFormWouldShow(write: Promise<unknown>): Promise<void> {
  try {
    await write;
  } catch (error) {
    if (!isCrmValidationError(error)) throw error;
  }
}

async function applyDuplicateOperation(
  target: Device,
  op: Extract<Operation, { kind: 'createPerson' | 'merge' | 'dismiss' }>,
) {
  const db = target.db;
  if (op.kind === 'createPerson') {
    const id = `n${op.person}-${target.name}`;
    const [stored] = await db.contacts.storageInstance.findDocumentsById([id], true);
    if (stored) return; // this device made this person already
    const person = people[op.person]!;
    await insertContact(db, { id, ...person, email: op.withEmail ? person.email : '', status: op.status });
    return;
  }
  await detectDuplicates(db);
  const pairs = await duplicatePairs(db);
  const pair = pairs[op.pair % Math.max(1, pairs.length)];
  if (!pair) return;
  if (op.kind === 'dismiss') {
    await dismissDuplicate(db, pair);
    return;
  }
  const records = await Promise.all(pair.ids.map((id) => db[pair.collection].findOne(id).exec()));
  const [first, second] = records.map((record) => record?.toJSON() as DuplicateCandidate | undefined);
  if (!first || !second) return;
  const kept = defaultSurvivor(first, second);
  const [survivor, other] = (kept === first) !== op.opposite ? [first, second] : [second, first];
  await mergeDuplicates(db, { collection: pair.collection, survivorId: survivor.id, otherId: other.id });
  await whenRulesSettled(db);
}

/** Every record of the device, tombstones included, straight from storage. */
async function storedRecords(db: CrmDatabase, collection: DuplicateCollection) {
  const { documents } = await getChangedDocumentsSince(
    (db[collection] as unknown as RxCollection).storageInstance,
    100_000,
  );
  return documents as unknown as (DuplicateCandidate & { _deleted: boolean })[];
}

/**
 * The stored contacts and leads (tombstones included) with their feed position, and duplicate detection's
 * checkpoint: a listed pair that should be gone names the write detection did not see.
 */
async function detectionState(db: CrmDatabase): Promise<string> {
  const records = await Promise.all(
    (['contacts', 'leads'] as const).map(async (collection) =>
      (await storedRecords(db, collection)).map(
        (record) =>
          `${record.id}${record._deleted ? ' deleted' : ''}${record.mergedInto ? ` into ${record.mergedInto}` : ''} @${(record._meta as { lwt: number }).lwt}`,
      ),
    ),
  );
  const checkpoint = (await db.getLocal('duplicates-checkpoint'))?.toJSON().data;
  return `${JSON.stringify(records.flat())}; detection checkpoint ${JSON.stringify(checkpoint)}`;
}

/** Merges left unsettled: a live record still marked merged, or a `mergedInto` chain that runs in a cycle. */
async function mergeViolations(db: CrmDatabase): Promise<string[]> {
  const violations: string[] = [];
  for (const collection of ['contacts', 'leads'] as const) {
    const records = new Map((await storedRecords(db, collection)).map((record) => [record.id, record]));
    for (const record of records.values()) {
      if (!record._deleted && record.mergedInto)
        violations.push(`${collection}/${record.id} live but merged`);
      const seen = new Set<string>();
      for (let current = record; current?._deleted && current.mergedInto; ) {
        if (seen.has(current.id)) {
          violations.push(`${collection}/${record.id}: mergedInto cycle through ${[...seen].join(', ')}`);
          break;
        }
        seen.add(current.id);
        current = records.get(current.mergedInto)!;
      }
    }
  }
  return violations;
}

/** Ids of the contacts a merge took part in: merged away, or merged into. */
async function mergedRecordIds(db: CrmDatabase): Promise<Set<string>> {
  const ids = new Set<string>();
  for (const record of await storedRecords(db, 'contacts')) {
    if (!record.mergedInto) continue;
    ids.add(record.id);
    ids.add(record.mergedInto);
  }
  return ids;
}

/** The pairs among the synced live records by comparing them all (`findDuplicatePairs`), less the dismissed. */
function fullDetection(state: Snapshot): string[] {
  const activities = state.activities ?? {};
  const dismissed = (pairId: string) => dismissalIdOf(pairId) in activities;
  return (['contacts', 'leads'] as const).flatMap((collection) =>
    findDuplicatePairs(
      collection,
      Object.values(state[collection] ?? {}).map((record) => record as DuplicateCandidate),
      dismissed,
    ).map((pair) => pair.id),
  );
}
