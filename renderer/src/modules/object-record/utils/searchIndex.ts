import { normalizeMangoQuery, prepareQuery, type RxChangeEvent, type RxCollection } from 'rxdb';
import { BehaviorSubject } from 'rxjs';

/**
 * In-memory text index of one collection for search as you type. A regex query over IndexedDB has to read
 * every document when few match (seconds with 100,000 contacts); this keeps one lower-cased string per
 * record (the searched fields joined) and answers a keystroke by scanning strings in memory. It loads in the
 * background in id-ordered pages and follows every change (local, rules, replication) through `collection.$`.
 *
 * Hand-written rather than a full-text library: the search is plain substring matching per word, and the
 * libraries (flexsearch, minisearch) tokenize into words, which loses "mid-word" matches like "ovel".
 */
export class SearchIndex {
  private readonly haystacks = new Map<string, string>();
  /** True once every stored document has been read. */
  readonly ready$ = new BehaviorSubject(false);
  /** Bumped on every change, so open searches run again. */
  readonly version$ = new BehaviorSubject(0);
  readonly error$ = new BehaviorSubject<unknown>(null);

  constructor(
    private readonly collection: RxCollection,
    private readonly fields: readonly string[],
    /** Documents read per storage query while loading. */
    private readonly pageSize = 10_000,
  ) {
    // Subscribe before loading, so a change made while loading is not missed.
    collection.$.subscribe((event: RxChangeEvent<unknown>) => {
      if (event.operation === 'DELETE') this.haystacks.delete(event.documentId);
      else
        this.haystacks.set(event.documentId, this.haystackOf(event.documentData as Record<string, unknown>));
      this.version$.next(this.version$.value + 1);
    });
    this.load().catch((error: unknown) => {
      console.error('Could not build the search index', error);
      this.error$.next(error);
    });
  }

  private haystackOf(document: Record<string, unknown>): string {
    return this.fields.map((field) => String(document[field] ?? '').toLowerCase()).join('\u0000');
  }

  /**
   * Reads the stored documents in id-ordered pages straight from the storage instance: going through
   * `find().exec()` would build an RxDocument per record, which is most of the cost at 100,000 records.
   */
  private async load(): Promise<void> {
    const { pageSize } = this;
    const schema = this.collection.schema.jsonSchema;
    let lastId = '';
    for (;;) {
      const query = normalizeMangoQuery(schema, {
        selector: { id: { $gt: lastId } },
        sort: [{ id: 'asc' }],
        limit: pageSize,
      });
      (query.selector as Record<string, unknown>)._deleted = { $eq: false };
      const { documents } = await this.collection.storageInstance.query(prepareQuery(schema, query));
      for (const document of documents) {
        const data = document as Record<string, unknown>;
        // A change event may already have brought a newer state while this page was read.
        if (!this.haystacks.has(String(data.id))) this.haystacks.set(String(data.id), this.haystackOf(data));
      }
      if (documents.length < pageSize) break;
      lastId = String((documents.at(-1) as Record<string, unknown>).id);
    }
    this.ready$.next(true);
  }

  /** Ids of the records containing every word of `search` (case-insensitive), in no particular order. */
  match(search: string): string[] {
    const words = search
      .toLowerCase()
      .split(/\s+/)
      .filter((word) => word !== '');
    const ids: string[] = [];
    for (const [id, haystack] of this.haystacks) {
      if (words.every((word) => haystack.includes(word))) ids.push(id);
    }
    return ids;
  }
}

const indexes = new WeakMap<RxCollection, SearchIndex>();

/** One index per collection for the life of the page (the list is opened and left many times). */
export function searchIndexOf(collection: RxCollection, fields: readonly string[]): SearchIndex {
  let index = indexes.get(collection);
  if (index === undefined) {
    index = new SearchIndex(collection, fields);
    indexes.set(collection, index);
  }
  return index;
}
