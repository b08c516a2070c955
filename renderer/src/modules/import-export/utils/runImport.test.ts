import { readFileSync } from 'node:fs';
import { autoLeadIdFor, type Contact, type Lead } from '@shared/schemas';
import type { CrmDatabase } from '@shared/sync';
import { createTestDatabase } from '@testing/database';
import { StorageOperationLog } from '@testing/storage-operations';
import { writeBypassingHooks } from '@testing/write-bypassing-hooks';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { detectPreset, presetMapping } from '../presets/presets';
import { toCsv } from './exportCsv';
import type { ImportEntity } from './importFields';
import { autoMap, type ColumnMapping } from './mapping';
import type { ExistingRecordMode } from './matchExisting';
import { type ParsedCsv, parseCsvText } from './parseCsv';
import { checkRows, importRows, loadLookups, type Progress } from './runImport';
import {
  newDepartmentTarget,
  prefillTranslations,
  type Translations,
  translatedColumns,
} from './translation';

let db: CrmDatabase;

beforeEach(async () => {
  db = await createTestDatabase();
  // Team members come from the server (replication writes them straight to storage).
  for (const member of [
    { id: 'u-ann', name: 'Ann Smith', email: 'ann@team.example' },
    { id: 'u-ben', name: 'Ben Ortiz', email: 'ben@team.example' },
  ])
    await writeBypassingHooks(db, 'teamMembers', {
      ...member,
      tenantId: 't',
      createdAt: 1,
      updatedAt: 1,
      updatedBy: 'server',
      serverRev: 1,
    });
});
afterEach(async () => {
  await db?.close();
});

/** The import as the screen runs it: preset (if recognised) or header mapping, pre-filled translations. */
async function check(
  csv: ParsedCsv,
  {
    entity = detectPreset(csv.headers)?.entity ?? 'contacts',
    existing = 'skip',
    defaultStatus = 'Prospect',
    mapping,
    chosen = {},
  }: {
    entity?: ImportEntity;
    existing?: ExistingRecordMode;
    defaultStatus?: string;
    mapping?: ColumnMapping;
    /** What the user chooses in the translation step, over the pre-fill. */
    chosen?: Translations;
  } = {},
) {
  const preset = detectPreset(csv.headers);
  const columnMapping =
    mapping ?? (preset ? presetMapping(preset, csv.headers, entity) : autoMap(csv.headers, entity));
  const translations = prefillTranslations(
    translatedColumns(csv, columnMapping, entity),
    entity,
    preset,
    await loadLookups(db),
  );
  for (const [key, values] of Object.entries(chosen)) translations[key] = { ...translations[key], ...values };
  const progress: Progress[] = [];
  const plan = await checkRows(
    db,
    csv,
    { entity, mapping: columnMapping, translations, defaultStatus, existing },
    (step) => progress.push(step),
  );
  return { plan, progress, entity };
}

function fixture(name: string): ParsedCsv {
  return parseCsvText(readFileSync(new URL(`../presets/fixtures/${name}.csv`, import.meta.url), 'utf8'));
}

async function importCsv(csv: ParsedCsv, fileName: string, settings: Parameters<typeof check>[1] = {}) {
  const { plan, entity } = await check(csv, settings);
  const result = await importRows(db, plan, { entity, fileName, createConvertedContacts: true }, () => {});
  return { plan, result };
}

async function activitiesOf(key: 'contactId' | 'leadId', id: string) {
  return (await db.activities.find({ selector: { [key]: id } as never }).exec()).map((doc) => doc.toJSON());
}

const people = parseCsvText(
  [
    'First name,Last name,Email,Status,Company',
    'Ann,Lead,ann@x.io,Lead,Acme',
    'Ben,Active,ben@x.io,Active,Acme',
    'Cid,Bad,not-an-email,Lead,',
    'Dee,Taken,TAKEN@x.io,Prospect,',
    'Eve,Twice,ann@x.io,Lead,',
    ',Nameless,nameless@x.io,Lead,',
    'Fay,Default,fay@x.io,,Beta',
  ].join('\n'),
);

