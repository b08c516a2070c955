import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { collectionDefinitions } from './collections';
import { contactFieldCatalogue } from './contact-fields';
import { derivedFieldNames } from './derived-fields';
import { catalogueFields, type FieldCatalogue, formFieldsOf } from './field-catalogue';
import { leadFieldCatalogue } from './lead-fields';

/**
 * Schema fields with no catalogue entry on purpose: kept by the database layer or the link rules, never
 * typed, listed, imported or exported by a person. A new schema field must get an entry or be named here.
 */
const notInCatalogue = {
  contacts: [
    'updatedBy',
    'serverRev',
    'emailKey',
    'leadId',
    'isConvertedFromLead',
    'conversionDate',
    'mergedInto',
  ],
  leads: [
    'updatedBy',
    'serverRev',
    'emailKey',
    'contactId',
    'autoCreatedFromContact',
    'isConvertedToContact',
    'conversionDate',
    'position',
    'mergedInto',
  ],
};

const catalogues = { contacts: contactFieldCatalogue, leads: leadFieldCatalogue } as const;

describe.each(['contacts', 'leads'] as const)('the %s field catalogue', (collection) => {
  const catalogue = catalogues[collection] as FieldCatalogue<Record<string, unknown>>;
  const { schema, indexes } = collectionDefinitions[collection];
  const shape = schema.shape as Record<string, z.ZodType>;
  const fields = catalogueFields(catalogue);

  it('describes every field of the zod schema, and only those', () => {
    expect(fields.map((field) => field.name).filter((name) => !(name in shape))).toEqual([]);
    const described = new Set([...fields.map((field) => field.name), ...notInCatalogue[collection]]);
    expect(Object.keys(shape).filter((name) => !described.has(name))).toEqual([]);
  });

  it('offers exactly the values the schema accepts for each select with a fixed list', () => {
    for (const field of fields.filter((candidate) => Array.isArray(candidate.options))) {
      const accepted = (field.options as readonly string[]).filter(
        (option) => shape[field.name]?.safeParse(option).success,
      );
      expect(accepted, field.name).toEqual(field.options);
      expect(shape[field.name]?.safeParse(`not a ${field.name}`).success, field.name).toBe(false);
    }
  });

  it('marks a field required exactly when the schema refuses it empty, nullable when it stores null', () => {
    for (const field of formFieldsOf(catalogue)) {
      const empty = field.nullable || field.type === 'number' ? null : '';
      expect(shape[field.name]?.safeParse(empty).success, field.name).toBe(!field.required);
      expect(shape[field.name]?.safeParse(null).success, field.name).toBe(field.nullable === true);
    }
  });

  it('gives numbers and emails the type the schema checks', () => {
    for (const field of fields) {
      if (field.type === 'number') expect(shape[field.name]?.safeParse(12.5).success, field.name).toBe(true);
      if (field.type === 'email')
        expect(shape[field.name]?.safeParse('not an address').success, field.name).toBe(false);
      if (field.type === 'text' || field.type === 'multiline' || field.type === 'tel')
        expect(shape[field.name]?.safeParse('text').success, field.name).toBe(true);
    }
  });

  it('sorts only by an index of the collection (a sort without one would read every record)', () => {
    const indexed = indexes.map((index) => JSON.stringify(typeof index === 'string' ? [index] : index));
    for (const field of fields.filter((candidate) => candidate.sortBy)) {
      expect(indexed, field.name).toContain(JSON.stringify(field.sortBy));
      for (const key of field.sortBy ?? [])
        expect(key in shape || derivedFieldNames.has(key), key).toBe(true);
    }
  });

  it('gives every column a distinct position and id', () => {
    const columns = fields.filter((field) => field.column);
    const positions = columns.map((field) => field.column?.position);
    const ids = columns.map((field) => field.column?.id ?? field.name);
    expect(new Set(positions).size).toBe(columns.length);
    expect(new Set(ids).size).toBe(columns.length);
  });

  it('imports each header spelling into at most one field, and exports every importable field under a header it imports', () => {
    const spellingsOf = (field: (typeof fields)[number]) =>
      new Set([field.name, field.label, ...(field.importSynonyms ?? [])].map((s) => s.toLowerCase()));
    const spellings = fields
      .filter((field) => field.importSynonyms)
      .flatMap((field) => [...spellingsOf(field)]);
    expect(spellings.filter((spelling, index) => spellings.indexOf(spelling) !== index)).toEqual([]);
    // The app's own export imports back (issue 12's round trip): its header is one of the field's spellings.
    for (const field of fields.filter((candidate) => candidate.importSynonyms))
      expect(spellingsOf(field).has(field.exportHeader?.toLowerCase() ?? ''), field.name).toBe(true);
  });
});

// The form labels are the accessible names users, screen readers and the e2e tests find fields by
// (docs/field-catalogue.md): changing one is a change of contract, made here on purpose.
it('keeps the form labels of the public contract', () => {
  expect(formFieldsOf(contactFieldCatalogue).map((field) => field.label)).toEqual([
    'First name',
    'Last name',
    'Email',
    'Phone',
    'Mobile',
    'Company',
    'Job title',
    'Department',
    'Source',
    'Assigned to',
    'Status',
    'Notes',
  ]);
  expect(formFieldsOf(leadFieldCatalogue).map((field) => field.label)).toEqual([
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
  ]);
});
