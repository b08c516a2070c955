/**
 * The writes the rules make to a linked document. They are engine writes (engine-writes.ts): they pass
 * through the hooks (validation, `updatedAt`/`updatedBy`, email uniqueness) but do not trigger rules again.
 * A failure is recorded in the rule-error log and never reaches the caller of the user's write (docs/link-rules.md).
 */

import type { Contact, Lead, RuleId } from '@shared/schemas';
import {
  type BulkWriteRow,
  beforeDocumentUpdateWrite,
  clone,
  getWrittenDocumentsFromBulkWriteResponse,
  type RxCollection,
  type RxDocumentData,
  throwIfIsStorageWriteError,
} from 'rxdb';
import type { CrmDatabase } from '../crm-database';
import { isConflictError, isCrmValidationError, messageOf } from '../errors';
import { perDatabase } from '../per-database';
import { asEngineWrite, patchAsEngine } from './engine-writes';
import { createLeadBatched } from './lead-creation';
import { type RuleErrorTarget, recordRuleError } from './rule-errors';
import type { LinkedCollection } from './storage-reads';

/** A write the rules make to a linked document. */
export type LinkedWrite = {
  rule: RuleId;
  trigger: RuleErrorTarget;
  /** `updatedAt` of the trigger's write (lets reconcile tell whether a failed write is still wanted). */
  triggerUpdatedAt: number;
  target: RuleErrorTarget;
} & ({ create: Lead } | { patch: Partial<Contact> | Partial<Lead> });

/** Test seam (see testing.ts): may throw to simulate a failing linked write. */
export type LinkedWriteFault = (write: LinkedWrite) => void;

/** Per database: the test seam, when set. */
const faultOf = perDatabase((): { fault: LinkedWriteFault | null } => ({ fault: null }));

/**
 * Writes one linked document as an engine write. Patches re-read the document and write only fields whose
 * values differ (the no-op rule), batched per tick (`patchLinkedBatched`); a conflicting concurrent write
 * is retried on the fresh state. Returns false (after recording a rule error) when the write failed.
 */
export async function writeLinked(db: CrmDatabase, write: LinkedWrite): Promise<boolean> {
  const { collection, id } = write.target;
  try {
    faultOf(db).fault?.(write);
    if ('create' in write) {
      try {
        await createLeadBatched(db, write.create);
      } catch (error) {
        // A lead's id is derived from its contact, so a lead already stored under it is this very lead,
        // created on another device and arrived by replication meanwhile: done, not a rule error
        // (reconcile's next pass plans with it).
        if (!isConflictError(error)) throw error;
      }
      return true;
    }
    await patchLinkedBatched(db, collection, id, write.patch as Record<string, unknown>);
    return true;
  } catch (error) {
    await recordRuleError(db, {
      rule: write.rule,
      trigger: write.trigger,
      target: write.target,
      message: failureInWords(write, error),
      retry:
        'create' in write
          ? { triggerUpdatedAt: write.triggerUpdatedAt, create: write.create }
          : { triggerUpdatedAt: write.triggerUpdatedAt, patch: write.patch },
    });
    return false;
  }
}

type QueuedPatch = {
  collection: LinkedCollection;
  id: string;
  patch: Record<string, unknown>;
  resolve: () => void;
  reject: (error: unknown) => void;
};

/** Patches of linked documents asked for within the current tick. */
const patchQueueOf = perDatabase((): QueuedPatch[] => []);

/**
 * Patches a linked document as an engine write. The patches of one tick (the leads of a re-import chunk's
 * contact updates, whose post hooks run side by side) are read with one storage call per collection and
 * written with one, as `createLeadBatched` does for creates: an update of a linked contact then costs its
 * own write and a share of two, instead of a read and a write transaction of its own for its lead.
 */
function patchLinkedBatched(
  db: CrmDatabase,
  collection: LinkedCollection,
  id: string,
  patch: Record<string, unknown>,
): Promise<void> {
  const queue = patchQueueOf(db);
  return new Promise<void>((resolve, reject) => {
    queue.push({ collection, id, patch, resolve, reject });
    if (queue.length > 1) return;
    queueMicrotask(() => {
      const batch = queue.splice(0);
      for (const name of ['contacts', 'leads'] as const) {
        const patches = batch.filter((item) => item.collection === name);
        if (patches.length === 0) continue;
        // A single patch (a user's edit) is read through RxDB's document cache, which a batch cannot use.
        const [only] = patches;
        const written =
          patches.length === 1 && only
            ? patchLinkedAlone(db, name, only.id, only.patch)
            : patchTogether(db, name, patches);
        written.then(
          () => {
            if (only && patches.length === 1) only.resolve();
          },
          (error: unknown) => {
            for (const item of patches) item.reject(error);
          },
        );
      }
    });
  });
}

