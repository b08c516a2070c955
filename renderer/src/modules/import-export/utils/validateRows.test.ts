import { describe, expect, it } from 'vitest';
import { autoMap } from './mapping';
import { parseCsvText } from './parseCsv';
import {
  type CheckedRow,
  checkRow,
  flagDuplicateEmails,
  type ImportLookups,
  parseAmount,
  unescapeFormula,
  type ValidationOptions,
} from './validateRows';

const lookups: ImportLookups = {
  departments: [{ id: 'dep-sales', name: 'Sales' }],
  teamMembers: [{ id: 'u-ann', name: 'Ann Smith', email: 'ann@example.com' }],
  userId: 'u-me',
};

let counter = 0;
function options(
  entity: 'contacts' | 'leads',
  headers: string[],
  defaultStatus = entity === 'contacts' ? 'Lead' : 'New',
): ValidationOptions {
  return {
    entity,
    mapping: autoMap(headers, entity),
    defaultStatus,
    lookups,
    newId: () => `id-${++counter}`,
  };
}

describe('checkRow', () => {
  it('builds a complete, normalized contact from a good row', () => {
    const headers = [
      'First name',
      'Last name',
      'Email',
      'Status',
      'Source',
      'Department',
      'Assigned to',
      'Phone',
    ];
    const row = checkRow(
      {
        'First name': ' Jane ',
        'Last name': 'Doe',
        Email: ' Jane@Example.COM ',
        Status: 'active',
        Source: 'trade show',
        Department: 'sales',
        'Assigned to': 'ann@example.com',
        Phone: "'+49 30 1234",
      },
      2,
      options('contacts', headers),
    );
    expect(row.issues).toEqual([]);
    expect(row.document).toMatchObject({
      firstName: 'Jane',
      lastName: 'Doe',
      email: 'Jane@Example.COM',
      emailKey: 'jane@example.com',
      status: 'Active',
      source: 'Trade show',
      departmentId: 'dep-sales',
      assignedTo: 'u-ann',
      phone: '+49 30 1234',
      mobile: '',
      leadId: '',
      isConvertedFromLead: false,
    });
    // Managed fields are left to the database layer.
    expect(row.document).not.toHaveProperty('createdAt');
    expect(row.document).not.toHaveProperty('updatedBy');
  });

  it('uses the default status when the cell is empty or the column is not mapped', () => {
    expect(
      checkRow({ 'First name': 'A', Status: '' }, 2, options('contacts', ['First name', 'Status'])).document,
    ).toMatchObject({
      status: 'Lead',
    });
    expect(
      checkRow({ 'First name': 'A' }, 2, options('leads', ['First name'], 'Qualified')).document,
    ).toMatchObject({
      status: 'Qualified',
      priority: 'Medium',
    });
  });

  it('reports every problem of a bad row with the field label and a reason', () => {
    const headers = ['First name', 'Email', 'Status', 'Source', 'Department', 'Assigned to'];
    const row = checkRow(
      {
        'First name': '',
        Email: 'not-an-email',
        Status: 'Maybe',
        Source: 'Fax',
        Department: 'Legal',
        'Assigned to': 'Bob',
      },
      7,
      options('contacts', headers),
    );
    expect(row.document).toBeNull();
    expect(row.rowNumber).toBe(7);
    expect(row.issues).toEqual([
      { field: 'Department', message: 'No department named "Legal"' },
      { field: 'Source', message: expect.stringContaining('Unknown source "Fax"') },
      { field: 'Assigned to', message: 'No team member "Bob"' },
      {
        field: 'Status',
        message: expect.stringContaining(
          'Unknown status "Maybe" (expected Lead, Prospect, Active, Inactive)',
        ),
      },
    ]);
  });

  it('runs the zod schema: required first name, email syntax, lengths', () => {
    const row = checkRow(
      { 'First name': ' ', Email: 'nope', Company: 'x'.repeat(201) },
      3,
      options('contacts', ['First name', 'Email', 'Company']),
    );
    expect(row.document).toBeNull();
    expect(row.issues).toEqual(
      expect.arrayContaining([
        { field: 'First name', message: 'First name is required' },
        { field: 'Email', message: 'Not a valid email address' },
        { field: 'Company', message: 'At most 200 characters' },
      ]),
    );
  });

  it('reads lead values and priorities, and refuses what is not a number', () => {
    const headers = ['First name', 'Value', 'Priority'];
    expect(
      checkRow({ 'First name': 'A', Value: '€ 1.200,50', Priority: 'HIGH' }, 2, options('leads', headers))
        .document,
    ).toMatchObject({
      value: 1200.5,
      priority: 'High',
    });
    expect(
      checkRow({ 'First name': 'A', Value: '', Priority: '' }, 2, options('leads', headers)).document,
    ).toMatchObject({
      value: null,
      priority: 'Medium',
    });
    expect(checkRow({ 'First name': 'A', Value: 'lots' }, 2, options('leads', headers)).issues).toEqual([
      { field: 'Value', message: '"lots" is not a number' },
    ]);
    expect(checkRow({ 'First name': 'A', Value: '-5' }, 2, options('leads', headers)).issues).toEqual([
      { field: 'Value', message: 'Must not be negative' },
    ]);
  });
});

