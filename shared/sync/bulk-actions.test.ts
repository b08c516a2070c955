import { type CrmDatabase, checkInvariants, whenRulesSettled } from '@shared/sync';
import { createTestDatabase, getContact, getLead } from '@testing/database';
import { afterEach, describe, expect, it } from 'vitest';
import { type BulkProgress, patchInBulk, removeInBulk } from './bulk-actions';

const open: CrmDatabase[] = [];
async function database() {
  // Not strict: 120 documents through dev-mode's deep freeze would only slow the test down.
  const db = await createTestDatabase({ strict: false });
  open.push(db);
  return db;
}
afterEach(async () => {
  await Promise.all(open.splice(0).map((db) => db.close()));
});

async function seedContacts(db: CrmDatabase, count: number, status = 'Active') {
  const ids = Array.from({ length: count }, (_, index) => `c${String(index).padStart(3, '0')}`);
  const result = await db.contacts.bulkInsert(
    ids.map((id, index) => ({ id, firstName: 'Person', lastName: String(index), status }) as never),
  );
  expect(result.error).toEqual([]);
  await whenRulesSettled(db);
  return ids;
}

/** Not a count(): RxDB refuses counts its indexes cannot answer. */
async function assignedToBob(db: CrmDatabase) {
  return (await db.contacts.find({ selector: { assignedTo: 'user-bob' } }).exec()).length;
}

describe('bulk actions', () => {
  it('a bulk status change runs the link rules for every record: 120 contacts to Lead get 120 linked leads', async () => {
    const db = await database();
    const ids = await seedContacts(db, 120);
    const progress: BulkProgress[] = [];
    const result = await patchInBulk(
      db,
      'contacts',
      ids,
      { status: 'Lead' },
      { onProgress: (p) => progress.push(p) },
    );
    await whenRulesSettled(db);

    expect(result).toEqual({ changed: 120, unchanged: 0, failed: [], cancelled: false });
    expect(progress[0]).toEqual({ done: 0, total: 120 });
    expect(progress.at(-1)).toEqual({ done: 120, total: 120 });
    expect(progress.length).toBeGreaterThan(2);
    expect(await db.leads.count().exec()).toBe(120);
    const contact = await getContact(db, 'c007');
    expect(contact.leadId).not.toBe('');
    expect((await getLead(db, contact.leadId)).contactId).toBe('c007');
    expect(await checkInvariants(db)).toEqual([]);
  });

  it('records that already have the values are not written again, and a deleted one is skipped', async () => {
    const db = await database();
    const ids = await seedContacts(db, 10);
    await patchInBulk(db, 'contacts', ids.slice(0, 4), { assignedTo: 'user-bob' });
    await (await db.contacts.findOne('c009').exec())?.remove();
    const result = await patchInBulk(db, 'contacts', ids, { assignedTo: 'user-bob' });
    expect(result).toMatchObject({ changed: 5, unchanged: 5, failed: [] });
    expect(await assignedToBob(db)).toBe(9);
  });

  it('a refused record is reported by name and field label in words, and the others are written', async () => {
    const db = await database();
    const ids = await seedContacts(db, 3);
    await db.contacts.insert({
      id: 'c-grace',
      firstName: 'Grace',
      lastName: 'Hopper',
      status: 'Lead',
    } as never);
    await whenRulesSettled(db);
    // A status contacts do not have (as a stale selection could hold): refused per record by validation.
    const result = await patchInBulk(db, 'contacts', [...ids, 'c-grace'], { status: 'Qualified' as never });
    expect(result.changed).toBe(0);
    expect(result.failed).toHaveLength(4);
    const grace = result.failed.find((failure) => failure.id === 'c-grace');
    expect(grace?.name).toBe('Grace Hopper');
    expect(grace?.message).toMatch(/^Status: /);
    expect(grace?.message).not.toMatch(/RxError|Error-Code|\{/);
    expect((await getContact(db, 'c-grace')).status).toBe('Lead');
  });

  it('cancel stops between chunks: the records after it are untouched', async () => {
    const db = await database();
    const ids = await seedContacts(db, 120);
    const controller = new AbortController();
    const result = await patchInBulk(
      db,
      'contacts',
      ids,
      { assignedTo: 'user-bob' },
      {
        signal: controller.signal,
        onProgress: ({ done }) => {
          if (done > 0) controller.abort();
        },
      },
    );
    expect(result.cancelled).toBe(true);
    expect(result.changed).toBeGreaterThan(0);
    expect(result.changed).toBeLessThan(120);
    expect(await assignedToBob(db)).toBe(result.changed);
  });

  it('bulk delete removes the contacts through the database layer; their leads stay, unlinked', async () => {
    const db = await database();
    const ids = await seedContacts(db, 60, 'Lead');
    const result = await removeInBulk(db, 'contacts', ids.slice(0, 55));
    await whenRulesSettled(db);
    expect(result).toMatchObject({ changed: 55, failed: [] });
    expect(await db.contacts.count().exec()).toBe(5);
    expect(await db.leads.count().exec()).toBe(60);
    expect((await db.leads.find({ selector: { contactId: '' } }).exec()).length).toBe(55);
    expect(await checkInvariants(db)).toEqual([]);
  });
});