const notFound = (collection: LinkedCollection, id: string) =>
  new Error(`${collection === 'leads' ? 'Lead' : 'Contact'} ${id} does not exist`);

/**
 * One read of the patched documents, then what `RxDocument.patch` does for each (the pre-save hooks:
 * validation, stamps, email uniqueness), in one storage write, then the post-save hooks. A document whose
 * hooks refuse the write fails alone; one changed meanwhile (409) is patched again alone on its fresh state.
 */
async function patchTogether(db: CrmDatabase, name: LinkedCollection, patches: QueuedPatch[]): Promise<void> {
  const target = db[name] as unknown as RxCollection<Record<string, unknown>>;
  const byId = new Map<string, QueuedPatch[]>();
  for (const item of patches) byId.set(item.id, [...(byId.get(item.id) ?? []), item]);
  const stored = await target.storageInstance.findDocumentsById([...byId.keys()], false);
  const current = new Map(stored.map((document) => [String(document[target.schema.primaryPath]), document]));
  const rows: BulkWriteRow<Record<string, unknown>>[] = [];
  await Promise.all(
    [...byId].map(async ([id, items]) => {
      const previous = current.get(id);
      if (!previous) {
        for (const item of items) item.reject(notFound(name, id));
        return;
      }
      const patch = Object.assign({}, ...items.map((item) => item.patch)) as Record<string, unknown>;
      const changes = Object.entries(patch).filter(([field, value]) => previous[field] !== value);
      if (changes.length === 0) {
        byId.delete(id);
        for (const item of items) item.resolve();
        return;
      }
      const document = asEngineWrite(Object.assign(clone(previous), Object.fromEntries(changes)));
      try {
        await beforeDocumentUpdateWrite(target, document, previous);
        rows.push({ previous, document: document as RxDocumentData<Record<string, unknown>> });
      } catch (error) {
        byId.delete(id);
        for (const item of items) item.reject(error);
      }
    }),
  );
  if (rows.length === 0) return;
  const result = await target.storageInstance.bulkWrite(rows, 'linked-patches');
  for (const error of result.error) {
    const items = byId.get(error.documentId) ?? [];
    if (error.status === 409) {
      for (const item of items)
        patchLinkedAlone(db, name, item.id, item.patch).then(item.resolve, item.reject);
      continue;
    }
    try {
      throwIfIsStorageWriteError(target, error.documentId, error.writeRow.document, error);
    } catch (writeError) {
      for (const item of items) item.reject(writeError);
    }
  }
  const primaryPath = target.schema.primaryPath;
  await Promise.all(
    getWrittenDocumentsFromBulkWriteResponse(primaryPath, rows, result).map(async (written) => {
      const items = byId.get(String(written[primaryPath])) ?? [];
      try {
        await target._runHooks('post', 'save', written);
        for (const item of items) item.resolve();
      } catch (error) {
        for (const item of items) item.reject(error);
      }
    }),
  );
}

/** A linked patch on its own, re-read and retried while a concurrent write to the document conflicts. */
async function patchLinkedAlone(
  db: CrmDatabase,
  collection: LinkedCollection,
  id: string,
  patch: Record<string, unknown>,
): Promise<void> {
  const target = db[collection] as RxCollection;
  for (let attempt = 1; ; attempt++) {
    const doc = await target.findOne(id).exec();
    if (!doc) throw notFound(collection, id);
    const current = doc.toJSON() as Record<string, unknown>;
    const changes = Object.fromEntries(
      Object.entries(patch).filter(([field, value]) => current[field] !== value),
    );
    if (Object.keys(changes).length === 0) return;
    try {
      await patchAsEngine(doc, changes);
      return;
    } catch (error) {
      if (attempt >= 3 || !isConflictError(error)) throw error;
    }
  }
}

/** What went wrong with a linked write, for the rule-error list: which record and what happens next, no library dump. */
function failureInWords(write: LinkedWrite, error: unknown): string {
  const record = `${write.target.collection === 'leads' ? 'Lead' : 'Contact'} ${write.target.id}`;
  if (isCrmValidationError(error)) return `${record} could not be saved: ${error.message}.`;
  if (isConflictError(error)) {
    return `${record} was being changed by another write at the same moment; it is repaired at the next sync.`;
  }
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string') {
    return `${record} could not be saved (storage error ${code}); it is tried again at the next sync.`;
  }
  return `${record} could not be saved: ${messageOf(error)}`;
}

export function setLinkedWriteFault(db: CrmDatabase, fault: LinkedWriteFault | null): void {
  faultOf(db).fault = fault;
}