describe('a plain contacts file', () => {
  beforeEach(async () => {
    await db.contacts.insert({
      id: 'existing',
      firstName: 'Old',
      email: 'taken@x.io',
      status: 'Active',
    } as never);
  });

  it('dry run: refuses bad rows with reasons, skips the existing record, counts what it will create', async () => {
    const { plan, progress } = await check(people);
    expect(progress.at(-1)).toEqual({ done: 7, total: 7 });
    expect(plan.counts).toEqual({ create: 3, update: 0, unchanged: 0, skip: 1, refused: 3 });
    const refused = Object.fromEntries(
      plan.rows.filter((row) => row.kind === 'refused').map((row) => [row.row.rowNumber, row.row.issues]),
    );
    expect(refused).toEqual({
      4: [{ field: 'Email', message: 'Not a valid email address' }],
      6: [{ field: 'Email', message: 'Same email as row 2 of this file' }],
      7: [{ field: 'First name', message: 'First name is required' }],
    });
  });

  it('imports the good rows (a contact in Lead gets its lead), each with an "Imported from" entry', async () => {
    const { result } = await importCsv(people, 'people.csv');
    expect(result).toEqual({ created: 3, updated: 0, convertedContacts: 0, failed: [], cancelled: false });
    const imported = await db.contacts.find({ selector: { id: { $ne: 'existing' } } }).exec();
    expect(imported.map((doc) => [doc.firstName, doc.status]).sort()).toEqual([
      ['Ann', 'Lead'],
      ['Ben', 'Active'],
      ['Fay', 'Prospect'],
    ]);
    const ann = imported.find((doc) => doc.firstName === 'Ann')!;
    expect((await db.leads.findOne(autoLeadIdFor(ann.id)).exec())?.toJSON()).toMatchObject({
      firstName: 'Ann',
      status: 'New',
      contactId: ann.id,
    });
    // One entry of the contact's own: the import's, not "created" beside it; the rules' lead has its own.
    expect(
      (await activitiesOf('contactId', ann.id)).map((entry) => [entry.kind, entry.rule, entry.summary]),
    ).toEqual([
      ['imported', null, 'Imported from people.csv'],
      ['created', 'R1', expect.any(String)],
    ]);
    expect(await activitiesOf('contactId', ann.id)).toContainEqual(
      expect.objectContaining({ kind: 'imported', statusAfter: 'Lead', leadId: autoLeadIdFor(ann.id) }),
    );
    expect((await db.contacts.findOne('existing').exec())?.firstName).toBe('Old');
  });

  it('fills the empty fields of an existing record, or overwrites them, as chosen', async () => {
    const fill = await importCsv(people, 'people.csv', { existing: 'fillEmpty' });
    expect(fill.plan.counts.update).toBe(1);
    expect((await db.contacts.findOne('existing').exec())?.toJSON()).toMatchObject({
      firstName: 'Old',
      lastName: 'Taken',
      status: 'Active',
    });
    // The update's entry is the import's, with the values it changed.
    expect((await activitiesOf('contactId', 'existing')).filter((entry) => entry.kind !== 'created')).toEqual(
      [
        expect.objectContaining({
          kind: 'imported',
          summary: 'Updated from people.csv: Last name',
          changes: [{ field: 'lastName', before: '', after: 'Taken' }],
        }),
      ],
    );

    const again = await check(people, { existing: 'overwrite' });
    const dee = again.plan.rows.find((row) => row.row.rowNumber === 5);
    expect(dee).toMatchObject({
      kind: 'update',
      id: 'existing',
      patch: { firstName: 'Dee', status: 'Prospect' },
    });
    // The rows created by the first import now match by email and are unchanged.
    expect(again.plan.counts).toMatchObject({ create: 0, update: 1, unchanged: 3 });
  });

  it('reports a row the database refuses at import time and still imports the rest of its chunk', async () => {
    const { plan, entity } = await check(people);
    // Someone takes Ben's email between the dry run and the import.
    await db.contacts.insert({ id: 'late', firstName: 'Late', email: 'ben@x.io', status: 'Active' } as never);
    const result = await importRows(
      db,
      plan,
      { entity, fileName: 'people.csv', createConvertedContacts: true },
      () => {},
    );
    expect(result.created).toBe(2);
    expect(result.failed).toEqual([{ rowNumber: 3, issues: [expect.objectContaining({ field: 'Email' })] }]);
  });

  it('stops between chunks when cancelled', async () => {
    const { plan, entity } = await check(people);
    const controller = new AbortController();
    controller.abort();
    expect(
      await importRows(
        db,
        plan,
        { entity, fileName: 'x.csv', createConvertedContacts: true },
        () => {},
        controller.signal,
      ),
    ).toEqual({ created: 0, updated: 0, convertedContacts: 0, failed: [], cancelled: true });
  });
});

