import type { Contact, Lead } from '@shared/schemas';
import type { CrmDatabase } from '@shared/sync';
import { createTestDatabase, getContact, patchContact } from '@testing/database';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { allRecordsCsv, type ExportProgress, problemRowsCsv, toCsv } from './exportCsv';
import { autoMap } from './mapping';
import { parseCsvText } from './parseCsv';
import { loadLookups } from './runImport';
import { prefillTranslations, translatedColumns } from './translation';
import { checkRow } from './validateRows';

const lookups = {
  departments: [{ id: 'dep-1', name: 'Field sales' }],
  teamMembers: [{ id: 'u-ann', name: 'Ann Smith', email: 'ann@x.io' }],
  userId: 'u-me',
};

const lead: Lead = {
  id: 'lead-1',
  createdAt: Date.UTC(2026, 0, 2),
  updatedAt: Date.UTC(2026, 0, 3),
  updatedBy: 'u-me',
  serverRev: 4,
  firstName: 'Zoë',
  lastName: 'O"Neil, Jr.',
  email: 'zoe@x.io',
  emailKey: 'zoe@x.io',
  phone: '+49 30 123',
  company: '=HYPERLINK("evil")',
  jobTitle: 'Buyer',
  departmentId: 'dep-1',
  source: 'Trade show',
  assignedTo: 'u-ann',
  status: 'Qualified',
  priority: 'High',
  value: 1250.5,
  notes: 'line 1\nline 2',
  contactId: '',
  autoCreatedFromContact: false,
  isConvertedToContact: false,
  conversionDate: null,
  position: 'a0',
  mergedInto: '',
};

describe('toCsv', () => {
  it('writes labelled columns, names for references, ISO times and escaped formulas', () => {
    const csv = toCsv('leads', [lead], lookups);
    const parsed = parseCsvText(csv);
    expect(parsed.rows).toHaveLength(1);
    const header = parsed.headers;
    const row = parsed.rows[0];
    expect(header).toEqual([
      'Id',
      'First name',
      'Last name',
      'Email',
      'Phone',
      'Company',
      'Job title',
      'Department',
      'Source',
      'Assigned to',
      'Status',
      'Priority',
      'Value',
      'Notes',
      'Created at',
      'Updated at',
    ]);
    expect(row).toMatchObject({
      Id: 'lead-1',
      'Last name': 'O"Neil, Jr.',
      Phone: "'+49 30 123",
      Company: '\'=HYPERLINK("evil")',
      Department: 'Field sales',
      'Assigned to': 'Ann Smith',
      Value: '1250.5',
      Notes: 'line 1\nline 2',
      'Created at': '2026-01-02T00:00:00.000Z',
    });
  });

  it('imports back into the same values (round trip through the import mapping)', () => {
    const parsed = parseCsvText(toCsv('leads', [lead], lookups));
    const mapping = autoMap(parsed.headers, 'leads');
    const checked = checkRow(parsed.rows[0]!, 2, {
      entity: 'leads',
      mapping,
      defaultStatus: 'New',
      translations: prefillTranslations(translatedColumns(parsed, mapping, 'leads'), 'leads', null, lookups),
      lookups,
    });
    expect(checked.issues).toEqual([]);
    expect(checked.fileId).toBe('lead-1');
    expect(checked.times).toEqual({ createdAt: lead.createdAt, updatedAt: lead.updatedAt });
    const { createdAt: _c, updatedAt: _u, updatedBy: _b, serverRev: _s, position: _p, ...fields } = lead;
    expect(checked.document).toMatchObject(fields);
  });
});

describe('problemRowsCsv', () => {
  it('writes the refused rows as they were, with row numbers and reasons', () => {
    const csv = parseCsvText('First name,Email\nAnn,ann@x.io\n,bad\nCid,=1+1\n');
    const text = problemRowsCsv(csv, [
      {
        rowNumber: 3,
        issues: [
          { field: 'First name', message: 'First name is required' },
          { field: 'Email', message: 'Not a valid email address' },
        ],
      },
      { rowNumber: 4, issues: [{ field: 'Email', message: 'Not a valid email address' }] },
    ]);
    expect(parseCsvText(text).rows).toEqual([
      {
        Row: '3',
        'First name': '',
        Email: 'bad',
        Problems: 'First name: First name is required; Email: Not a valid email address',
      },
      { Row: '4', 'First name': 'Cid', Email: "'=1+1", Problems: 'Email: Not a valid email address' },
    ]);
  });
});

describe('allRecordsCsv', () => {
  const insertedIds = ['c3', 'c1', 'c5', 'c2', 'c4'];
  let db: CrmDatabase;
  beforeEach(async () => {
    db = await createTestDatabase();
    for (const id of insertedIds)
      await db.contacts.insert({ id, firstName: `Person ${id}`, status: 'Active' } as never);
  });
  afterEach(async () => {
    await db.close();
  });

  it('writes the same file as one pass over every record, a page at a time, with the progress of each page', async () => {
    const progress: ExportProgress[] = [];
    const { csv, count } = await allRecordsCsv(db, 'contacts', {
      pageSize: 2,
      onProgress: (step) => {
        progress.push(step);
      },
    });
    // In the order of their last write.
    const all = await Promise.all(insertedIds.map(async (id) => (await getContact(db, id)) as Contact));
    expect(csv).toBe(toCsv('contacts', all, await loadLookups(db)));
    expect(count).toBe(5);
    expect(progress).toEqual([
      { done: 2, total: 5 },
      { done: 4, total: 5 },
      { done: 5, total: 5 },
    ]);
  });

  it('exports a record written during the export once, and none deleted before its page', async () => {
    const { csv, count } = await allRecordsCsv(db, 'contacts', {
      pageSize: 2,
      onProgress: async ({ done }) => {
        if (done !== 2) return;
        await db.contacts.insert({ id: 'c9', firstName: 'Late', status: 'Active' } as never);
        await patchContact(db, 'c3', { firstName: 'Renamed' });
        await (await db.contacts.findOne('c4').exec())?.remove();
      },
    });
    const rows = parseCsvText(csv).rows;
    expect(rows.map((row) => row.Id)).toEqual(['c3', 'c1', 'c5', 'c2', 'c9']);
    expect(rows[0]?.['First name']).toBe('Person c3');
    expect(count).toBe(5);
  });

  it('stops between pages when asked, without a file', async () => {
    const controller = new AbortController();
    const exported = allRecordsCsv(db, 'contacts', {
      pageSize: 2,
      signal: controller.signal,
      onProgress: () => controller.abort(),
    });
    await expect(exported).rejects.toThrow();
  });

  it('writes the headers alone when there is nothing to export', async () => {
    const { csv, count } = await allRecordsCsv(db, 'leads');
    expect(count).toBe(0);
    expect(parseCsvText(csv).headers).toContain('Company');
    expect(parseCsvText(csv).rows).toEqual([]);
  });
});
