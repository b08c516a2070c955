import { errorMessage } from '@renderer/modules/ui/utils/errorMessage';
import type { ContactStatus, LeadStatus } from '@shared/schemas';
import { type CrmDatabase, isCrmValidationError } from '@shared/sync';
import { fieldLabel, type ImportEntity } from './importFields';
import type { ColumnMapping } from './mapping';
import type { ParsedCsv } from './parseCsv';
import {
  type CheckedRow,
  checkRow,
  flagDuplicateEmails,
  type ImportLookups,
  type RowIssue,
} from './validateRows';
import { yieldToEventLoop } from './yieldToEventLoop';

export type Progress = { done: number; total: number };

/** Rows per slice of work between yields: small enough that one slice stays a short task on a slow laptop. */
const CHECK_CHUNK = 250;
const IMPORT_CHUNK = 100;
const EMAIL_QUERY_CHUNK = 500;

/** Emails (normalized) that live records of the collection already use, among `keys`. */
export async function existingEmailKeys(
  db: CrmDatabase,
  entity: ImportEntity,
  keys: readonly string[],
): Promise<Set<string>> {
  const unique = [...new Set(keys.filter((key) => key !== ''))];
  const found = new Set<string>();
  for (let start = 0; start < unique.length; start += EMAIL_QUERY_CHUNK) {
    const chunk = unique.slice(start, start + EMAIL_QUERY_CHUNK);
    const docs = await db[entity].find({ selector: { emailKey: { $in: chunk } } }).exec();
    for (const doc of docs) found.add(doc.emailKey);
  }
  return found;
}

export async function loadLookups(db: CrmDatabase): Promise<ImportLookups> {
  const [departments, teamMembers] = await Promise.all([
    db.departments.find().exec(),
    db.teamMembers.find().exec(),
  ]);
  return {
    departments: departments.map((doc) => ({ id: doc.id, name: doc.name })),
    teamMembers: teamMembers.map((doc) => ({ id: doc.id, name: doc.name, email: doc.email })),
    userId: db.crm.userId,
  };
}

/**
 * The dry run: every row converted and validated (in chunks, so 10,000 rows never freeze the window),
 * structural CSV problems attached to their rows, and duplicate emails within the file and against the
 * database flagged.
 */
export async function checkRows(
  db: CrmDatabase,
  csv: ParsedCsv,
  settings: { entity: ImportEntity; mapping: ColumnMapping; defaultStatus: ContactStatus | LeadStatus },
  onProgress: (progress: Progress) => void,
): Promise<CheckedRow[]> {
  const lookups = await loadLookups(db);
  const checked: CheckedRow[] = [];
  for (let start = 0; start < csv.rows.length; start += CHECK_CHUNK) {
    const end = Math.min(start + CHECK_CHUNK, csv.rows.length);
    for (let index = start; index < end; index += 1) {
      const row = checkRow(csv.rows[index]!, index + 2, { ...settings, lookups });
      const structural = csv.rowErrors.get(index);
      if (structural) {
        row.issues.unshift({ field: 'Row', message: structural });
        row.document = null;
      }
      checked.push(row);
    }
    onProgress({ done: end, total: csv.rows.length });
    await yieldToEventLoop();
  }
  const emailKeys = checked.flatMap((row) => (row.document ? [row.document.emailKey as string] : []));
  flagDuplicateEmails(checked, await existingEmailKeys(db, settings.entity, emailKeys), settings.entity);
  return checked;
}

export type FailedRow = { rowNumber: number; issues: RowIssue[] };
export type ImportResult = { imported: number; failed: FailedRow[]; cancelled: boolean };

function issuesOf(entity: ImportEntity, error: unknown): RowIssue[] {
  if (isCrmValidationError(error)) {
    return error.issues.map((issue) => ({ field: fieldLabel(entity, issue.field), message: issue.message }));
  }
  return [{ field: 'Row', message: errorMessage(error) }];
}

/**
 * Inserts the valid rows through the database layer (hooks validate, the link rules run: a contact in
 * status Lead gets its lead), in chunks with a pause for the event loop between them. A chunk goes in
 * with one bulk insert; when the database refuses it (one bad row fails the whole bulk before anything
 * is written), its rows are inserted one by one so each failure is reported with its own reason.
 */
export async function importRows(
  db: CrmDatabase,
  entity: ImportEntity,
  rows: readonly CheckedRow[],
  onProgress: (progress: Progress) => void,
  signal?: AbortSignal,
): Promise<ImportResult> {
  const collection = db[entity];
  const valid = rows.filter((row) => row.document !== null);
  const failed: FailedRow[] = [];
  let imported = 0;
  for (let start = 0; start < valid.length; start += IMPORT_CHUNK) {
    if (signal?.aborted) return { imported, failed, cancelled: true };
    const chunk = valid.slice(start, start + IMPORT_CHUNK);
    const documents = chunk.map((row) => structuredClone(row.document!));
    try {
      const result = await collection.bulkInsert(documents as never[]);
      imported += result.success.length;
      for (const error of result.error) {
        const row = chunk.find((candidate) => candidate.document!.id === error.documentId);
        failed.push({
          rowNumber: row?.rowNumber ?? 0,
          issues: [
            {
              field: 'Row',
              message:
                error.status === 409
                  ? 'A record with this id already exists'
                  : `Write failed (status ${error.status})`,
            },
          ],
        });
      }
    } catch {
      // Rows the failed bulk did write (e.g. when a later hook threw) must not be inserted twice.
      const written = await collection.findByIds(chunk.map((row) => row.document!.id as string)).exec();
      for (const row of chunk) {
        if (written.has(row.document!.id as string)) {
          imported += 1;
          continue;
        }
        try {
          await collection.insert(structuredClone(row.document!) as never);
          imported += 1;
        } catch (error) {
          failed.push({ rowNumber: row.rowNumber, issues: issuesOf(entity, error) });
        }
      }
    }
    onProgress({ done: Math.min(start + IMPORT_CHUNK, valid.length), total: valid.length });
    await yieldToEventLoop();
  }
  return { imported, failed, cancelled: false };
}
