import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseCsvText } from '../utils/parseCsv';
import type { ImportLookups } from '../utils/translation';
import { prefillTranslations, translatedColumns, untranslatedValues } from '../utils/translation';
import { crmPresets, detectPreset, notImportedReason, presetMapping } from './presets';

/** A team whose members own the records in the fixtures. */
const lookups: ImportLookups = {
  departments: [{ id: 'dep-field', name: 'Field sales' }],
  teamMembers: [
    { id: 'u-ann', name: 'Ann Smith', email: 'ann@team.example' },
    { id: 'u-ben', name: 'Ben Ortiz', email: 'ben@team.example' },
  ],
  userId: 'u-ann',
};

function fixture(name: string) {
  return parseCsvText(readFileSync(new URL(`./fixtures/${name}.csv`, import.meta.url), 'utf8'));
}

/** Every fixture, its preset, and the columns the preset leaves out on purpose (with a reason). */
const cases = [
  ['hubspot-contacts', ['Lead Status']],
  ['hubspot-deals', ['Pipeline', 'Close Date']],
  ['salesforce-leads', ['Mobile']],
  ['salesforce-contacts', []],
  ['pipedrive-people', []],
  [
    'pipedrive-deals',
    ['Deal - Currency', 'Deal - Pipeline', 'Deal - Expected close date', 'Deal - Lost reason'],
  ],
  ['zoho-leads', ['Mobile']],
  ['zoho-contacts', []],
] as const;

describe('CRM presets', () => {
  it('are valid data: one per vendor export, each citing its sources', () => {
    expect(crmPresets.map((preset) => preset.id).sort()).toEqual(cases.map(([id]) => id).sort());
    for (const preset of crmPresets) expect(preset.sources.length).toBeGreaterThan(0);
  });

  it.each(cases)('%s: recognised from the header row, every other column mapped', (id, unmapped) => {
    const csv = fixture(id);
    const preset = detectPreset(csv.headers);
    expect(preset?.id).toBe(id);
    const mapping = presetMapping(preset!, csv.headers, preset!.entity);
    const left = csv.headers.filter((header) => mapping[header] === null);
    expect(left.sort()).toEqual([...unmapped].sort());
    // A column left out is either a second column for a field already taken or has a reason on screen.
    for (const header of left) {
      const secondForField = Object.values(mapping).includes(preset!.columns[header] ?? '');
      expect(secondForField || notImportedReason(preset, header) !== null).toBe(true);
    }
  });

  it.each(cases)('%s: the preset translates every value of its fixture', (id) => {
    const csv = fixture(id);
    const preset = detectPreset(csv.headers)!;
    const mapping = presetMapping(preset, csv.headers, preset.entity);
    const columns = translatedColumns(csv, mapping, preset.entity);
    const translations = prefillTranslations(columns, preset.entity, preset, lookups);
    expect(
      untranslatedValues(columns, translations).map(({ column, values }) => [
        column.header,
        values.map((value) => value.value),
      ]),
    ).toEqual(
      // Department names are each team's own: the one the team lacks must be chosen (or created).
      id === 'salesforce-contacts' || id === 'zoho-contacts' ? [['Department', ['Key accounts']]] : [],
    );
  });

  it('maps the HubSpot and Salesforce values the issue names', () => {
    const hubspot = crmPresets.find((preset) => preset.id === 'hubspot-contacts')!;
    const csv = parseCsvText(
      'Record ID,Contact owner,Lifecycle Stage,Create Date,First Name\n' +
        [
          'subscriber',
          'lead',
          'marketingqualifiedlead',
          'Sales Qualified Lead',
          'opportunity',
          'Customer',
          'evangelist',
          'other',
        ]
          .map((stage, index) => `${index},,${stage},,A`)
          .join('\n'),
    );
    const columns = translatedColumns(csv, presetMapping(hubspot, csv.headers, 'contacts'), 'contacts');
    const status = prefillTranslations(columns, 'contacts', hubspot, lookups).status;
    expect(status).toEqual({
      subscriber: 'Lead',
      lead: 'Lead',
      marketingqualifiedlead: 'Lead',
      salesqualifiedlead: 'Lead',
      opportunity: 'Active',
      customer: 'Active',
      evangelist: 'Active',
      other: 'Inactive',
    });

    const salesforce = fixture('salesforce-leads');
    const preset = detectPreset(salesforce.headers)!;
    const translations = prefillTranslations(
      translatedColumns(salesforce, presetMapping(preset, salesforce.headers, 'leads'), 'leads'),
      'leads',
      preset,
      lookups,
    );
    expect(translations.status).toEqual({
      opennotcontacted: 'New',
      workingcontacted: 'Contacted',
      closedconverted: 'Converted',
      closednotconverted: 'Lost',
    });
    expect(translations.source).toMatchObject({
      web: 'Website',
      phoneinquiry: 'Cold call',
      partnerreferral: 'Referral',
    });
    expect(translations.priority).toEqual({ hot: 'High', warm: 'Medium', cold: 'Low' });
    expect(translations.assignedTo).toEqual({ annsmith: 'u-ann', benortiz: 'u-ben' });
  });

  it('recognises a Salesforce Data Loader export by its API names', () => {
    const preset = detectPreset([
      'Id',
      'FirstName',
      'LastName',
      'Email',
      'Status',
      'LeadSource',
      'IsConverted',
      'OwnerId',
    ]);
    expect(preset?.id).toBe('salesforce-leads');
    expect(presetMapping(preset!, ['Id', 'FirstName', 'IsConverted'], 'leads')).toEqual({
      Id: 'id',
      FirstName: 'firstName',
      IsConverted: 'outcome',
    });
  });

  it('recognises an older HubSpot export (Contact ID, HubSpot Owner)', () => {
    const headers = ['Contact ID', 'First Name', 'Email', 'HubSpot Owner', 'Lifecycle Stage', 'Create Date'];
    const preset = detectPreset(headers);
    expect(preset?.id).toBe('hubspot-contacts');
    expect(presetMapping(preset!, headers, 'contacts')).toMatchObject({
      'Contact ID': 'id',
      'HubSpot Owner': 'assignedTo',
      'Lifecycle Stage': 'status',
    });
  });

  it('recognises nothing in a plain file', () => {
    expect(detectPreset(['First name', 'Email', 'Status'])).toBeNull();
  });
});
