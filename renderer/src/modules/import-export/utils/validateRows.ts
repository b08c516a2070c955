import { collectionDefinitions, emailKeyOf, type FieldIssue } from '@shared/schemas';
import { fieldIssuesOf } from '@shared/sync/errors';
import { v7 as uuidv7 } from 'uuid';
import {
  enumValuesOf,
  type FieldKind,
  fieldLabel,
  type ImportEntity,
  importFields,
  statusesOf,
} from './importFields';
import type { ColumnMapping } from './mapping';

export type CsvRow = Record<string, string | undefined>;

/** A row issue in words, with the field's label (or "Row" for problems of the row as a whole). */
export type RowIssue = { field: string; message: string };

export type CheckedRow = {
  /** The row's number as a spreadsheet shows it (header = 1). */
  rowNumber: number;
  /** The document to insert, when the row has no issues. */
  document: Record<string, unknown> | null;
  issues: RowIssue[];
};

/** Names and ids the import resolves cells against. */
export type ImportLookups = {
  departments: readonly { id: string; name: string }[];
  teamMembers: readonly { id: string; name: string; email: string }[];
  /** The current user: "me" in an "Assigned to" column means them. */
  userId: string;
};

export type ValidationOptions = {
  entity: ImportEntity;
  mapping: ColumnMapping;
  /** Status for rows whose status cell is empty or unmapped. */
  defaultStatus: string;
  lookups: ImportLookups;
  /** Injected for tests; new ids are UUID v7 (time-ordered, like the rest of the app). */
  newId?: () => string;
};

/** `escapeFormulae` on export prefixes risky cells with `'`; undo it so a round trip keeps "+49 …". */
export function unescapeFormula(cell: string): string {
  return /^'[=+\-@\t\r]/.test(cell) ? cell.slice(1) : cell;
}

/**
 * Reads a deal value the way people type it: "1200", "1,200.50", "1.200,50", "€ 1 200", "$300".
 * Returns `null` for an empty cell and `undefined` when it is not a number.
 */
