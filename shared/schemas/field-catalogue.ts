/**
 * Field catalogue: everything the app says about a field besides how it is validated (that is the zod
 * schema beside it). The form, the record page, the list, CSV import and export and the search all read
 * it, so adding a field to contacts or leads is one zod field plus one catalogue entry
 * (`field-catalogue.test.ts` checks the two agree). Data only: the renderer decides how a type looks.
 */

/** How a value is edited and shown. `select` takes its choices from `options`. */
export type FieldType = 'text' | 'email' | 'tel' | 'number' | 'select' | 'multiline' | 'datetime' | 'id';

/** Where a select's options come from: a fixed list, or records the user manages elsewhere. */
export type OptionSource = readonly string[] | 'departments' | 'teamMembers';

/** How the search box matches a field (see FieldSpec.search). */
export type SearchMatch = 'name' | 'words' | 'digits';

/** The groups of the record form, in the order they are shown. */
export const formSections = ['Person', 'Work', 'Sales', 'Other'] as const;
export type FormSection = (typeof formSections)[number];

/** A list column: its place among the columns, its CSS grid track, and when narrow windows hide it. */
export type ListColumn = {
  position: number;
  width: string;
  hideBelow?: 'sm' | 'md' | 'lg' | 'xl';
  /** Column id and header when they differ from the field's name and label (the title column "Name"). */
  id?: string;
  header?: string;
};

export type FieldSpec = {
  /** The field's label everywhere: form, record page, column header, import target, timeline. Public contract. */
  label: string;
  type: FieldType;
  options?: OptionSource;
  /** For selects that may stay empty: the label of the empty choice. */
  emptyOption?: string;
  /** Stored as `null` instead of '' when empty. */
  nullable?: boolean;
  required?: boolean;
  /** The form section it is edited in; absent: not on the form (managed or derived fields). */
  section?: FormSection;
  /** Its column in the record list; absent: no column. */
  column?: ListColumn;
  /** CSV headers besides the label and the field's name that import into it; absent: not importable. */
  importSynonyms?: readonly string[];
  /** CSV export header; absent: not exported. */
  exportHeader?: string;
  /**
   * How the search box matches it; absent: not searched. `name`: a person's name, by word prefixes, ranked
   * first; `words`: by word prefixes (an email also as one word); `digits`: any run of its digits (phones).
   */
  search?: SearchMatch;
  /** The indexed fields the list sorts by when its column header is clicked; absent: not sortable. */
  sortBy?: readonly string[];
};

/** A catalogue: field name → spec, in form order (the order of the keys is the order on screen). */
export type FieldCatalogue<T> = { readonly [K in keyof T & string]?: FieldSpec };

/** A catalogue entry with its name, as the lists derived from a catalogue hold them. */
export type CatalogueField = FieldSpec & { name: string };

export function catalogueFields<T>(catalogue: FieldCatalogue<T>): CatalogueField[] {
  return Object.entries(catalogue).map(([name, spec]) => ({ name, ...(spec as FieldSpec) }));
}

/** The fields of the record form and record page, in form order. */
export function formFieldsOf<T>(catalogue: FieldCatalogue<T>): CatalogueField[] {
  return catalogueFields(catalogue).filter((field) => field.section !== undefined);
}

/** The fields with a list column, in column order. */
export function columnFieldsOf<T>(catalogue: FieldCatalogue<T>): (CatalogueField & { column: ListColumn })[] {
  return catalogueFields(catalogue)
    .filter((field): field is CatalogueField & { column: ListColumn } => field.column !== undefined)
    .sort((a, b) => a.column.position - b.column.position);
}

/** The searched fields, in catalogue order; with `match`, those matched that way. */
export function searchFieldsOf<T>(catalogue: FieldCatalogue<T>, match?: SearchMatch): string[] {
  return catalogueFields(catalogue)
    .filter((field) => field.search !== undefined && (match === undefined || field.search === match))
    .map((field) => field.name);
}

/** Sort key (the column's id) → the indexed fields it sorts by. */
export function sortFieldsOf<T>(catalogue: FieldCatalogue<T>): Record<string, readonly string[]> {
  return Object.fromEntries(
    catalogueFields(catalogue)
      .filter((field) => field.sortBy !== undefined)
      .map((field) => [field.column?.id ?? field.name, field.sortBy as readonly string[]]),
  );
}

export function importFieldsOf<T>(
  catalogue: FieldCatalogue<T>,
): (CatalogueField & { importSynonyms: readonly string[] })[] {
  return catalogueFields(catalogue).filter(
    (field): field is CatalogueField & { importSynonyms: readonly string[] } =>
      field.importSynonyms !== undefined,
  );
}

export function exportFieldsOf<T>(
  catalogue: FieldCatalogue<T>,
): (CatalogueField & { exportHeader: string })[] {
  return catalogueFields(catalogue).filter(
    (field): field is CatalogueField & { exportHeader: string } => field.exportHeader !== undefined,
  );
}

/** The label of a field by name (the timeline, import problems); the name itself when it has none. */
export function fieldLabelOf<T>(catalogue: FieldCatalogue<T>, name: string): string {
  return (catalogue as Record<string, FieldSpec | undefined>)[name]?.label ?? name;
}
