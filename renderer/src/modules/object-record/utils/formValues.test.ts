import { describe, expect, it } from 'vitest';
import type { FieldDefinition } from '../types/FieldDefinition';
import { fromFormValues, toFormValues } from './formValues';

const fields: FieldDefinition[] = [
  { name: 'firstName', label: 'First name', type: 'text' },
  { name: 'source', label: 'Source', type: 'select', options: ['Website'], nullable: true },
  { name: 'value', label: 'Value', type: 'number' },
];

describe('form values', () => {
  it('shows null and missing values as empty strings', () => {
    expect(toFormValues(fields, { firstName: 'Ada', source: null, value: 1200.5 })).toEqual({
      firstName: 'Ada',
      source: '',
      value: '1200.5',
    });
  });

  it('stores empty nullable fields as null and parses numbers with grouping', () => {
    expect(fromFormValues(fields, { firstName: 'Ada', source: '', value: '25,000' })).toEqual({
      firstName: 'Ada',
      source: null,
      value: 25000,
    });
    expect(fromFormValues(fields, { firstName: '', source: 'Website', value: ' ' })).toEqual({
      firstName: '',
      source: 'Website',
      value: null,
    });
  });

  it('passes an unparsable number on as NaN so the schema reports it on the field', () => {
    expect(fromFormValues(fields, { firstName: 'A', source: '', value: 'lots' }).value).toBeNaN();
  });
});
