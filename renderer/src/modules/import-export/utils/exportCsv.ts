import { type Contact, exportFieldsOf, type Lead } from '@shared/schemas';
import type { CrmDatabase } from '@shared/sync';
import Papa from 'papaparse';
import { getChangedDocumentsSince, type RxStorageInstance } from 'rxdb';
import { catalogueOf, type ImportEntity } from './importFields';
import type { ParsedCsv } from './parseCsv';
import { loadLookups } from './runImport';
import type { ImportLookups } from './translation';
import type { RowIssue } from './validateRows';
import { yieldToEventLoop } from './yieldToEventLoop';

const CSV_NEWLINE = '\r\n';

/**
 * CSV of contacts or leads with the catalogue's export headers (the labels the import maps, plus id and
 * timestamps). References are written as names (department, assignee) so the file reads well and imports
 * back. Cells that a spreadsheet would run as a formula are escaped (Papa's `escapeFormulae`).
 */
export function toCsv(
  entity: ImportEntity,
  records: readonly (Contact | Lead)[],
  lookups: ImportLookups,
  { header = true }: { header?: boolean } = {},
): string {
  const fields = exportFieldsOf<Record<string, unknown>>(catalogueOf[entity]);
  const departmentNames = new Map(lookups.departments.map((department) => [department.id, department.name]));
  const memberNames = new Map(lookups.teamMembers.map((member) => [member.id, member.name]));
  const headers = fields.map((field) => field.exportHeader);
  const data = records.map((record) => {
    const values = record as unknown as Record<string, unknown>;
    return fields.map((field) => {
      const value = values[field.name];
      if (field.type === 'datetime') return new Date(value as number).toISOString();
      if (field.options === 'departments') return departmentNames.get(value as string) ?? value;
      if (field.options === 'teamMembers')
        return value === lookups.userId ? 'me' : (memberNames.get(value as string) ?? value);
      return value ?? '';
    });
  });
  return Papa.unparse({ fields: headers, data }, { escapeFormulae: true, newline: CSV_NEWLINE, header });
}

/**
 * The rows that were not imported, as they were in the file, with their row number and problems in
 * words: fix them in a spreadsheet and import that file again.
 */
export function problemRowsCsv(
  csv: ParsedCsv,
  rows: readonly { rowNumber: number; issues: RowIssue[] }[],
): string {
  const data = rows.map((row) => {
    const cells = csv.rows[row.rowNumber - 2] ?? {};
    return [
      row.rowNumber,
      ...csv.headers.map((header) => cells[header] ?? ''),
      row.issues.map((issue) => `${issue.field}: ${issue.message}`).join('; '),
    ];
  });
  return Papa.unparse(
    { fields: ['Row', ...csv.headers, 'Problems'], data },
    { escapeFormulae: true, newline: CSV_NEWLINE },
  );
}

/** Saves text as a file through the browser's download (works in Electron and `npm run web`). */
export function downloadText(text: string, fileName: string): void {
  // The BOM makes spreadsheet apps read the file as UTF-8.
  const url = URL.createObjectURL(new Blob(['\ufeff', text], { type: 'text/csv;charset=utf-8' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/**
 * Downloads records as the export's CSV ("fieldbook-contacts-2026-12-02.csv", or with a `label` such as
 * "selected" before the date): the Export panel and the lists' "Export selected" write the same file.
 */
export async function downloadRecordsCsv(
  db: CrmDatabase,
  entity: ImportEntity,
  records: readonly (Contact | Lead)[],
  label?: string,
): Promise<void> {
  const lookups = await loadLookups(db);
  downloadText(toCsv(entity, records, lookups), exportFileName(entity, label));
}

function exportFileName(entity: ImportEntity, label?: string): string {
  const date = new Date().toISOString().slice(0, 10);
  return `${['fieldbook', entity, label, date].filter(Boolean).join('-')}.csv`;
}

export type ExportProgress = { done: number; total: number };
type ExportOptions = {
  /** Awaited before the next page is read. */
  onProgress?: (progress: ExportProgress) => void | Promise<void>;
  signal?: AbortSignal;
};

/**
 * Records read and written per page: reading and converting 100,000 at once held the window for 1.6 s;
 * a page of 2,000 is one short task, and the window paints the progress between pages.
 */
const EXPORT_PAGE_SIZE = 2_000;

/**
 * The CSV of every live contact or lead, read a page at a time in the order of their last write, with the
 * progress after each page; `signal` stops it between pages. Resolves to the file's text and its record count.
 * The pages come from the storage's change feed (RxDB's `getChangedDocumentsSince`, one key range of the
 * `[_meta.lwt+id]` index per page): a Mango query paged by id has no index to use here (RxDB adds
 * `[_deleted+id]` only to collections without indexes, and its planner then picks an unrelated one), and
 * read every remaining record for each page — 400 s for 100,000 contacts. A record written during the
 * export moves to the end of the feed: it is written once, with the state its first page read.
 */
export async function allRecordsCsv(
  db: CrmDatabase,
  entity: ImportEntity,
  { onProgress, signal, pageSize = EXPORT_PAGE_SIZE }: ExportOptions & { pageSize?: number } = {},
): Promise<{ csv: string; count: number }> {
  const [lookups, total] = await Promise.all([loadLookups(db), db[entity].count().exec()]);
  const storage = db[entity].storageInstance as RxStorageInstance<Contact | Lead, unknown, unknown, unknown>;
  const pages: string[] = [];
  const exported = new Set<string>();
  let checkpoint: unknown;
  for (;;) {
    signal?.throwIfAborted();
    const page = await getChangedDocumentsSince(storage, pageSize, checkpoint);
    if (page.documents.length === 0) break;
    checkpoint = page.checkpoint;
    const records = page.documents.filter((doc) => !doc._deleted && !exported.has(doc.id));
    for (const record of records) exported.add(record.id);
    if (records.length > 0) pages.push(toCsv(entity, records, lookups, { header: pages.length === 0 }));
    // Records synced in during the export may take it past the count read first.
    await onProgress?.({ done: exported.size, total: Math.max(total, exported.size) });
    await yieldToEventLoop();
  }
  return {
    csv: pages.length === 0 ? toCsv(entity, [], lookups) : pages.join(CSV_NEWLINE),
    count: exported.size,
  };
}

/** Downloads every live contact or lead as the export's CSV ("fieldbook-contacts-2026-12-02.csv"). */
export async function downloadAllRecordsCsv(
  db: CrmDatabase,
  entity: ImportEntity,
  options: ExportOptions = {},
): Promise<number> {
  const { csv, count } = await allRecordsCsv(db, entity, options);
  options.signal?.throwIfAborted();
  downloadText(csv, exportFileName(entity));
  return count;
}
