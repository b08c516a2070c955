/** Where a select's options come from: a fixed list, or records the user manages elsewhere. */
export type OptionSource = readonly string[] | 'departments' | 'teamMembers';

/** One editable field of a record form; contact and lead forms are both described this way. */
export type FieldDefinition = {
  name: string;
  label: string;
  kind: 'text' | 'email' | 'tel' | 'number' | 'select' | 'multiline';
  options?: OptionSource;
  /** For selects that may stay empty: the label of the empty choice ('' is stored, or null when `nullable`). */
  emptyOption?: string;
  /** Store `null` instead of '' when empty (source, value). */
  nullable?: boolean;
  required?: boolean;
  autoFocus?: boolean;
};

export type FormValues = Record<string, string>;
