import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { autoMap, type ColumnMapping } from './mapping';
import { type CsvRow, chunkCollector, parseCsvText, parseOptions, tallyColumns } from './parseCsv';
import {
  type ImportLookups,
  newDepartmentTarget,
  prefillTranslations,
  type Translations,
  translatedColumns,
} from './translation';
import { checkRow, parseAmount, parseDateCell, splitFullName, unescapeFormula } from './validateRows';

const lookups: ImportLookups = {
  departments: [{ id: 'dep-sales', name: 'Sales' }],
  teamMembers: [{ id: 'u-ann', name: 'Ann Smith', email: 'ann@example.com' }],
  userId: 'u-me',
};

let counter = 0;
/**
 * Checks one row the way the import does: columns mapped from their headers, values translated by the
 * pre-fill alone (no preset), unless `translations` says otherwise.
 */
function check(
  row: CsvRow,
  entity: 'contacts' | 'leads',
  {
    headers = Object.keys(row),
    defaultStatus = entity === 'contacts' ? 'Lead' : 'New',
    mapping = autoMap(headers, entity),
    translations,
  }: {
    headers?: string[];
    defaultStatus?: string;
    mapping?: ColumnMapping;
    translations?: Translations;
  } = {},
) {
  const csv = {
    headers,
    rows: [row],
    rowErrors: new Map<number, string>(),
    columns: tallyColumns(new Map(), headers, [row]),
  };
  return checkRow(row, 7, {
    entity,
    mapping,
    defaultStatus,
    translations:
      translations ?? prefillTranslations(translatedColumns(csv, mapping, entity), entity, null, lookups),
    lookups,
    newId: () => `id-${++counter}`,
  });
}

