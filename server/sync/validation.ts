import {
  type ClientWritableCollection,
  clientWritableCollections,
  collectionDefinitions,
  type FieldIssue,
  pushRowSchema,
  type RejectedDocument,
} from '@shared/schemas';
import { z } from 'zod';

/** Each writable collection's zod schema plus RxDB's deletion flag: what a pushed document must satisfy. */
const withDeletedFlag = (schema: z.ZodObject) => schema.extend({ _deleted: z.boolean() });
const pushedDocumentSchemas: Record<ClientWritableCollection, z.ZodObject> = {
  contacts: withDeletedFlag(collectionDefinitions.contacts.schema),
  leads: withDeletedFlag(collectionDefinitions.leads.schema),
  departments: withDeletedFlag(collectionDefinitions.departments.schema),
  activities: withDeletedFlag(collectionDefinitions.activities.schema),
  teamSettings: withDeletedFlag(collectionDefinitions.teamSettings.schema),
};

export function isClientWritable(collection: string): collection is ClientWritableCollection {
  return (clientWritableCollections as readonly string[]).includes(collection);
}

/** Longest piece of client input the server repeats in an answer or a log line. */
export const MAX_ECHOED_CHARACTERS = 200;

/**
 * `value` shortened to MAX_ECHOED_CHARACTERS (or `max`), saying how long it was: a 5 MB id must not come
 * back as a 5 MB answer or log line. Valid ids (at most ID_MAX characters) are echoed unchanged.
 */
export function clipped(value: string, max = MAX_ECHOED_CHARACTERS): string {
  return value.length <= max ? value : `${value.slice(0, max)}… (${value.length} characters)`;
}

export function issuesOf(error: z.ZodError): FieldIssue[] {
  return error.issues.map((issue) => ({
    field: clipped(issue.path.map(String).join('.')),
    message: clipped(issue.message, 2 * MAX_ECHOED_CHARACTERS),
  }));
}

/** The id a rejection names: the pushed id (clipped), so the client can tell which of its documents it was. */
function rejectedIdOf(document: unknown): string {
  const id = (document as { id?: unknown } | null)?.id;
  return clipped(typeof id === 'string' ? id : JSON.stringify(id ?? null));
}

function rejection(id: string, summary: string, issues: FieldIssue[]): RejectedDocument {
  const details = issues.map((issue) => `${issue.field || '(document)'}: ${issue.message}`).join('; ');
  return { id, reason: clipped(`${summary}: ${details}`, 5 * MAX_ECHOED_CHARACTERS), issues };
}

/** A row the database refused although it passed validation (see repository.ts pushDocuments). */
export function databaseRejection(id: string, code: string, error: unknown): RejectedDocument {
  const message = clipped(error instanceof Error ? error.message : String(error));
  return rejection(clipped(id), 'The server could not store this document', [
    {
      field: '(document)',
      message: `The database refused a value (${code}: ${message}); correct it and save again`,
    },
  ]);
}

export type ValidatedDocument = { id: string; deleted: boolean; data: Record<string, unknown> };

/**
 * Parses a pushed document. On success returns the normalized document (zod output: trimmed strings, unknown
 * keys dropped) without `_deleted`; on failure the rejection the client shows to its user.
 */
export function validatePushedDocument(
  collection: ClientWritableCollection,
  document: Record<string, unknown>,
): { ok: true; value: ValidatedDocument } | { ok: false; rejected: RejectedDocument } {
  const parsed = pushedDocumentSchemas[collection].safeParse(document);
  if (!parsed.success) {
    return {
      ok: false,
      rejected: rejection(rejectedIdOf(document), `Invalid ${collection} document`, issuesOf(parsed.error)),
    };
  }
  const { _deleted, ...data } = parsed.data as Record<string, unknown> & { _deleted: boolean };
  return { ok: true, value: { id: data.id as string, deleted: _deleted, data } };
}

export type ValidatedRow = { document: ValidatedDocument; assumedServerRev: number | undefined };

/** Parses one row of a push (wire.ts pushRowSchema, then its document); a bad row is rejected by itself. */
export function validatePushRow(
  collection: ClientWritableCollection,
  row: unknown,
): { ok: true; value: ValidatedRow } | { ok: false; rejected: RejectedDocument } {
  const parsed = pushRowSchema.safeParse(row);
  if (!parsed.success) {
    const document = (row as { newDocumentState?: unknown } | null)?.newDocumentState;
    return {
      ok: false,
      rejected: rejection(rejectedIdOf(document), 'Invalid push row', issuesOf(parsed.error)),
    };
  }
  const validated = validatePushedDocument(collection, parsed.data.newDocumentState);
  if (!validated.ok) return validated;
  return {
    ok: true,
    value: { document: validated.value, assumedServerRev: parsed.data.assumedMasterState?.serverRev },
  };
}
