import { activitySchema, collectionDefinitions, toRxJsonSchema } from '@shared/schemas';
import { createTestDatabase } from '@testing/database';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { createRxDatabase } from 'rxdb';
import { getRxStorageDexie } from 'rxdb/plugins/storage-dexie';
import { wrappedValidateAjvStorage } from 'rxdb/plugins/validate-ajv';
import { afterEach, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import type { CrmDatabase } from './database';
import { logWork, saveTeamSettings, setWorkDone, teamSettingsWithDefaults } from './work';

const open: CrmDatabase[] = [];
async function database(options: Parameters<typeof createTestDatabase>[0] = {}) {
  const db = await createTestDatabase(options);
  open.push(db);
  return db;
}
afterEach(async () => {
  await Promise.all(open.splice(0).map((db) => db.close()));
});

describe('work (calls, meetings, notes, tasks)', () => {
  it('plans a task on a lead, carries its linked contact, and marks it done', async () => {
    const db = await database();
    await db.contacts.insert({ id: 'c1', firstName: 'Ada', status: 'Lead' } as never);
    const lead = await db.leads.findOne({ selector: { contactId: 'c1' } }).exec();
    const dueAt = Date.UTC(2030, 0, 2, 9, 30);
    const task = await logWork(db, {
      kind: 'task',
      subject: 'Send the offer',
      dueAt,
      done: false,
      leadId: lead?.id,
    });
    expect(task).toMatchObject({ kind: 'task', leadId: lead?.id, contactId: 'c1', dueAt, doneAt: 0 });
    expect(task.assignedTo).toBe(db.crm.userId);
    await setWorkDone(db, task.id, true);
    const stored = await db.activities.findOne(task.id).exec();
    expect(stored?.doneAt).toBeGreaterThan(0);
  });

  it('refuses planned work without a due time and work without a subject, per field', async () => {
    const db = await database();
    await db.contacts.insert({ id: 'c1', firstName: 'Ada', status: 'Active' } as never);
    await expect(
      logWork(db, { kind: 'call', subject: 'Intro', done: false, contactId: 'c1' }),
    ).rejects.toThrow(/dueAt: Pick a due date/);
    await expect(logWork(db, { kind: 'meeting', subject: ' ', done: true, contactId: 'c1' })).rejects.toThrow(
      /subject: Say what it is about/,
    );
    const note = await logWork(db, {
      kind: 'note',
      subject: '',
      body: 'Prefers email',
      done: false,
      contactId: 'c1',
    });
    expect(note.doneAt).toBeGreaterThan(0);
  });
});

describe('team settings', () => {
  it('starts from the defaults and saves a validated ISO 4217 currency', async () => {
    const db = await database();
    expect(teamSettingsWithDefaults().currency).toBe('USD');
    await saveTeamSettings(db, { currency: 'eur' });
    expect((await db.teamSettings.findOne('team').exec())?.currency).toBe('EUR');
    await expect(saveTeamSettings(db, { currency: 'XYZ' })).rejects.toThrow(/currency: Not an ISO 4217/);
    await expect(
      saveTeamSettings(db, {
        stageProbabilities: { New: 10, Contacted: 20, Qualified: 140, Won: 100, Lost: 0 },
      }),
    ).rejects.toThrow(/stageProbabilities.Qualified: At most 100/);
  });
});

describe('activities schema v1 migration', () => {
  it('keeps audit entries written by v0 and gives them the new fields', async () => {
    const indexedDB = new IDBFactory();
    const name = 'migration-v0';
    const v0Schema = activitySchema.omit({
      subject: true,
      body: true,
      dueAt: true,
      doneAt: true,
      assignedTo: true,
      changes: true,
      replacedBy: true,
    });
    const storage = wrappedValidateAjvStorage({ storage: getRxStorageDexie({ indexedDB, IDBKeyRange }) });
    const old = await createRxDatabase({ name, storage, multiInstance: false });
    await old.addCollections({
      activities: {
        schema: toRxJsonSchema({
          ...collectionDefinitions.activities,
          schema: v0Schema as z.ZodObject,
          version: 0,
          indexes: [
            ['contactId', 'createdAt'],
            ['leadId', 'createdAt'],
          ],
        }) as never,
      },
    });
    const entry = {
      id: 'a1',
      kind: 'rule',
      rule: 'R5',
      contactId: 'c1',
      leadId: 'l1',
      statusBefore: 'New',
      statusAfter: 'New',
      fields: ['phone'],
      summary: 'Copied phone from contact to lead',
      createdAt: 1,
      updatedAt: 1,
      updatedBy: 'u',
      serverRev: 0,
    };
    await old.activities!.insert(entry);
    await old.close();

    const db = await database({ indexedDB, name });
    const migrated = (await db.activities.findOne('a1').exec())?.toJSON();
    expect(migrated).toMatchObject({ ...entry, subject: '', body: '', dueAt: 0, doneAt: 0, changes: [] });
  });
});
