import { errorMessage } from '@renderer/modules/ui/utils/errorMessage';
import type { Contact } from '@shared/schemas';
import {
  bulkInsertKeepingTimes,
  type CrmDatabase,
  isCrmValidationError,
  linkLeadToContact,
  mappedFields,
  type TimelineEntry,
  whenRulesSettled,
  writingTimelineEntries,
} from '@shared/sync';
import { v7 as uuidv7 } from 'uuid';
import { fieldLabel, type ImportEntity } from './importFields';
import type { ColumnMapping } from './mapping';
import { type ExistingRecordMode, type ImportPlan, planImport, type RowPlan } from './matchExisting';
import type { ParsedCsv } from './parseCsv';
import { type ImportLookups, newDepartmentName, type Translations } from './translation';
import { type CheckedRow, checkRow, type RowIssue } from './validateRows';
import { forEachInSlices, yieldToEventLoop } from './yieldToEventLoop';

export type Progress = { done: number; total: number };

/**
 * Rows written per database transaction (with their link-rule writes and timeline entries). Writing a
 * chunk is one main-thread task; measured on 20,000 rows (bench --only=import --quick, load 12): 100 rows
 * spent 8 s in long tasks (longest 349 ms) at 188 rows/s, 250 rows 22 s (486 ms) at 203 rows/s.
 */
export const IMPORT_CHUNK = 100;

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

export type CheckSettings = {
  entity: ImportEntity;
  mapping: ColumnMapping;
  translations: Translations;
  /** Status of new records without one (the team's choice on the screen). */
  defaultStatus: string;
  existing: ExistingRecordMode;
};

/**
 * The dry run: every row converted and validated (in time slices, so 100,000 rows never freeze the window),
 * structural CSV problems attached to their rows, then each row matched against the records the team
 * has (id or email) and planned: created, updated, unchanged, skipped or refused.
 */
export async function checkRows(
  db: CrmDatabase,
  csv: ParsedCsv,
  settings: CheckSettings,
  onProgress: (progress: Progress) => void,
  signal?: AbortSignal,
): Promise<ImportPlan> {
  const lookups = await loadLookups(db);
  const checked: CheckedRow[] = [];
  const options = { ...settings, lookups };
  await forEachInSlices(
    csv.rows,
    (cells, index) => {
      const row = checkRow(cells, index + 2, options);
      const structural = csv.rowErrors.get(index);
      if (structural) {
        row.issues.unshift({ field: 'Row', message: structural });
        row.document = null;
      }
      checked.push(row);
    },
    { afterSlice: (done) => onProgress({ done, total: csv.rows.length }), signal },
  );
  return planImport(db, settings.entity, checked, settings.existing, signal);
}

export type FailedRow = { rowNumber: number; issues: RowIssue[] };
export type ImportResult = {
  created: number;
  updated: number;
  /** Contacts created (and linked) for leads the file marks converted. */
  convertedContacts: number;
  failed: FailedRow[];
  cancelled: boolean;
};

export type ImportOptions = {
  entity: ImportEntity;
  /** Shown in each record's timeline: "Imported from salesforce-leads.csv". */
  fileName: string;
  /** For a converted lead, also create its contact (Active) and link the pair, as Salesforce's conversion does. */
  createConvertedContacts: boolean;
};

function writeConflictIssue(status: number): RowIssue {
  return {
    field: 'Row',
    message:
      status === 409
        ? 'A record with this id was created meanwhile; check the file again to update it instead'
        : `The database refused the row (status ${status}); import the file again`,
  };
}

function issuesOf(entity: ImportEntity, error: unknown): RowIssue[] {
  if (isCrmValidationError(error)) {
    return error.issues.map((issue) => ({ field: fieldLabel(entity, issue.field), message: issue.message }));
  }
  return [{ field: 'Row', message: errorMessage(error) }];
}

/**
 * Creates the departments the translation step chose to create (`newDepartmentTarget`; an existing one of the
 * same name is reused) and returns each choice's department id.
 */
export async function createChosenDepartments(
  db: CrmDatabase,
  plans: readonly RowPlan[],
): Promise<Map<string, string>> {
  const wanted = new Set<string>();
  for (const plan of plans) {
    const departmentId = plan.row.document?.departmentId;
    if (typeof departmentId === 'string' && newDepartmentName(departmentId) !== null)
      wanted.add(departmentId);
  }
  const ids = new Map<string, string>();
  if (wanted.size === 0) return ids;
  const existing = await db.departments.find().exec();
  for (const target of wanted) {
    const name = newDepartmentName(target)!;
    const same = existing.find(
      (department) => department.name.trim().toLowerCase() === name.trim().toLowerCase(),
    );
    ids.set(target, same?.id ?? (await db.departments.insert({ id: uuidv7(), name } as never)).id);
  }
  return ids;
}