export function parseAmount(cell: string): number | null | undefined {
  const compact = cell.replace(/[\s\u00a0\u202f']/g, '');
  if (compact === '') return null;
  const cleaned = compact.replace(/^[^\d\-.,]+|[^\d.,]+$/g, '');
  let normalized: string;
  if (/^-?\d{1,3}(,\d{3})+(\.\d+)?$/.test(cleaned)) normalized = cleaned.replace(/,/g, '');
  else if (/^-?\d{1,3}(\.\d{3})+(,\d+)?$/.test(cleaned))
    normalized = cleaned.replace(/\./g, '').replace(',', '.');
  else if (/^-?\d+,\d{1,2}$/.test(cleaned)) normalized = cleaned.replace(',', '.');
  else if (/^-?\d*\.?\d+$/.test(cleaned)) normalized = cleaned;
  else return undefined;
  const value = Number(normalized);
  return Number.isFinite(value) ? value : undefined;
}

function matchEnum(cell: string, allowed: readonly string[]): string | undefined {
  const wanted = cell.toLowerCase();
  return allowed.find((value) => value.toLowerCase() === wanted);
}

type Converted = { value: unknown } | { issue: string };

function convertCell(kind: FieldKind, cell: string, options: ValidationOptions): Converted {
  switch (kind) {
    case 'text':
      return { value: cell };
    case 'status': {
      const allowed = statusesOf[options.entity];
      const status = matchEnum(cell === '' ? options.defaultStatus : cell, allowed);
      return status
        ? { value: status }
        : { issue: `Unknown status "${cell}" (expected ${allowed.join(', ')})` };
    }
    case 'source':
    case 'priority': {
      const allowed = enumValuesOf[kind]!;
      if (cell === '') return { value: kind === 'source' ? null : 'Medium' };
      const value = matchEnum(cell, allowed);
      return value ? { value } : { issue: `Unknown ${kind} "${cell}" (expected ${allowed.join(', ')})` };
    }
    case 'number': {
      const value = parseAmount(cell);
      return value === undefined ? { issue: `"${cell}" is not a number` } : { value };
    }
    case 'department': {
      if (cell === '') return { value: '' };
      const wanted = cell.toLowerCase();
      const department = options.lookups.departments.find(
        (candidate) => candidate.id === cell || candidate.name.trim().toLowerCase() === wanted,
      );
      return department ? { value: department.id } : { issue: `No department named "${cell}"` };
    }
    case 'assignee': {
      if (cell === '') return { value: '' };
      const wanted = cell.toLowerCase();
      if (wanted === 'me' || cell === options.lookups.userId) return { value: options.lookups.userId };
      const member = options.lookups.teamMembers.find(
        (candidate) =>
          candidate.id === cell ||
          candidate.name.trim().toLowerCase() === wanted ||
          (candidate.email !== '' && candidate.email.trim().toLowerCase() === wanted),
      );
      return member ? { value: member.id } : { issue: `No team member "${cell}"` };
    }
  }
}

function labelled(entity: ImportEntity, issues: readonly FieldIssue[]): RowIssue[] {
  return issues.map((issue) => ({ field: fieldLabel(entity, issue.field), message: issue.message }));
}

/**
 * Turns one CSV row into a complete document and validates it with the collection's zod schema (the
 * same schema the database layer enforces), so the dry run reports what the import would refuse.
 */
export function checkRow(row: CsvRow, rowNumber: number, options: ValidationOptions): CheckedRow {
  const { entity, mapping } = options;
  const data: Record<string, unknown> = {};
  const issues: RowIssue[] = [];
  for (const field of importFields[entity]) {
    const column = Object.keys(mapping).find((header) => mapping[header] === field.key);
    const cell = column === undefined ? '' : unescapeFormula((row[column] ?? '').trim());
    if (column === undefined && field.kind !== 'status') continue;
    const converted = convertCell(field.kind, cell, options);
    if ('issue' in converted) issues.push({ field: field.label, message: converted.issue });
    else data[field.key] = converted.value;
  }
  if (issues.length > 0) return { rowNumber, document: null, issues };

  const definition = collectionDefinitions[entity];
  const candidate = {
    ...definition.defaults,
    ...data,
    id: (options.newId ?? uuidv7)(),
    emailKey: emailKeyOf(data.email as string | undefined),
    // Managed fields: the database layer sets the real values on insert.
    createdAt: 0,
    updatedAt: 0,
    updatedBy: options.lookups.userId,
    serverRev: 0,
  };
  const parsed = definition.schema.safeParse(candidate);
  if (!parsed.success)
    return { rowNumber, document: null, issues: labelled(entity, fieldIssuesOf(parsed.error)) };
  const {
    createdAt: _createdAt,
    updatedAt: _updatedAt,
    updatedBy: _updatedBy,
    serverRev: _serverRev,
    ...document
  } = parsed.data as Record<string, unknown>;
  return { rowNumber, document, issues: [] };
}

/**
 * Flags rows whose email another row of the file already uses (case-insensitive, trimmed; the first
 * row keeps it) or that a live record in the database already has (`existingEmailKeys`).
 */
export function flagDuplicateEmails(
  rows: CheckedRow[],
  existingEmailKeys: ReadonlySet<string>,
  entity: ImportEntity,
) {
  const firstRowByEmail = new Map<string, number>();
  const noun = entity === 'contacts' ? 'contact' : 'lead';
  for (const row of rows) {
    if (!row.document) continue;
    const key = row.document.emailKey as string;
    if (key === '') continue;
    const first = firstRowByEmail.get(key);
    if (first !== undefined) {
      row.issues.push({ field: 'Email', message: `Same email as row ${first} of this file` });
    } else if (existingEmailKeys.has(key)) {
      row.issues.push({ field: 'Email', message: `A ${noun} with this email already exists` });
    } else {
      firstRowByEmail.set(key, row.rowNumber);
      continue;
    }
    row.document = null;
  }
}
