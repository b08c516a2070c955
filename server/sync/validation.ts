import {
  type ClientWritableCollection,
  clientWritableCollections,
  collectionDefinitions,
  type FieldIssue,
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

export function issuesOf(error: z.ZodError): FieldIssue[] {
  return error.issues.map((issue) => ({
    field: issue.path.map(String).join('.'),
    message: issue.message,
  }));
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
    const issues = issuesOf(parsed.error);
    return {
      ok: false,
      rejected: {
        id: typeof document.id === 'string' ? document.id : String(document.id),
        reason: `Invalid ${collection} document: ${issues.map((issue) => `${issue.field || '(document)'}: ${issue.message}`).join('; ')}`,
        issues,
      },
    };
  }
  const { _deleted, ...data } = parsed.data as Record<string, unknown> & { _deleted: boolean };
  return { ok: true, value: { id: data.id as string, deleted: _deleted, data } };
}
