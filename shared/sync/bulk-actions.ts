/**
 * Changes to many contacts or leads at once (the lists' bulk actions): each record is written through its
 * collection like a user's single edit, so the link rules, validation, email uniqueness and the audit
 * trail run for every one of them. Records are written in small concurrent chunks, with progress after
 * each chunk and a cancel between chunks; a record that is refused does not stop the others.
 */
import {
  type Contact,
  contactFieldCatalogue,
  type FieldCatalogue,
  type Lead,
  leadFieldCatalogue,
} from '../schemas';
import type { CrmDatabase } from './database';
import { isCrmValidationError, messageOf } from './errors';

export type BulkCollection = 'contacts' | 'leads';

/** The fields a bulk action may set: the ones a list can sensibly give many records the same value. */
export type BulkPatch = {
  status?: Contact['status'] | Lead['status'];
  assignedTo?: string;
  departmentId?: Contact['departmentId'];
};

export type BulkProgress = { done: number; total: number };

export type BulkFailure = { id: string; name: string; message: string };

export type BulkResult = {
  /** Records written. */
  changed: number;
  /** Records that already had the values (nothing written), or were deleted meanwhile. */
  unchanged: number;
  failed: BulkFailure[];
  /** True when the caller cancelled: the records after the last finished chunk were not touched. */
  cancelled: boolean;
};

export type BulkOptions = {
  onProgress?: (progress: BulkProgress) => void;
  signal?: AbortSignal;
};

/**
 * Concurrent writes per chunk: enough for IndexedDB to batch the hooks' reads and writes, few enough that
 * progress and cancel answer within a fraction of a second.
 */
const CHUNK_SIZE = 50;

const catalogues: Record<BulkCollection, FieldCatalogue<Contact> | FieldCatalogue<Lead>> = {
  contacts: contactFieldCatalogue,
  leads: leadFieldCatalogue,
};

/** Sets the same fields on many records. */
export function patchInBulk(
  db: CrmDatabase,
  collection: BulkCollection,
  ids: readonly string[],
  patch: BulkPatch,
  options: BulkOptions = {},
): Promise<BulkResult> {
  const fields = Object.entries(patch) as [keyof BulkPatch, string][];
  return inChunks(db, collection, ids, options, async (doc) => {
    const record = doc as unknown as Record<string, unknown>;
    if (fields.every(([field, value]) => record[field] === value)) return false;
    await doc.incrementalPatch(patch as never);
    return true;
  });
}

/** Deletes many records (a contact's lead stays, as when one is deleted; see docs/link-rules.md). */
export function removeInBulk(
  db: CrmDatabase,
  collection: BulkCollection,
  ids: readonly string[],
  options: BulkOptions = {},
): Promise<BulkResult> {
  return inChunks(db, collection, ids, options, async (doc) => {
    await doc.remove();
    return true;
  });
}

type BulkDocument = {
  incrementalPatch: (patch: never) => Promise<unknown>;
  remove: () => Promise<unknown>;
  firstName: string;
  lastName: string;
};

async function inChunks(
  db: CrmDatabase,
  collection: BulkCollection,
  ids: readonly string[],
  { onProgress, signal }: BulkOptions,
  write: (doc: BulkDocument) => Promise<boolean>,
): Promise<BulkResult> {
  const result: BulkResult = { changed: 0, unchanged: 0, failed: [], cancelled: false };
  let done = 0;
  onProgress?.({ done, total: ids.length });
  for (let start = 0; start < ids.length; start += CHUNK_SIZE) {
    if (signal?.aborted) {
      result.cancelled = true;
      break;
    }
    const chunk = ids.slice(start, start + CHUNK_SIZE);
    // The latest state of each record: the selection may be minutes old, and sync may have changed it.
    const docs = (await db[collection].findByIds(chunk).exec()) as unknown as Map<string, BulkDocument>;
    await Promise.all(
      chunk.map(async (id) => {
        const doc = docs.get(id);
        if (!doc) {
          result.unchanged++;
          return;
        }
        try {
          if (await write(doc)) result.changed++;
          else result.unchanged++;
        } catch (error) {
          result.failed.push({
            id,
            name: `${doc.firstName} ${doc.lastName}`.trim(),
            message: refusalInWords(collection, error),
          });
        }
      }),
    );
    done += chunk.length;
    onProgress?.({ done, total: ids.length });
  }
  return result;
}

/** "Email: already used by Ada Lovelace" — the refusal with field labels, never a library dump. */
function refusalInWords(collection: BulkCollection, error: unknown): string {
  if (!isCrmValidationError(error)) return `the database refused the change (${messageOf(error)})`;
  const catalogue = catalogues[collection] as Record<string, { label: string } | undefined>;
  return error.issues
    .map((issue) => `${catalogue[issue.field]?.label ?? issue.field}: ${issue.message}`)
    .join('; ');
}