function withDepartment(values: Record<string, unknown>, departments: ReadonlyMap<string, string>) {
  const departmentId = values.departmentId;
  return typeof departmentId === 'string' && departments.has(departmentId)
    ? { ...values, departmentId: departments.get(departmentId) }
    : values;
}

/**
 * The "Imported from …" / "Updated from …: Job title" entry of each record of a chunk: the entry of the
 * record's own write (`writingTimelineEntries`), so an imported record has one entry, not "created"
 * beside it.
 */
function importEntries(chunk: readonly RowPlan[], { entity, fileName }: ImportWrite) {
  const entry = (summary: string, fields: string[]): TimelineEntry => ({
    kind: 'imported',
    summary: summary.slice(0, 1000),
    fields: fields.slice(0, 50),
  });
  return new Map(
    chunk.flatMap((row): [string, TimelineEntry][] => {
      if (row.kind === 'create')
        return [[row.row.document!.id as string, entry(`Imported from ${fileName}`, row.row.provided)]];
      if (row.kind !== 'update') return [];
      const fields = Object.keys(row.patch);
      const labels = fields.map((key) => fieldLabel(entity, key)).join(', ');
      return [[row.id, entry(`Updated from ${fileName}: ${labels}`, fields)]];
    }),
  );
}

/**
 * Creates a converted lead's contact (Active, with the lead's person fields) and links the pair: the
 * link rule (R11) marks both sides converted. An existing contact with the lead's email that has no lead
 * yet is linked instead of creating a second one.
 */
async function createConvertedContact(db: CrmDatabase, lead: Record<string, unknown>): Promise<void> {
  const emailKey = lead.emailKey as string;
  const existing = emailKey ? await db.contacts.findOne({ selector: { emailKey, leadId: '' } }).exec() : null;
  const contactId =
    existing?.id ??
    (
      await db.contacts.insert({
        ...Object.fromEntries(mappedFields.map((field) => [field, lead[field]])),
        id: uuidv7(),
        status: 'Active',
      } as Partial<Contact> as never)
    ).id;
  await linkLeadToContact(db, lead.id as string, contactId);
}

/** What writing the chunks of an import needs besides their rows. */
export type ImportWrite = ImportOptions & {
  /** The departments `createChosenDepartments` made: translation target → department id. */
  departments: ReadonlyMap<string, string>;
};

/** The rows of a plan that write something: created and updated records. */
export function rowsToWrite(plan: ImportPlan): RowPlan[] {
  return plan.rows.filter((row) => row.kind === 'create' || row.kind === 'update');
}

export function emptyImportResult(): ImportResult {
  return { created: 0, updated: 0, convertedContacts: 0, failed: [], cancelled: false };
}

/**
 * Writes one chunk of planned rows through the database layer (hooks validate, the link rules run: a
 * contact in status Lead gets its lead) and adds what happened to `result`. New records keep the dates the
 * file recorded; updates write only the planned fields. The new records go in with one bulk insert; when
 * the database refuses it, they are inserted one by one so each failure is reported with its own reason.
 */
export async function writeImportChunk(
  db: CrmDatabase,
  chunk: readonly RowPlan[],
  write: ImportWrite,
  result: ImportResult,
): Promise<void> {
  const createdLeads = await writingTimelineEntries(db, importEntries(chunk, write), () =>
    writeRecords(db, chunk, write, result),
  );
  if (write.createConvertedContacts) await createConvertedContacts(db, chunk, createdLeads, result);
}

