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
export type FieldKind = 'text' | 'status' | 'source' | 'priority' | 'number' | 'department' | 'assignee';

export type ImportField = {
  key: string;
  label: string;
  kind: FieldKind;
  /** Other header spellings that map to this field (compared after normalizing, see `normalizeHeader`). */
  aliases: readonly string[];
};

export const catalogueOf = { contacts: contactFieldCatalogue, leads: leadFieldCatalogue } as const;

function kindOf(field: CatalogueField): FieldKind {
  if (field.type === 'number') return 'number';
  if (field.options === 'departments') return 'department';
  if (field.options === 'teamMembers') return 'assignee';
  if (field.name === 'status' || field.name === 'source' || field.name === 'priority') return field.name;
  return 'text';
}

function importFieldsFor(entity: ImportEntity): readonly ImportField[] {
  return importFieldsOf<Record<string, unknown>>(catalogueOf[entity]).map((field) => ({
    key: field.name,
    label: field.label,
    kind: kindOf(field),
    aliases: field.importSynonyms,
  }));
}

/** The fields a CSV column can be imported into, in form order (from the field catalogues). */
export const importFields: Record<ImportEntity, readonly ImportField[]> = {
  contacts: importFieldsFor('contacts'),
  leads: importFieldsFor('leads'),
};

export const statusesOf = {
  contacts: contactFieldCatalogue.status.options,
  leads: leadFieldCatalogue.status.options,
} as const satisfies Record<ImportEntity, readonly (ContactStatus | LeadStatus)[]>;

export const enumValuesOf: Partial<Record<FieldKind, readonly string[]>> = {
  source: leadFieldCatalogue.source.options,
  priority: leadFieldCatalogue.priority.options,
};

export function fieldLabel(entity: ImportEntity, key: string): string {
  // emailKey is derived from email: its problems (e.g. a duplicate) belong to the column the user filled.
  return fieldLabelOf<Record<string, unknown>>(catalogueOf[entity], key === 'emailKey' ? 'email' : key);
}
