import { autoLeadIdFor } from '@shared/schemas';
import type { CrmDatabase } from '@shared/sync';
import { createTestDatabase } from '@testing/database';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { autoMap } from './mapping';
import { parseCsvText } from './parseCsv';
import { checkRows, importRows, type Progress } from './runImport';

const csv = [
  'First name,Last name,Email,Status,Company',
  'Ann,Lead,ann@x.io,Lead,Acme',
  'Ben,Active,ben@x.io,Active,Acme',
  'Cid,Bad,not-an-email,Lead,',
  'Dee,Taken,TAKEN@x.io,Prospect,',
  'Eve,Twice,ann@x.io,Lead,',
  ',Nameless,nameless@x.io,Lead,',
  'Fay,Default,fay@x.io,,Beta',
].join('\n');

describe('checkRows + importRows against the database layer', () => {
  let db: CrmDatabase;
  beforeEach(async () => {
    db = await createTestDatabase();
    await db.contacts.insert({
      id: 'existing',
      firstName: 'Old',
      email: 'taken@x.io',
      status: 'Active',
    } as never);
  });
  afterEach(async () => {
    await db?.close();
  });

  async function check() {
    const parsed = parseCsvText(csv);
    const progress: Progress[] = [];
    const rows = await checkRows(
      db,
      parsed,
      { entity: 'contacts', mapping: autoMap(parsed.headers, 'contacts'), defaultStatus: 'Prospect' },
      (step) => progress.push(step),
    );
    return { rows, progress };
  }

  it('reports bad rows with reasons and imports the good ones, with leads for rows in Lead', async () => {
    const { rows, progress } = await check();
    expect(progress.at(-1)).toEqual({ done: 7, total: 7 });
    const problems = Object.fromEntries(
      rows.filter((row) => !row.document).map((row) => [row.rowNumber, row.issues]),
    );
    expect(problems).toEqual({
      4: [{ field: 'Email', message: 'Not a valid email address' }],
      5: [{ field: 'Email', message: 'A contact with this email already exists' }],
      6: [{ field: 'Email', message: 'Same email as row 2 of this file' }],
      7: [{ field: 'First name', message: 'First name is required' }],
    });

    const result = await importRows(db, 'contacts', rows, () => {});
    expect(result).toEqual({ imported: 3, failed: [], cancelled: false });
    const imported = await db.contacts.find({ selector: { id: { $ne: 'existing' } } }).exec();
    expect(imported.map((doc) => [doc.firstName, doc.status]).sort()).toEqual([
      ['Ann', 'Lead'],
      ['Ben', 'Active'],
      ['Fay', 'Prospect'],
    ]);
    const ann = imported.find((doc) => doc.firstName === 'Ann')!;
    expect(ann.leadId).toBe(autoLeadIdFor(ann.id));
    const lead = await db.leads.findOne(ann.leadId).exec();
    expect(lead?.toJSON()).toMatchObject({
      firstName: 'Ann',
      email: 'ann@x.io',
      company: 'Acme',
      status: 'New',
      contactId: ann.id,
    });
    expect(await db.leads.count().exec()).toBe(1);
  });

  it('reports a row the database refuses at import time and still imports the rest of its chunk', async () => {
    const { rows } = await check();
    // Someone takes Ben's email between the dry run and the import.
    await db.contacts.insert({ id: 'late', firstName: 'Late', email: 'ben@x.io', status: 'Active' } as never);
    const result = await importRows(db, 'contacts', rows, () => {});
    expect(result.imported).toBe(2);
    expect(result.failed).toEqual([{ rowNumber: 3, issues: [expect.objectContaining({ field: 'Email' })] }]);
    expect(
      (await db.contacts.find({ selector: { emailKey: 'ben@x.io' } }).exec()).map((doc) => doc.id),
    ).toEqual(['late']);
  });

  it('stops between chunks when cancelled', async () => {
    const { rows } = await check();
    const controller = new AbortController();
    controller.abort();
    expect(await importRows(db, 'contacts', rows, () => {}, controller.signal)).toEqual({
      imported: 0,
      failed: [],
      cancelled: true,
    });
  });
});

describe('importing leads', () => {
  let db: CrmDatabase;
  beforeEach(async () => {
    db = await createTestDatabase();
    await db.leads.insert({ id: 'old-lead', firstName: 'Old', email: 'old@x.io' } as never);
  });
  afterEach(async () => {
    await db?.close();
  });

  it('imports leads with priorities and values, refusing emails other leads use', async () => {
    const parsed = parseCsvText(
      [
        'Name,Email,Stage,Priority,Deal value',
        'Quinn,quinn@x.io,Qualified,high,"1,500.50"',
        'Rae,OLD@x.io,New,,',
        'Sam,sam@x.io,,Low,abc',
      ].join('\n'),
    );
    const mapping = { ...autoMap(parsed.headers, 'leads'), Name: 'firstName' };
    const rows = await checkRows(
      db,
      parsed,
      { entity: 'leads', mapping, defaultStatus: 'Contacted' },
      () => {},
    );
    expect(rows.map((row) => row.issues)).toEqual([
      [],
      [{ field: 'Email', message: 'A lead with this email already exists' }],
      [{ field: 'Value', message: '"abc" is not a number' }],
    ]);
    expect(await importRows(db, 'leads', rows, () => {})).toEqual({
      imported: 1,
      failed: [],
      cancelled: false,
    });
    const quinn = await db.leads.findOne({ selector: { emailKey: 'quinn@x.io' } }).exec();
    expect(quinn?.toJSON()).toMatchObject({
      firstName: 'Quinn',
      status: 'Qualified',
      priority: 'High',
      value: 1500.5,
      contactId: '',
    });
    expect(await db.contacts.count().exec()).toBe(0);
  });
});
