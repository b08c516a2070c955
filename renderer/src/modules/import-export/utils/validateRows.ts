import { collectionDefinitions, emailKeyOf, type FieldIssue } from '@shared/schemas';
import { fieldIssuesOf } from '@shared/sync/errors';
import { v7 as uuidv7 } from 'uuid';
import {
  derivedKeys,
  fieldLabel,
  type ImportEntity,
  type ImportField,
  importFields,
  isTranslatedKind,
  type TranslatedKind,
} from './importFields';
import { type ColumnMapping, comparableText } from './mapping';
import type { CsvRow } from './parseCsv';
import { CONVERTED, type ImportLookups, OPEN, type Translations, UNASSIGNED } from './translation';

/** A row issue in words, with the field's label (or "Row" for problems of the row as a whole). */
export type RowIssue = { field: string; message: string };

export type CheckedRow = {
  /** The row's number as a spreadsheet shows it (header = 1). */
  rowNumber: number;
  /** The complete document to insert, when the row has no issues (its id from the file's id column, if any). */
  document: Record<string, unknown> | null;
  issues: RowIssue[];
  /** Keys of the fields the file gives a value for: an update writes only these. */
  provided: string[];
  /** The id the file gives the record (its id column), to match an existing record by. */
  fileId: string;
  /** A lead the file marks converted ("Closed - Converted"): imported Won, with its contact when asked. */
  converted: boolean;
  /** Dates the file recorded, kept as the new record's own (`null`: not in the file). */
  times: { createdAt: number | null; updatedAt: number | null };
};

export type ValidationOptions = {
  entity: ImportEntity;
  mapping: ColumnMapping;
  /** Status for new records whose status cell is empty or unmapped (the team's choice on the screen). */
  defaultStatus: string;
  /** The value translation step's choices for status, source, priority, department, owner, outcome. */
  translations: Translations;
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

/**
 * Reads a date as CRMs export them: ISO 8601 ("2024-03-05T14:22:00Z", "2024-03-05 14:22"), day-first with
 * dots ("05.03.2024"), slashes ("3/5/2024, 2:22 PM": month first, as Salesforce's and HubSpot's US
 * formats write it, unless the first number cannot be a month), month names ("Mar 5, 2024 02:22 PM", Zoho),
 * or epoch milliseconds. Without a zone the time is local. `null` for empty, `undefined` when unreadable.
 */
export function parseDateCell(cell: string): number | null | undefined {
  const text = cell.trim();
  if (text === '') return null;
  if (/^\d{12,13}$/.test(text)) return Number(text);
  const iso =
    /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3})\d*)?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/.exec(
      text,
    );
  const numeric =
    /^(\d{1,2})([/.])(\d{1,2})\2(\d{4})(?:,?\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([AaPp][Mm])?)?$/.exec(text);
  let time: number;
  if (iso) {
    const [, y, mo, d, h = '0', mi = '0', s = '0', ms = '0', zone] = iso;
    const parts = [
      Number(y),
      Number(mo) - 1,
      Number(d),
      Number(h),
      Number(mi),
      Number(s),
      Number(ms.padEnd(3, '0')),
    ] as const;
    if (zone) {
      const offset =
        zone === 'Z'
          ? 0
          : (zone[0] === '-' ? -1 : 1) * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(-2)));
      time = Date.UTC(...parts) - offset * 60_000;
    } else time = new Date(...parts).getTime();
  } else if (numeric) {
    const [, a, separator, b, y, h = '0', mi = '0', s = '0', meridiem] = numeric;
    const dayFirst = separator === '.' || Number(a) > 12;
    const [day, month] = dayFirst ? [Number(a), Number(b)] : [Number(b), Number(a)];
    let hours = Number(h) % (meridiem ? 12 : 24);
    if (meridiem?.toLowerCase() === 'pm') hours += 12;
    time = new Date(Number(y), month - 1, day, hours, Number(mi), Number(s)).getTime();
    if (new Date(time).getDate() !== day) return undefined;
  } else if (/[a-z]{3}/i.test(text)) {
    time = Date.parse(text);
  } else return undefined;
  return Number.isFinite(time) && time >= 0 ? time : undefined;
}

/** "Jane van Dyke" → ["Jane", "van Dyke"]: the first word is the first name, the rest the last name. */
export function splitFullName(cell: string): [string, string] {
  const [first = '', ...rest] = cell.trim().split(/\s+/);
  return [first, rest.join(' ')];
}

/**
 * A person cell that names an associated record, as CRM exports write it: "Jane Doe (jane@example.com)"
 * (HubSpot deals' Associated Contact, as parsed by importers of real HubSpot exports) or "Jane Doe (4421)"
 * (the record's id). The email is kept; an id in brackets is not part of the name.
 */
export function personOfCell(cell: string): { name: string; email: string } {
  const match = /^(.*?)\s*\(\s*([^()]*?)\s*\)$/.exec(cell.trim());
  if (match?.[1] && /^[^\s@]+@[^\s@]+$/.test(match[2]!)) return { name: match[1], email: match[2]! };
  if (match?.[1] && /^\d+$/.test(match[2]!)) return { name: match[1], email: '' };
  return { name: cell.trim(), email: '' };
}

