import { reference } from '@shared/schemas';
import { describe, expect, it } from 'vitest';
import { crmPresets } from '../presets/presets';
import type { ColumnMapping } from './mapping';
import { MAX_SPELLINGS, parseCsvText } from './parseCsv';
import {
  CONVERTED,
  describeUntranslated,
  type ImportLookups,
  newDepartmentName,
  newDepartmentTarget,
  prefillTranslations,
  targetOptions,
  translatedColumns,
  UNASSIGNED,
  untranslatedValues,
} from './translation';

const lookups: ImportLookups = {
  departments: [{ id: 'dep-field', name: 'Field sales' }],
  teamMembers: [
    { id: 'u-me', name: 'Mia Me', email: 'mia@team.example' },
    { id: 'u-ann', name: 'Ann Smith', email: 'ann@team.example' },
  ],
  userId: 'u-me',
};

const salesforceLeads = crmPresets.find((preset) => preset.id === 'salesforce-leads')!;

/** Columns of a small file: Status, Source, Owner and Department mapped to their fields (listed in form order). */
function columnsOf(lines: string[], entity: 'contacts' | 'leads' = 'contacts') {
  const csv = parseCsvText(['Status,Source,Owner,Department,First name', ...lines].join('\n'));
  const mapping: ColumnMapping = {
    Status: 'status',
    Source: 'source',
    Owner: 'assignedTo',
    Department: 'departmentId',
    'First name': 'firstName',
  };
  if (entity === 'leads') delete mapping.Department;
  return translatedColumns(csv, mapping, entity);
}

describe('translatedColumns', () => {
  it('lists each distinct value once (case and punctuation ignored, first spelling kept), most frequent first', () => {
    const columns = columnsOf(['Web,Web,,,A', 'web,Trade-Show,,,B', ' WEB ,trade show,,,C', 'Phone,,,,D']);
    expect(columns.map((column) => [column.field.key, column.header])).toEqual([
      ['departmentId', 'Department'],
      ['source', 'Source'],
      ['assignedTo', 'Owner'],
      ['status', 'Status'],
    ]);
    const byField = Object.fromEntries(columns.map((column) => [column.field.key, column.values]));
    expect(byField.status).toEqual([
      { value: 'Web', key: 'web', count: 3 },
      { value: 'Phone', key: 'phone', count: 1 },
    ]);
    expect(byField.source).toEqual([
      { value: 'Trade-Show', key: 'tradeshow', count: 2 },
      { value: 'Web', key: 'web', count: 1 },
    ]);
    // Empty cells are not values to translate (they take the default).
    expect(byField.assignedTo).toEqual([]);
  });

  it('counts every value of a column with too many spellings to tally while parsing', () => {
    const lines = Array.from({ length: MAX_SPELLINGS + 5 }, (_, i) => `Status ${i},,,,P${i}`);
    lines.push('Status 0,,,,Again');
    const csv = parseCsvText(['Status,Source,Owner,Department,First name', ...lines].join('\n'));
    expect(csv.columns.get('Status')).toEqual({ filled: MAX_SPELLINGS + 6, spellings: null });
    const [status] = translatedColumns(csv, { Status: 'status' }, 'contacts');
    expect(status!.values).toHaveLength(MAX_SPELLINGS + 5);
    expect(status!.values[0]).toEqual({ value: 'Status 0', key: 'status0', count: 2 });
  });
});

describe('targetOptions', () => {
  it('offers a converted status for leads only, "Other" among sources, new departments and "Nobody"', () => {
    const values = (options: { value: string }[]) => options.map((option) => option.value);
    expect(values(targetOptions('status', 'leads', lookups))).toContain(CONVERTED);
    expect(values(targetOptions('status', 'contacts', lookups))).toEqual([
      'Lead',
      'Prospect',
      'Active',
      'Inactive',
    ]);
    expect(values(targetOptions('source', 'contacts', lookups))).toContain('Other');
    expect(targetOptions('department', 'contacts', lookups, ['Key accounts'])).toEqual([
      { value: 'dep-field', label: 'Field sales' },
      { value: newDepartmentTarget('Key accounts'), label: 'New department “Key accounts”' },
    ]);
    expect(targetOptions('assignee', 'contacts', lookups)).toEqual([
      { value: 'u-me', label: 'Me' },
      { value: 'u-ann', label: 'Ann Smith (ann@team.example)' },
      { value: UNASSIGNED, label: 'Nobody (unassigned)' },
    ]);
    expect(newDepartmentName('dep-field')).toBeNull();
  });

  it('names a department to create by an id that is valid in a row until it exists', () => {
    for (const name of ['Key accounts', 'Vertrieb Süd / Nord', '营业部', 'a']) {
      const target = newDepartmentTarget(name);
      expect(reference.safeParse(target).success).toBe(true);
      expect(newDepartmentName(target)).toBe(name);
    }
    // A name too long for an id is not offered (create it in Settings, then choose it).
    const long = 'Department of '.repeat(10);
    expect(targetOptions('department', 'contacts', lookups, [long]).map((option) => option.label)).toEqual([
      'Field sales',
    ]);
  });
});