describe('checkRow', () => {
  it('builds a complete, normalized contact from a good row', () => {
    const row = check(
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
      'contacts',
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
      check({ 'First name': 'A', Status: '' }, 'contacts', { defaultStatus: 'Prospect' }).document,
    ).toMatchObject({
      status: 'Prospect',
    });
    expect(check({ 'First name': 'A' }, 'leads', { defaultStatus: 'Qualified' }).document).toMatchObject({
      status: 'Qualified',
      priority: 'Medium',
    });
  });

  it('refuses values left without a translation, with the value and the field in words', () => {
    const row = check(
      {
        'First name': '',
        Email: 'not-an-email',
        Status: 'Maybe',
        Source: 'Fax',
        Department: 'Legal',
        'Assigned to': 'Bob',
      },
      'contacts',
    );
    expect(row.document).toBeNull();
    expect(row.rowNumber).toBe(7);
    expect(row.issues).toEqual([
      { field: 'Department', message: '“Legal” has no department chosen for it' },
      { field: 'Source', message: '“Fax” has no source chosen for it' },
      { field: 'Assigned to', message: '“Bob” has no assigned to chosen for it' },
      { field: 'Status', message: '“Maybe” has no status chosen for it' },
    ]);
  });

  it('applies the chosen translations, "Nobody" for an owner and a department still to create', () => {
    const row = check(
      { 'First name': 'A', Status: 'customer', Owner: 'Former rep', Department: 'Field' },
      'contacts',
      {
        translations: {
          status: { customer: 'Active' },
          assignedTo: { formerrep: '(unassigned)' },
          departmentId: { field: newDepartmentTarget('Field sales') },
        },
      },
    );
    expect(row.issues).toEqual([]);
    expect(row.document).toMatchObject({
      status: 'Active',
      assignedTo: '',
      departmentId: newDepartmentTarget('Field sales'),
    });
  });

  it('runs the zod schema: required first name, email syntax, lengths', () => {
    const row = check({ 'First name': ' ', Email: 'nope', Company: 'x'.repeat(201) }, 'contacts');
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
      check({ 'First name': 'A', Value: '€ 1.200,50', Priority: 'HIGH' }, 'leads').document,
    ).toMatchObject({
      value: 1200.5,
      priority: 'High',
    });
    expect(check({ 'First name': 'A', Value: '', Priority: '' }, 'leads').document).toMatchObject({
      value: null,
      priority: 'Medium',
    });
    expect(check({ 'First name': 'A', Value: 'lots' }, 'leads', { headers }).issues).toEqual([
      { field: 'Value', message: '"lots" is not a number' },
    ]);
    expect(check({ 'First name': 'A', Value: '-5' }, 'leads', { headers }).issues).toEqual([
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

describe('ids, full names, kept dates and outcomes', () => {
  it('takes the id column as the record id and splits a full name when there is no first name', () => {
    const row = check({ Id: '00Q5e00000AbCdE', 'Full name': 'Jane van Dyke' }, 'leads');
    expect(row.fileId).toBe('00Q5e00000AbCdE');
    expect(row.document).toMatchObject({ id: '00Q5e00000AbCdE', firstName: 'Jane', lastName: 'van Dyke' });
    expect(row.provided).toEqual(expect.arrayContaining(['firstName', 'lastName']));
    expect(row.provided).not.toContain('id');
  });

  it('keeps the created and updated dates apart from the document', () => {
    const row = check(
      { 'First name': 'A', 'Created at': '2021-04-05T10:00:00Z', 'Updated at': '' },
      'contacts',
    );
    expect(row.times).toEqual({ createdAt: Date.UTC(2021, 3, 5, 10), updatedAt: null });
    expect(row.document).not.toHaveProperty('createdAt');
    expect(check({ 'First name': 'A', 'Created at': 'yesterday-ish' }, 'contacts').issues).toEqual([
      { field: 'Created', message: '"yesterday-ish" is not a date' },
    ]);
  });

  it('imports a converted lead as Won and flags it; the outcome column overrides an open status', () => {
    const translations = {
      status: { closedconverted: 'Converted', workingcontacted: 'Contacted' },
      outcome: { '1': 'Converted', '0': 'Open' },
    };
    const converted = check({ 'First name': 'A', Status: 'Closed - Converted' }, 'leads', { translations });
    expect(converted.document).toMatchObject({ status: 'Won', isConvertedToContact: false });
    expect(converted.converted).toBe(true);
    const mapping = { 'First name': 'firstName', Status: 'status', Converted: 'outcome' };
    const byColumn = check({ 'First name': 'A', Status: 'Working - Contacted', Converted: '1' }, 'leads', {
      mapping,
      translations,
    });
    expect([byColumn.document?.status, byColumn.converted]).toEqual(['Won', true]);
    const open = check({ 'First name': 'A', Status: 'Working - Contacted', Converted: '0' }, 'leads', {
      mapping,
      translations,
    });
    expect([open.document?.status, open.converted]).toEqual(['Contacted', false]);
  });
});

describe('parseDateCell / splitFullName', () => {
  it.each([
    ['2024-03-05T14:22:00Z', Date.UTC(2024, 2, 5, 14, 22)],
    ['2024-03-05T14:22:00.250+02:00', Date.UTC(2024, 2, 5, 12, 22, 0, 250)],
    ['2024-03-05 14:22', new Date(2024, 2, 5, 14, 22).getTime()],
    ['2024-03-05', new Date(2024, 2, 5).getTime()],
    ['3/5/2024, 2:22 PM', new Date(2024, 2, 5, 14, 22).getTime()],
    ['3/5/2024 12:05 AM', new Date(2024, 2, 5, 0, 5).getTime()],
    ['25/12/2023', new Date(2023, 11, 25).getTime()],
    ['05.03.2024 09:30', new Date(2024, 2, 5, 9, 30).getTime()],
    ['Mar 5, 2024 02:22 PM', new Date(2024, 2, 5, 14, 22).getTime()],
    ['1709648520000', 1709648520000],
    ['', null],
    ['2/30/2024', undefined],
    ['soon', undefined],
  ])('%s', (cell, expected) => {
    expect(parseDateCell(cell)).toBe(expected);
  });

  it('splits on the first space', () => {
    expect(splitFullName('  Zoë  van  Dyke ')).toEqual(['Zoë', 'van Dyke']);
    expect(splitFullName('Cher')).toEqual(['Cher', '']);
  });
});

describe('an associated person cell (HubSpot deals: Associated Contact)', () => {
  const mapping: ColumnMapping = { 'Associated Contact': 'fullName', Email: 'email' };
  const person = (cell: string, email = '') =>
    check({ 'Associated Contact': cell, Email: email }, 'leads', { mapping }).document;

  it('takes "Name (email)" apart: the email becomes the lead\'s, unless the file has an email column value', () => {
    expect(person('Zoë van Dyke (zoe@example.no)')).toMatchObject({
      firstName: 'Zoë',
      lastName: 'van Dyke',
      email: 'zoe@example.no',
      emailKey: 'zoe@example.no',
    });
    expect(person('Zoë van Dyke (zoe@example.no)', 'z@other.no')).toMatchObject({
      lastName: 'van Dyke',
      email: 'z@other.no',
    });
  });

  it('leaves a record id in brackets out of the name, and keeps other brackets', () => {
    expect(person('Marc Lemaire (4421)')).toMatchObject({
      firstName: 'Marc',
      lastName: 'Lemaire',
      email: '',
    });
    expect(person('Anna Berg (Sales)')).toMatchObject({ firstName: 'Anna', lastName: 'Berg (Sales)' });
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

  it('puts an unclosed quote on its own row, in one piece or streamed in chunks as the worker reads', () => {
    const lines = ['First name,Email', ...Array.from({ length: 30 }, (_, i) => `P${i},p${i}@x.io`)];
    const text = [...lines, 'Cid,c@x.io,extra', 'Bad,"unclosed', 'Dee,d@x.io'].join('\n');
    const whole = parseCsvText(text);
    expect(whole.rowErrors).toEqual(
      new Map([
        [30, 'The row has more columns than the header'],
        [31, 'A quoted cell is not closed'],
      ]),
    );

    const sent: CsvRow[][] = [];
    const collector = chunkCollector((rows) => sent.push(rows));
    Papa.parse<CsvRow>(text, { ...parseOptions, chunkSize: 64, chunk: collector.chunk, complete: () => {} });
    expect(sent.length).toBeGreaterThan(3);
    expect(sent.flat()).toEqual(whole.rows);
    const streamed = collector.finish();
    expect(streamed.headers).toEqual(['First name', 'Email']);
    expect(new Map(streamed.rowErrors)).toEqual(whole.rowErrors);
    expect(streamed.columns).toEqual(whole.columns);
  });

  it('tallies each column while parsing: rows with a value, and the count of each spelling', () => {
    const parsed = parseCsvText('First name,Status\nAnn,Lead\nBob, \nCid,lead\nDee,Lead\nEve,\n');
    expect(parsed.columns.get('Status')).toEqual({
      filled: 3,
      spellings: new Map([
        ['Lead', 2],
        ['lead', 1],
      ]),
    });
    expect(parsed.columns.get('First name')?.filled).toBe(5);
  });

  it('detects semicolon-separated files', () => {
    expect(parseCsvText('First name;Email\nAnn;a@x.io\n').rows).toEqual([
      { 'First name': 'Ann', Email: 'a@x.io' },
    ]);
  });
});
