import { type CollectionName, collectionDefinitions, contactStatuses, leadStatuses } from '@shared/schemas';
import { createCrmDatabase, searchIndexOf } from '@shared/sync';
import { prepareLocalWrite } from '@shared/sync/database';
import { generateNKeysBetween } from 'fractional-indexing';
import { createRevision, type RxCollection, type RxDocumentData } from 'rxdb';

/** The database the renderer opens (renderer/src/modules/database/components/DatabaseProvider.tsx). */
const APP_DATABASE_NAME = 'fieldbook';

/** The IndexedDB database in which RxDB's Dexie storage keeps a collection of the app's database. */
export const appStoreName = (collection: CollectionName) =>
  `rxdb-dexie-${APP_DATABASE_NAME}--${collectionDefinitions[collection].version}--${collection}`;

export const seededContactName = (index: number) => `Seed${index.toString().padStart(6, '0')}`;
export const seededLeadName = (index: number) => `Deal${index.toString().padStart(5, '0')}`;

/**
 * Fills the app's own IndexedDB (same origin) with complete, validated documents written straight to
 * storage, as replication would: a 100,000-contact database through the rules would take longer to set up
 * than the figures it is for. Contacts are never in status Lead (the start-up reconcile would then create
 * their leads); leads are unlinked, spread over the five statuses, with Kanban positions.
 */
export async function seedAppDatabase(options: { contacts: number; leads: number }): Promise<void> {
  const db = await createCrmDatabase({ name: APP_DATABASE_NAME, userId: 'bench' });
  try {
    const write = async (collection: CollectionName, documents: Record<string, unknown>[]) => {
      const storage = (db.collections[collection] as unknown as RxCollection).storageInstance;
      const batch = 10_000;
      for (let start = 0; start < documents.length; start += batch) {
        const rows = documents.slice(start, start + batch).map((data) => {
          const document = {
            ...prepareLocalWrite(collection, data, undefined, db.crm),
            _deleted: false,
            _attachments: {},
            _meta: { lwt: Date.now() },
            _rev: '',
          } as RxDocumentData<unknown>;
          document._rev = createRevision(db.token);
          return { document };
        });
        const result = await storage.bulkWrite(rows, 'bench-seed');
        if (result.error.length > 0)
          throw new Error(`seeding ${collection}: ${JSON.stringify(result.error[0])}`);
      }
    };
    const otherStatuses = contactStatuses.filter((status) => status !== 'Lead');
    await write(
      'contacts',
      Array.from({ length: options.contacts }, (_, index) => ({
        id: `seed-contact-${index}`,
        firstName: ['Ada', 'Grace', 'Alan', 'Barbara', 'Donald'][index % 5],
        lastName: seededContactName(index),
        email: `${seededContactName(index).toLowerCase()}@example.com`,
        company: `Company ${index % 997}`,
        status: otherStatuses[index % otherStatuses.length],
      })),
    );
    const perStatus = Math.ceil(options.leads / leadStatuses.length);
    const positions = generateNKeysBetween(null, null, perStatus);
    await write(
      'leads',
      Array.from({ length: options.leads }, (_, index) => ({
        id: `seed-lead-${index}`,
        firstName: 'Pat',
        lastName: seededLeadName(index),
        company: `Company ${index % 97}`,
        status: leadStatuses[index % leadStatuses.length],
        priority: 'Medium',
        value: 1000 + (index % 50) * 100,
        position: positions[Math.floor(index / leadStatuses.length)],
      })),
    );
    // The app's search index follows writes as replication would bring them; wait until it holds them all.
    await searchIndexOf(db).settled();
  } finally {
    await db.close();
  }
}