describe('updating existing records', () => {
  it('writes a chunk of updates together, each through its hooks, and records the new status', async () => {
    const log = new StorageOperationLog();
    await db.close();
    db = await createTestDatabase({ wrapStorage: (storage) => log.wrap(storage) });
    const names = Array.from({ length: 20 }, (_, index) => `p${index}`);
    await db.contacts.bulkInsert(
      names.map((name) => ({
        id: name,
        firstName: name,
        email: `${name}@x.io`,
        status: 'Active',
      })) as never[],
    );
    const later = parseCsvText(
      [
        'First name,Email,Status,Company',
        ...names.map((name) => `${name},${name}@x.io,Inactive,Nordlys`),
      ].join('\n'),
    );
    const { plan, entity } = await check(later, { existing: 'overwrite' });
    expect(plan.counts.update).toBe(20);
    log.reset();
    const result = await importRows(
      db,
      plan,
      { entity, fileName: 'later.csv', createConvertedContacts: true },
      () => {},
    );
    expect(result).toMatchObject({ updated: 20, failed: [] });
    // The chunk's writes run together and share storage writes; one record after the other, the same 20
    // updates took 40 storage writes (the records themselves come from the dry run's reads, cached).
    expect(log.total('bulkWrite', 'contacts').calls).toBeLessThan(10);
    const stored = await db.contacts.find().exec();
    expect(stored.map((doc) => [doc.status, doc.company])).toEqual(names.map(() => ['Inactive', 'Nordlys']));
    expect(await activitiesOf('contactId', 'p7')).toContainEqual(
      expect.objectContaining({
        summary: 'Updated from later.csv: Company, Status',
        statusAfter: 'Inactive',
      }),
    );
  });
});

describe('a Salesforce leads export', () => {
  it('imports leads with statuses, owners, sources, ratings and dates; converted leads get their contact', async () => {
    const { plan, result } = await importCsv(fixture('salesforce-leads'), 'salesforce-leads.csv');
    expect(plan.counts).toMatchObject({ create: 5, refused: 0 });
    expect(result).toMatchObject({ created: 5, convertedContacts: 2, failed: [] });

    const leads = new Map((await db.leads.find().exec()).map((doc) => [doc.id, doc.toJSON() as Lead]));
    expect([...leads.values()].map((lead) => [lead.firstName, lead.status]).sort()).toEqual([
      ['Aiko', 'Won'],
      ['Greta', 'New'],
      ['Lukas', 'Lost'],
      ['Priya', 'Won'],
      ['Tomás', 'Contacted'],
    ]);
    const greta = leads.get('00Q5e00001AAAAA')!;
    expect(greta).toMatchObject({
      assignedTo: 'u-ann',
      source: 'Website',
      priority: 'High',
      value: 250000,
      company: 'Lindqvist AB',
      createdAt: new Date(2024, 2, 1).getTime(),
      updatedAt: new Date(2024, 2, 1).getTime(),
    });
    expect(leads.get('00Q5e00001AAAAB')).toMatchObject({
      notes: 'Called twice.\r\nWants a demo in May.',
      source: 'Cold call',
      phone: '+351 21 000 0000',
    });

    const priya = leads.get('00Q5e00001AAAAC')!;
    expect(priya).toMatchObject({ isConvertedToContact: true });
    const contact = (await db.contacts.findOne(priya.contactId).exec())?.toJSON() as Contact;
    expect(contact).toMatchObject({
      firstName: 'Priya',
      email: 'priya@raman.example',
      status: 'Active',
      isConvertedFromLead: true,
      leadId: priya.id,
    });
    expect(await db.contacts.count().exec()).toBe(2);
    expect(await activitiesOf('leadId', priya.id)).toContainEqual(
      expect.objectContaining({ kind: 'imported', summary: 'Imported from salesforce-leads.csv' }),
    );

    // The same file again updates nothing and creates nothing: every row matches by its Lead ID.
    const again = await check(fixture('salesforce-leads'), { existing: 'overwrite' });
    expect(again.plan.counts).toEqual({ create: 0, update: 0, unchanged: 5, skip: 0, refused: 0 });
  });
});

