import { type CollectionName, deriveLocalFields } from '@shared/schemas';
import type { CrmDatabase } from '@shared/sync';
import { createRevision, type RxCollection, type RxDocumentData } from 'rxdb';

/**
 * Test support only (Node tests and the e2e-only browser hooks; not exported from `shared/sync`): writes a
 * document straight to storage, bypassing hooks and validation, as replication does. It stands for a
 * document an older client made, which the server then rejects.
 */
export async function writeBypassingHooks(
  db: CrmDatabase,
  collection: CollectionName,
  document: Record<string, unknown>,
  context = 'test-bypass-hooks',
): Promise<void> {
  const rx = db.collections[collection] as unknown as RxCollection;
  const [previous] = await rx.storageInstance.findDocumentsById([String(document.id)], true);
  // Like replication, which derives the local sort keys of what it receives (toLocalDocument).
  const next = deriveLocalFields(collection, {
    ...(previous ?? {}),
    ...document,
    _deleted: document._deleted === true, // a tombstone only when asked for
    _attachments: {},
    _meta: { lwt: Date.now() },
    _rev: '',
  }) as RxDocumentData<unknown>;
  next._rev = createRevision(db.token, previous);
  const result = await rx.storageInstance.bulkWrite([{ previous, document: next }], context);
  if (result.error.length > 0) throw new Error(`bypass write failed: ${JSON.stringify(result.error)}`);
}

/** New documents straight to storage in one write, as a large replicated batch arrives (see writeBypassingHooks). */
export async function insertBypassingHooks(
  db: CrmDatabase,
  collection: CollectionName,
  documents: Record<string, unknown>[],
): Promise<void> {
  const rx = db.collections[collection] as unknown as RxCollection;
  const rows = documents.map((document) => ({
    document: deriveLocalFields(collection, {
      ...document,
      _deleted: false,
      _attachments: {},
      _meta: { lwt: Date.now() },
      _rev: createRevision(db.token),
    }) as RxDocumentData<unknown>,
  }));
  const result = await rx.storageInstance.bulkWrite(rows, 'test-bypass-hooks');
  if (result.error.length > 0) throw new Error(`bypass insert failed: ${JSON.stringify(result.error[0])}`);
}
