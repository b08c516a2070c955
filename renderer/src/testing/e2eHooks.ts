import type { CollectionName } from '@shared/schemas';
import type { CrmDatabase } from '@shared/sync';
import { writeBypassingHooks } from '@testing/write-bypassing-hooks';

/**
 * Test-only door for the browser end-to-end tests, compiled in only when the bundle is built with
 * VITE_E2E_HOOKS=1 (playwright.config.ts does; a normal `npm run web` or desktop build does not).
 * It can write a document straight to storage, bypassing hooks and validation: that stands for a
 * document an older client made, which the server then rejects.
 */
export type FieldbookE2EHooks = {
  writeBypassingHooks(collection: CollectionName, document: Record<string, unknown>): Promise<void>;
  /** Many records at once through the normal write path (hooks, rules), faster than the forms. */
  insertMany(collection: 'contacts' | 'leads', documents: Record<string, unknown>[]): Promise<void>;
};

declare global {
  interface Window {
    fieldbookE2E?: FieldbookE2EHooks;
  }
}

export function installE2EHooks(db: CrmDatabase): void {
  window.fieldbookE2E = {
    writeBypassingHooks(collection, document) {
      return writeBypassingHooks(db, collection, document, 'e2e-bypass-hooks');
    },
    async insertMany(collection, documents) {
      const result = await db[collection].bulkInsert(documents as never[]);
      if (result.error.length > 0) throw new Error(`insertMany: ${JSON.stringify(result.error[0])}`);
    },
  };
}
