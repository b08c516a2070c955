import { detectDuplicates, duplicatePairs } from '@shared/sync';
import { createTestDatabase } from '@testing/database';
import { IDBFactory } from 'fake-indexeddb';
import type { RxStorage, RxStorageInstance, RxStorageInstanceCreationParams } from 'rxdb';
import { v7 as uuidv7 } from 'uuid';
import { afterEach, expect, it } from 'vitest';
import { autoMap } from './mapping';
import { parseCsvText } from './parseCsv';
import { checkRows, importRows } from './runImport';
import { prefillTranslations, translatedColumns } from './translation';

/** Wraps a storage so that its contact writes wait, once `hold` is called, until `until` settles. */
function contactWriteGate() {
  let held: { until: Promise<void>; reached: () => void } | null = null;
  const wrap = <I, O>(storage: RxStorage<I, O>): RxStorage<I, O> => ({
    ...storage,
    async createStorageInstance<D>(params: RxStorageInstanceCreationParams<D, O>) {
      const instance = await storage.createStorageInstance(params);
      if (params.collectionName !== 'contacts') return instance;
      return new Proxy(instance, {
        get(target, property, receiver) {
          const value = Reflect.get(target, property, receiver) as unknown;
          if (property !== 'bulkWrite' || typeof value !== 'function') return value;
          return async (...args: unknown[]) => {
            if (held) {
              held.reached();
              await held.until;
            }
            return (value as (...a: unknown[]) => unknown).apply(target, args);
          };
        },
      }) as RxStorageInstance<D, I, O>;
    },
  });
  return {
    wrap,
    /** Holds the next contact writes; resolves when the first of them reached storage. */
    hold(until: Promise<void>): Promise<void> {
      return new Promise<void>((reached) => (held = { until, reached }));
    },
  };
}

/**
 * RxDB refuses a second open database of one name and storage in one JavaScript realm; the window and the
 * writer worker are two realms. Another storage name stands for the other realm (same IndexedDB).
 */
function otherRealm<I, O>(storage: RxStorage<I, O>): RxStorage<I, O> {
  return { ...storage, name: `${storage.name}-writer-worker` };
}

const open: { close(): Promise<unknown> }[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((db) => db.close()));
});

/**
 * Decision (issue 12): email uniqueness is checked per database instance, as it is per device. The window
 * and the import's writer worker are two instances of the device's database: a record created by hand in
 * the window in the same milliseconds as the import writes a row with that email passes both checks. Then,
 * as when two devices do it offline, both records are kept and the device's duplicate detection lists the
 * pair as certain, for the user to merge; nothing is lost or silently overwritten. A lock across realms
 * around every checked write (100,000 in an import) was judged not worth this rare race.
 */
it('a record created in the window while the import writes the same email: both kept, listed as duplicates', async () => {
  const indexedDB = new IDBFactory();
  const name = `device-${uuidv7()}`;
  const windowWrites = contactWriteGate();
  const window = await createTestDatabase({ indexedDB, name, wrapStorage: windowWrites.wrap });
  open.push(window);
  const worker = await createTestDatabase({ indexedDB, name, wrapStorage: otherRealm });
  open.push(worker);

  // The window's create has passed its email check and waits on its storage write…
  let release = () => {};
  const reached = windowWrites.hold(new Promise<void>((resolve) => (release = resolve)));
  const manual = window.contacts.insert({
    id: 'c-by-hand',
    firstName: 'Ann',
    lastName: 'Typed',
    email: 'Ann@X.io',
    status: 'Active',
  } as never);
  await reached;

  // …while the worker checks and imports a file with that email.
  const csv = parseCsvText('First name,Last name,Email,Status\nAnn,Imported,ann@x.io,Active\n');
  const mapping = autoMap(csv.headers, 'contacts');
  const translations = prefillTranslations(translatedColumns(csv, mapping, 'contacts'), 'contacts', null, {
    departments: [],
    teamMembers: [],
    userId: worker.crm.userId,
  });
  const plan = await checkRows(
    worker,
    csv,
    { entity: 'contacts', mapping, translations, defaultStatus: 'Active', existing: 'skip' },
    () => {},
  );
  expect(plan.counts.create).toBe(1);
  const result = await importRows(
    worker,
    plan,
    { entity: 'contacts', fileName: 'ann.csv', createConvertedContacts: false },
    () => {},
  );
  expect(result.created).toBe(1);
  release();
  await manual;

  const holders = await window.contacts.find({ selector: { emailKey: 'ann@x.io' } }).exec();
  expect(holders.map((doc) => doc.lastName).sort()).toEqual(['Imported', 'Typed']);
  await detectDuplicates(window);
  const [pair, ...others] = await duplicatePairs(window);
  expect(others).toEqual([]);
  expect(pair).toMatchObject({ collection: 'contacts', certainty: 'certain' });
  expect(pair!.reasons).toContain('same-email');
  expect(new Set(pair!.ids)).toEqual(new Set(holders.map((doc) => doc.id)));
});
