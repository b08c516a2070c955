import {
  type CatalogueField,
  type ContactStatus,
  contactFieldCatalogue,
  fieldLabelOf,
  importFieldsOf,
  type LeadStatus,
  leadFieldCatalogue,
} from '@shared/schemas';

export type ImportEntity = 'contacts' | 'leads';

/** How a cell is turned into a field value. */
export type FieldKind =
  | 'text'
  | 'status'
  | 'source'
  | 'priority'
  | 'number'
  | 'department'
  | 'assignee'
  /** The record's id in the file: matches existing records and becomes the id of new ones. */
  | 'recordId'
  /** "Jane van Dyke" split into first name "Jane" and last name "van Dyke" (used when the file has no first-name column). */
  | 'fullName'
  /** A date and time the file recorded (created, last modified): kept as the record's own. */
  | 'date'
  /** Won / lost / converted as a separate column (Salesforce "Converted", Pipedrive "Deal - Status"). */
  | 'outcome';

/** Kinds whose cells are one of a fixed set of values: the import translates each distinct value. */
export const translatedKinds = ['status', 'source', 'priority', 'department', 'assignee', 'outcome'] as const;
export type TranslatedKind = (typeof translatedKinds)[number];
export function isTranslatedKind(kind: FieldKind): kind is TranslatedKind {
  return (translatedKinds as readonly FieldKind[]).includes(kind);
}

export type ImportField = {
  key: string;
  label: string;
  kind: FieldKind;
  /** Other header spellings that map to this field (compared after normalizing, see `comparableText`). */
  aliases: readonly string[];
};

export const catalogueOf = { contacts: contactFieldCatalogue, leads: leadFieldCatalogue } as const;

function kindOf(field: CatalogueField): FieldKind {
  if (field.type === 'id') return 'recordId';
  if (field.type === 'datetime') return 'date';
  if (field.type === 'number') return 'number';
  if (field.options === 'departments') return 'department';
  if (field.options === 'teamMembers') return 'assignee';
  if (field.name === 'status' || field.name === 'source' || field.name === 'priority') return field.name;
  return 'text';
}

/**
 * Columns an import reads that are not fields of the record: a full name split into first and last,
 * and a won / lost / converted column that decides a lead's status.
 */
const fullName: ImportField = { key: 'fullName', label: 'Full name', kind: 'fullName', aliases: ['name'] };
const outcome: ImportField = { key: 'outcome', label: 'Won / lost', kind: 'outcome', aliases: ['converted'] };

function importFieldsFor(entity: ImportEntity): readonly ImportField[] {
  const fields = importFieldsOf<Record<string, unknown>>(catalogueOf[entity]).map((field) => ({
    key: field.name,
    label: field.label,
    kind: kindOf(field),
    aliases: field.importSynonyms,
  }));
  return entity === 'leads' ? [...fields, fullName, outcome] : [...fields, fullName];
}

/** The fields a CSV column can be imported into, in form order (from the field catalogues). */
export const importFields: Record<ImportEntity, readonly ImportField[]> = {
  contacts: importFieldsFor('contacts'),
  leads: importFieldsFor('leads'),
};

/** Keys that are not stored as they are: they decide the id, the names, the times or the status. */
export const derivedKeys = ['id', 'fullName', 'createdAt', 'updatedAt', 'outcome'] as const;

export const statusesOf = {
  contacts: contactFieldCatalogue.status.options,
  leads: leadFieldCatalogue.status.options,
} as const satisfies Record<ImportEntity, readonly (ContactStatus | LeadStatus)[]>;

export function fieldLabel(entity: ImportEntity, key: string): string {
  // emailKey is derived from email: its problems (e.g. a duplicate) belong to the column the user filled.
  const name = key === 'emailKey' ? 'email' : key;
  return (
    importFields[entity].find((field) => field.key === name)?.label ??
    fieldLabelOf<Record<string, unknown>>(catalogueOf[entity], name)
  );
}
