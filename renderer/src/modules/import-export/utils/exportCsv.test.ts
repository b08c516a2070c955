import type { Lead } from '@shared/schemas';
import { describe, expect, it } from 'vitest';
import { problemRowsCsv, toCsv } from './exportCsv';
import { autoMap } from './mapping';
import { parseCsvText } from './parseCsv';
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