/** The chunk's new records and updates; returns the new leads the file marks converted. */
async function writeRecords(
  db: CrmDatabase,
  chunk: readonly RowPlan[],
  { entity, departments }: ImportWrite,
  result: ImportResult,
): Promise<Record<string, unknown>[]> {
  const collection = db[entity];
  const createdLeads: Record<string, unknown>[] = [];

  const creates = chunk.flatMap((row) => (row.kind === 'create' ? [row] : []));
  const documents = creates.map((row): Record<string, unknown> => {
    const { createdAt, updatedAt } = row.row.times;
    return {
      ...withDepartment(structuredClone(row.row.document!), departments),
      ...(createdAt !== null ? { createdAt } : {}),
      ...(updatedAt !== null || createdAt !== null ? { updatedAt: updatedAt ?? createdAt } : {}),
    };
  });
  const written = new Set<string>();
  const refuse = (row: RowPlan, issues: RowIssue[]) =>
    result.failed.push({ rowNumber: row.row.rowNumber, issues });
  try {
    const response = await bulkInsertKeepingTimes(db, entity, documents as never[]);
    for (const doc of response.success) written.add(doc.id);
    for (const error of response.error) {
      const row = creates.find((candidate) => candidate.row.document!.id === error.documentId);
      if (row) refuse(row, [writeConflictIssue(error.status)]);
    }
  } catch {
    // One bad row fails the whole bulk: insert one by one, so each failure gets its own reason. Rows
    // the failed bulk did write (e.g. when a later hook threw) must not be inserted twice.
    const already = await collection.findByIds(documents.map((document) => document.id as string)).exec();
    for (const [index, document] of documents.entries()) {
      const id = document.id as string;
      if (already.has(id)) {
        written.add(id);
        continue;
      }
      try {
        const response = await bulkInsertKeepingTimes(db, entity, [structuredClone(document)] as never[]);
        if (response.error[0]) refuse(creates[index]!, [writeConflictIssue(response.error[0].status)]);
        else written.add(id);
      } catch (error) {
        refuse(creates[index]!, issuesOf(entity, error));
      }
    }
  }
  for (const row of creates) {
    const document = row.row.document!;
    if (!written.has(document.id as string)) continue;
    result.created += 1;
    if (row.row.converted) createdLeads.push(withDepartment(document, departments));
  }

  // Updates: the chunk's records in one read, then written concurrently through the collection (each
  // with its hooks: validation, email check, link rules, audit), as the lists' bulk edits do.
  const updates = chunk.flatMap((row) => (row.kind === 'update' ? [row] : []));
  const current =
    updates.length > 0 ? await collection.findByIds(updates.map((row) => row.id)).exec() : new Map();
  await Promise.all(
    updates.map(async (row) => {
      try {
        const doc = current.get(row.id);
        if (!doc) throw new Error('The record was deleted since the check');
        await doc.incrementalPatch(withDepartment(row.patch, departments) as never);
        result.updated += 1;
      } catch (error) {
        result.failed.push({ rowNumber: row.row.rowNumber, issues: issuesOf(entity, error) });
      }
    }),
  );
  return createdLeads;
}

/** A contact for each new lead the file marks converted, linked to it (after the chunk's own writes). */
async function createConvertedContacts(
  db: CrmDatabase,
  chunk: readonly RowPlan[],
  createdLeads: readonly Record<string, unknown>[],
  result: ImportResult,
): Promise<void> {
  for (const lead of createdLeads) {
    try {
      await createConvertedContact(db, lead);
      result.convertedContacts += 1;
    } catch (error) {
      const row = chunk.find((candidate) => candidate.row.document?.id === lead.id);
      result.failed.push({
        rowNumber: row?.row.rowNumber ?? 0,
        issues: [
          {
            field: 'Contact',
            message: `The lead was imported, but its contact could not be created: ${issuesOf(
              'contacts',
              error,
            )
              .map((issue) => `${issue.field}: ${issue.message}`)
              .join('; ')}`,
          },
        ],
      });
    }
  }
}

/**
 * Carries out a checked plan through the database layer on this thread, in chunks with a pause for the
 * event loop between them and a cancel check before each chunk. The import screen writes from a worker
 * instead (`importRowsInWorker`), with the same chunks.
 */
export async function importRows(
  db: CrmDatabase,
  plan: ImportPlan,
  options: ImportOptions,
  onProgress: (progress: Progress) => void,
  signal?: AbortSignal,
): Promise<ImportResult> {
  const work = rowsToWrite(plan);
  const result = emptyImportResult();
  const write = { ...options, departments: await createChosenDepartments(db, work) };
  for (let start = 0; start < work.length; start += IMPORT_CHUNK) {
    if (signal?.aborted) {
      await whenRulesSettled(db);
      return { ...result, cancelled: true };
    }
    await writeImportChunk(db, work.slice(start, start + IMPORT_CHUNK), write, result);
    onProgress({ done: Math.min(start + IMPORT_CHUNK, work.length), total: work.length });
    await yieldToEventLoop();
  }
  // The timeline entries are queued with the rules' audit entries: stored once this resolves.
  await whenRulesSettled(db);
  result.failed.sort((a, b) => a.rowNumber - b.rowNumber);
  return result;
}
