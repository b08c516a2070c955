import { createRevision, type RxCollection, type RxDocumentData } from 'rxdb';
import type { CollectionName } from '../../../shared/schemas';
import type { CrmDatabase } from '../../../shared/sync';

/**
 * Test-only door for the browser end-to-end tests, compiled in only when the bundle is built with
 * VITE_E2E_HOOKS=1 (playwright.config.ts does; a normal `npm run web` or desktop build does not).
 * It can write a document straight to storage, bypassing hooks and validation: that stands for a
 * document an older client made, which the server then rejects.
 */
export type FieldbookE2EHooks = {
  writeBypassingHooks(collection: CollectionName, document: Record<string, unknown>): Promise<void>;
};

declare global {
  interface Window {
    fieldbookE2E?: FieldbookE2EHooks;
  }
}

export function installE2EHooks(db: CrmDatabase): void {
  window.fieldbookE2E = {
    async writeBypassingHooks(collection, document) {
      const rx = db.collections[collection] as unknown as RxCollection;
      const [previous] = await rx.storageInstance.findDocumentsById([String(document.id)], true);
      const next = {
        ...(previous ?? {}),
        ...document,
        _deleted: false,
        _attachments: {},
        _meta: { lwt: Date.now() },
        _rev: '',
      } as RxDocumentData<unknown>;
      next._rev = createRevision(db.token, previous);
      const result = await rx.storageInstance.bulkWrite([{ previous, document: next }], 'e2e-bypass-hooks');
      if (result.error.length > 0) throw new Error(`bypass write failed: ${JSON.stringify(result.error)}`);
    },
  };
}
