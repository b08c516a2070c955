import type { CatalogueField } from '@shared/schemas';

export type { OptionSource } from '@shared/schemas';

/** One field of a record form or record page: an entry of the entity's field catalogue (shared/schemas). */
export type FieldDefinition = CatalogueField;

export type FormValues = Record<string, string>;
