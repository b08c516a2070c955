import { type Contact, exportFieldsOf, type Lead } from '@shared/schemas';
import type { CrmDatabase } from '@shared/sync';
import Papa from 'papaparse';
import { catalogueOf, type ImportEntity } from './importFields';
import type { ParsedCsv } from './parseCsv';
import { loadLookups } from './runImport';
import type { ImportLookups } from './translation';
import type { RowIssue } from './validateRows';

/**
 * CSV of contacts or leads with the catalogue's export headers (the labels the import maps, plus id and
 * timestamps). References are written as names (department, assignee) so the file reads well and imports
 * back. Cells that a spreadsheet would run as a formula are escaped (Papa's `escapeFormulae`).
 */
export function toCsv(
  entity: ImportEntity,
  records: readonly (Contact | Lead)[],
  lookups: ImportLookups,
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
  return Papa.unparse({ fields: headers, data }, { escapeFormulae: true, newline: '\r\n' });
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
    { escapeFormulae: true, newline: '\r\n' },
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
  const date = new Date().toISOString().slice(0, 10);
  const name = ['fieldbook', entity, label, date].filter(Boolean).join('-');
  downloadText(toCsv(entity, records, lookups), `${name}.csv`);
}