describe('parseAmount / unescapeFormula', () => {
  it.each([
    ['1200', 1200],
    ['1,200.50', 1200.5],
    ['1.200,50', 1200.5],
    ['12,5', 12.5],
    ['$300', 300],
    ['1 200 EUR', 1200],
    ['.5', 0.5],
    ['', null],
    ['12abc3', undefined],
    ['1,2,3', undefined],
  ])('%s → %s', (cell, expected) => {
    expect(parseAmount(cell)).toBe(expected);
  });

  it('strips the export’s formula guard only before formula characters', () => {
    expect(unescapeFormula("'=SUM(A1)")).toBe('=SUM(A1)');
    expect(unescapeFormula("'+49")).toBe('+49');
    expect(unescapeFormula("'tis")).toBe("'tis");
  });
});

describe('flagDuplicateEmails', () => {
  function rows(emails: string[]): CheckedRow[] {
    return emails.map((email, index) =>
      checkRow({ 'First name': 'A', Email: email }, index + 2, options('contacts', ['First name', 'Email'])),
    );
  }

  it('keeps the first row with an email and flags later ones, case-insensitively', () => {
    const checked = rows(['a@x.io', 'b@x.io', ' A@X.io ', '', '']);
    flagDuplicateEmails(checked, new Set(), 'contacts');
    expect(checked.map((row) => row.document !== null)).toEqual([true, true, false, true, true]);
    expect(checked[2]!.issues).toEqual([{ field: 'Email', message: 'Same email as row 2 of this file' }]);
  });

  it('flags emails live records already use', () => {
    const checked = rows(['taken@x.io', 'free@x.io']);
    flagDuplicateEmails(checked, new Set(['taken@x.io']), 'contacts');
    expect(checked[0]!.document).toBeNull();
    expect(checked[0]!.issues).toEqual([
      { field: 'Email', message: 'A contact with this email already exists' },
    ]);
    expect(checked[1]!.document).not.toBeNull();
  });
});

describe('parseCsvText', () => {
  it('reads headers, quoted cells with commas and newlines, and reports malformed rows by index', () => {
    const parsed = parseCsvText(
      'First name,Company,Email\n"Ann","Acme, Inc.",a@x.io\n\nBob,"Line1\nLine2"\nCid,Co,c@x.io,extra\n',
    );
    expect(parsed.headers).toEqual(['First name', 'Company', 'Email']);
    expect(parsed.rows[0]).toEqual({ 'First name': 'Ann', Company: 'Acme, Inc.', Email: 'a@x.io' });
    expect(parsed.rows[1]!.Company).toBe('Line1\nLine2');
    expect(parsed.rowErrors.get(1)).toBe('The row has fewer columns than the header');
    expect(parsed.rowErrors.get(2)).toBe('The row has more columns than the header');
    expect(parsed.rowErrors.has(0)).toBe(false);
  });

  it('detects semicolon-separated files', () => {
    expect(parseCsvText('First name;Email\nAnn;a@x.io\n').rows).toEqual([
      { 'First name': 'Ann', Email: 'a@x.io' },
    ]);
  });
});