describe('prefillTranslations', () => {
  it('translates values that name ours: statuses, sources, departments, owners by name, email or "me"', () => {
    const columns = columnsOf([
      'active,trade show,ANN@team.example,field sales,A',
      'Inactive,Website,ann smith,,B',
      'lead,Other,me,,C',
    ]);
    expect(prefillTranslations(columns, 'contacts', null, lookups)).toEqual({
      status: { active: 'Active', inactive: 'Inactive', lead: 'Lead' },
      source: { tradeshow: 'Trade show', website: 'Website', other: 'Other' },
      assignedTo: { annteamexample: 'u-ann', annsmith: 'u-ann', me: 'u-me' },
      departmentId: { fieldsales: 'dep-field' },
    });
  });

  it('takes the preset’s table, and what the user chose before over both', () => {
    const columns = columnsOf(
      ['Closed - Converted,Web,,,A', 'Working - Contacted,Phone Inquiry,,,B', 'Open - Not Contacted,Web,,,C'],
      'leads',
    );
    const fromPreset = prefillTranslations(columns, 'leads', salesforceLeads, lookups);
    expect(fromPreset.status).toEqual({
      closedconverted: CONVERTED,
      workingcontacted: 'Contacted',
      opennotcontacted: 'New',
    });
    expect(fromPreset.source).toEqual({ web: 'Website', phoneinquiry: 'Cold call' });

    const previous = { status: { workingcontacted: 'Qualified' }, source: { web: 'Not a source' } };
    const again = prefillTranslations(columns, 'leads', salesforceLeads, lookups, previous);
    expect(again.status?.workingcontacted).toBe('Qualified');
    // A choice that is not one of ours (here: invalid) is dropped, the preset's stands.
    expect(again.source?.web).toBe('Website');
  });

  it('leaves unknown values untranslated, and a preset value not allowed for this kind of record', () => {
    // The Salesforce table says "Converted", which contacts have not: imported as contacts, it must be chosen.
    const columns = columnsOf(['Closed - Converted,Fax,Bob,Legal,A']);
    const translations = prefillTranslations(columns, 'contacts', salesforceLeads, lookups);
    expect(translations).toEqual({ status: {}, source: {}, assignedTo: {}, departmentId: {} });
    const missing = untranslatedValues(columns, translations);
    expect(
      missing.map(({ column, values }) => [column.field.key, values.map((value) => value.value)]),
    ).toEqual([
      ['departmentId', ['Legal']],
      ['source', ['Fax']],
      ['assignedTo', ['Bob']],
      ['status', ['Closed - Converted']],
    ]);
    expect(describeUntranslated(missing)).toEqual([
      'Department (column “Department”): choose what “Legal” becomes.',
      'Source (column “Source”): choose what “Fax” becomes.',
      'Assigned to (column “Owner”): choose what “Bob” becomes.',
      'Status (column “Status”): choose what “Closed - Converted” becomes.',
    ]);
  });
});

describe('describeUntranslated', () => {
  it('names five values and counts the rest', () => {
    const columns = columnsOf(['a', 'b', 'c', 'd', 'e', 'f', 'g'].map((status) => `${status},,,,X`));
    const missing = untranslatedValues(columns, prefillTranslations(columns, 'contacts', null, lookups));
    expect(describeUntranslated(missing)).toEqual([
      'Status (column “Status”): choose what “a”, “b”, “c”, “d”, “e” and 2 more become.',
    ]);
  });
});