describe('every preset’s fixture', () => {
  it.each([
    'hubspot-contacts',
    'hubspot-deals',
    'salesforce-leads',
    'salesforce-contacts',
    'pipedrive-people',
    'pipedrive-deals',
    'zoho-leads',
    'zoho-contacts',
  ])('%s: every row checks out with its created and modified dates', async (name) => {
    const csv = fixture(name);
    const { plan, entity } = await check(csv, {
      defaultStatus: detectPreset(csv.headers)?.entity === 'leads' ? 'New' : 'Prospect',
      // The team has no departments yet: the file's are created, as the translation step offers.
      chosen: {
        departmentId: {
          fieldsales: newDepartmentTarget('Field sales'),
          keyaccounts: newDepartmentTarget('Key accounts'),
        },
      },
    });
    expect(entity).toBe(detectPreset(csv.headers)?.entity);
    expect(plan.counts).toEqual({ create: csv.rows.length, update: 0, unchanged: 0, skip: 0, refused: 0 });
    for (const { row } of plan.rows) {
      expect(row.times.createdAt).toEqual(expect.any(Number));
      expect(row.times.updatedAt).toEqual(expect.any(Number));
    }
  });

  it('salesforce-contacts: the departments chosen to be created exist after the import, the rows point at them', async () => {
    const departmentId = {
      fieldsales: newDepartmentTarget('Field sales'),
      keyaccounts: newDepartmentTarget('Key accounts'),
    };
    const { result } = await importCsv(fixture('salesforce-contacts'), 'salesforce-contacts.csv', {
      chosen: { departmentId },
    });
    expect(result).toMatchObject({ created: 3, failed: [] });
    const departments = new Map((await db.departments.find().exec()).map((doc) => [doc.name, doc.id]));
    expect([...departments.keys()].sort()).toEqual(['Field sales', 'Key accounts']);
    const contacts = (await db.contacts.find().exec()).map((doc) => [doc.firstName, doc.departmentId]);
    expect(contacts.sort()).toEqual([
      ['Jürgen', departments.get('Field sales')],
      ['Søren', departments.get('Key accounts')],
      ['Élodie', departments.get('Field sales')],
    ]);
  });

  it('pipedrive-deals: the label is the priority, Deal - Status decides won and lost over the stage', async () => {
    const { plan } = await check(fixture('pipedrive-deals'), { defaultStatus: 'New' });
    expect(
      plan.rows.map(({ row }) => [row.document?.firstName, row.document?.status, row.document?.priority]),
    ).toEqual([
      ['Mateo', 'Qualified', 'High'],
      ['Aroha', 'Won', 'Medium'],
      ['Aroha', 'Lost', 'Medium'],
    ]);
  });
});

describe('re-importing the app’s own export', () => {
  it('round-trips with 0 changes', async () => {
    await importCsv(fixture('hubspot-contacts'), 'hubspot-contacts.csv', { defaultStatus: 'Prospect' });
    const lookups = await loadLookups(db);
    const contacts = (await db.contacts.find().exec()).map((doc) => doc.toJSON() as Contact);
    const leads = (await db.leads.find().exec()).map((doc) => doc.toJSON() as Lead);
    expect(contacts).toHaveLength(6);
    expect(leads.length).toBeGreaterThan(0);

    const contactsBack = await check(parseCsvText(toCsv('contacts', contacts, lookups)), {
      entity: 'contacts',
      existing: 'overwrite',
    });
    expect(contactsBack.plan.counts).toEqual({ create: 0, update: 0, unchanged: 6, skip: 0, refused: 0 });
    const leadsBack = await check(parseCsvText(toCsv('leads', leads, lookups)), {
      entity: 'leads',
      existing: 'overwrite',
    });
    expect(leadsBack.plan.counts).toEqual({
      create: 0,
      update: 0,
      unchanged: leads.length,
      skip: 0,
      refused: 0,
    });
  });
});
