import type { CatalogueField, FieldCatalogue } from '@shared/schemas';
import type { FilterDefinition } from '../types/FilterDefinition';

/** A filter on a select field of the catalogue: its choices are the field's options, its name "<label> filter". */
export function catalogueFilter<T>(
  catalogue: FieldCatalogue<T>,
  field: keyof T & string,
  anyLabel: string,
): FilterDefinition {
  const spec = (catalogue as Record<string, CatalogueField | undefined>)[field];
  if (!spec?.options) throw new Error(`${field} is not a select field of this catalogue`);
  return { field, label: `${spec.label} filter`, options: spec.options, anyLabel };
}