type Converted = { value: unknown } | { issue: string };

function convertCell(field: ImportField, cell: string, options: ValidationOptions): Converted {
  const kind = field.kind;
  if (isTranslatedKind(kind)) {
    if (cell === '') return { value: emptyValueOf[kind] };
    const target = options.translations[field.key]?.[comparableText(cell)];
    if (target === undefined) return { issue: `“${cell}” has no ${field.label.toLowerCase()} chosen for it` };
    if (kind === 'assignee') return { value: target === UNASSIGNED ? '' : target };
    return { value: target };
  }
  switch (kind) {
    case 'text':
    case 'fullName':
    case 'recordId':
      return { value: cell };
    case 'number': {
      const value = parseAmount(cell);
      return value === undefined ? { issue: `"${cell}" is not a number` } : { value };
    }
    case 'date': {
      const value = parseDateCell(cell);
      return value === undefined ? { issue: `"${cell}" is not a date` } : { value };
    }
  }
}

/** What an empty cell of a translated column means. */
const emptyValueOf: Record<TranslatedKind, unknown> = {
  status: null,
  outcome: OPEN,
  source: null,
  priority: 'Medium',
  department: '',
  assignee: '',
};

function labelled(entity: ImportEntity, issues: readonly FieldIssue[]): RowIssue[] {
  return issues.map((issue) => ({ field: fieldLabel(entity, issue.field), message: issue.message }));
}

/** Column header of each mapped field. */
function columnsOf(mapping: ColumnMapping): Map<string, string> {
  const columns = new Map<string, string>();
  for (const [header, key] of Object.entries(mapping)) if (key && !columns.has(key)) columns.set(key, header);
  return columns;
}

/**
 * Turns one CSV row into a complete document and validates it with the collection's zod schema (the
 * same schema the database layer enforces), so the dry run reports what the import would refuse.
 * Values of translated columns go through the translation step's choices; the id, full name, dates and
 * outcome columns decide the id, the names, the kept times and the status.
 */
export function checkRow(row: CsvRow, rowNumber: number, options: ValidationOptions): CheckedRow {
  const { entity } = options;
  const columns = columnsOf(options.mapping);
  const values: Record<string, unknown> = {};
  const provided: string[] = [];
  const issues: RowIssue[] = [];
  for (const field of importFields[entity]) {
    const column = columns.get(field.key);
    if (column === undefined) continue;
    const cell = unescapeFormula((row[column] ?? '').trim());
    const converted = convertCell(field, cell, options);
    if ('issue' in converted) issues.push({ field: field.label, message: converted.issue });
    else values[field.key] = converted.value;
    if (cell !== '') provided.push(field.key);
  }
  if (issues.length > 0) return refused(rowNumber, issues);

  const data: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(values))
    if (!(derivedKeys as readonly string[]).includes(key)) data[key] = value;
  if (!provided.includes('firstName') && provided.includes('fullName')) {
    const person = personOfCell(values.fullName as string);
    [data.firstName, data.lastName] = splitFullName(person.name);
    provided.push('firstName', 'lastName');
    if (person.email && !provided.includes('email')) {
      data.email = person.email;
      provided.push('email');
    }
  }
  let converted = false;
  if (data.status === CONVERTED) [data.status, converted] = ['Won', true];
  const outcome = values.outcome as string | undefined;
  if (outcome !== undefined && outcome !== OPEN) {
    data.status = outcome === CONVERTED ? 'Won' : outcome;
    converted = outcome === CONVERTED;
    provided.push('status');
  }
  if (data.status === null || data.status === undefined) data.status = options.defaultStatus;

  const definition = collectionDefinitions[entity];
  const fileId = (values.id as string | undefined) ?? '';
  const candidate = {
    ...definition.defaults,
    ...data,
    id: fileId || (options.newId ?? uuidv7)(),
    emailKey: emailKeyOf(data.email as string | undefined),
    // Managed fields: the database layer sets the real values on insert.
    createdAt: 0,
    updatedAt: 0,
    updatedBy: options.lookups.userId,
    serverRev: 0,
  };
  const parsed = definition.schema.safeParse(candidate);
  if (!parsed.success) return refused(rowNumber, labelled(entity, fieldIssuesOf(parsed.error)));
  const {
    createdAt: _createdAt,
    updatedAt: _updatedAt,
    updatedBy: _updatedBy,
    serverRev: _serverRev,
    ...document
  } = parsed.data as Record<string, unknown>;
  return {
    rowNumber,
    document,
    issues: [],
    provided: provided.filter((key) => !(derivedKeys as readonly string[]).includes(key)),
    fileId,
    converted: converted && entity === 'leads',
    times: {
      createdAt: (values.createdAt as number | null | undefined) ?? null,
      updatedAt: (values.updatedAt as number | null | undefined) ?? null,
    },
  };
}

function refused(rowNumber: number, issues: RowIssue[]): CheckedRow {
  return {
    rowNumber,
    document: null,
    issues,
    provided: [],
    fileId: '',
    converted: false,
    times: { createdAt: null, updatedAt: null },
  };
}
