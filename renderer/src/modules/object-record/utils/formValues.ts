import type { FieldDefinition, FormValues } from '../types/FieldDefinition';

/** A record's stored values as the strings form inputs edit. */
export function toFormValues(fields: FieldDefinition[], record: Record<string, unknown> | null): FormValues {
  const values: FormValues = {};
  for (const field of fields) {
    const value = record?.[field.name];
    values[field.name] = value === null || value === undefined ? '' : String(value);
  }
  return values;
}

/**
 * Form strings back to stored values. Numbers that do not parse are passed through as NaN so the
 * schema's own message ("expected number") reaches the field, rather than silently storing null.
 */
export function fromFormValues(fields: FieldDefinition[], values: FormValues): Record<string, unknown> {
  const record: Record<string, unknown> = {};
  for (const field of fields) {
    const raw = values[field.name] ?? '';
    if (field.type === 'number') {
      record[field.name] = raw.trim() === '' ? null : Number(raw.replace(/[\s,]/g, ''));
    } else if (raw === '' && field.nullable) {
      record[field.name] = null;
    } else {
      record[field.name] = raw;
    }
  }
  return record;
}
