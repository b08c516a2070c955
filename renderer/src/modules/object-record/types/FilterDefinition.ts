import type { OptionSource } from './FieldDefinition';

/** An equality filter above a record list ('' = any). */
export type FilterDefinition = { field: string; label: string; options: OptionSource; anyLabel: string };
