import type { RxStorage, RxStorageInstance, RxStorageInstanceCreationParams } from 'rxdb';

/** The storage calls that reach IndexedDB; the others (changeStream, close, …) are not counted. */
const countedMethods = [
  'bulkWrite',
  'findDocumentsById',
  'query',
  'count',
  'getChangedDocumentsSince',
] as const;
type CountedMethod = (typeof countedMethods)[number];

/** Calls, documents handled and time spent, per storage instance (collection or replication meta) and method. */
export type StorageOperation = { calls: number; documents: number; ms: number };

/**
 * Counts what the database asks of its storage: wraps every storage instance the database or its
 * replications create. Used by the operation-budget tests (deterministic counts, in Node) and by the
 * bench page (counts and times, in Chromium). An instance is labelled by its collection name; the meta
 * instances of replications keep RxDB's name (`rx-replication-meta-<hash>`), see `isReplicationMeta`.
 */
export class StorageOperationLog {
  readonly operations = new Map<string, StorageOperation>();

  /**
   * `callScope`, when given, names the work a call belongs to (a Node test passes an AsyncLocalStorage
   * reader): a call made within scope `s` is counted under its label and again under `s/<label>`.
   */
  constructor(private readonly callScope: () => string | undefined = () => undefined) {}

  wrap<Internals, InstanceCreationOptions>(
    storage: RxStorage<Internals, InstanceCreationOptions>,
  ): RxStorage<Internals, InstanceCreationOptions> {
    const log = this;
    return {
      ...storage,
      name: storage.name,
      rxdbVersion: storage.rxdbVersion,
      async createStorageInstance<RxDocType>(
        params: RxStorageInstanceCreationParams<RxDocType, InstanceCreationOptions>,
      ): Promise<RxStorageInstance<RxDocType, Internals, InstanceCreationOptions>> {
        const instance = await storage.createStorageInstance(params);
        const label = params.collectionName;
        return new Proxy(instance, {
          get(target, property, receiver) {
            const value = Reflect.get(target, property, receiver) as unknown;
            if (typeof value !== 'function' || !countedMethods.includes(property as CountedMethod))
              return value;
            return async (...args: unknown[]) => {
              const scope = log.callScope();
              const started = performance.now();
              const result = await (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
              const documents = documentsOf(property as CountedMethod, args, result);
              const ms = performance.now() - started;
              log.record(label, property as CountedMethod, documents, ms);
              if (scope) log.record(`${scope}/${label}`, property as CountedMethod, documents, ms);
              return result;
            };
          },
        });
      },
    };
  }

  /** Sum over instances whose label matches `instance` (exact name, or a predicate). */
  total(method: CountedMethod, instance: string | ((label: string) => boolean)): StorageOperation {
    const matches = typeof instance === 'string' ? (label: string) => label === instance : instance;
    const sum: StorageOperation = { calls: 0, documents: 0, ms: 0 };
    for (const [key, operation] of this.operations) {
      const [label, name] = splitKey(key);
      if (name !== method || !matches(label)) continue;
      sum.calls += operation.calls;
      sum.documents += operation.documents;
      sum.ms += operation.ms;
    }
    return sum;
  }

  reset(): void {
    this.operations.clear();
  }

  /** `label.method: calls calls, documents docs, ms ms` per line, for a bench note or a failed assertion. */
  describe(): string {
    return [...this.operations]
      .map(([key, op]) => `${key}: ${op.calls} calls, ${op.documents} docs, ${op.ms.toFixed(0)} ms`)
      .join('\n');
  }

  private record(label: string, method: CountedMethod, documents: number, ms: number): void {
    const key = `${label}.${method}`;
    const operation = this.operations.get(key) ?? { calls: 0, documents: 0, ms: 0 };
    operation.calls += 1;
    operation.documents += documents;
    operation.ms += ms;
    this.operations.set(key, operation);
  }
}

function splitKey(key: string): [string, string] {
  const dot = key.lastIndexOf('.');
  return [key.slice(0, dot), key.slice(dot + 1)];
}

/** Documents written (bulkWrite rows) or read (results) by one call. */
function documentsOf(method: CountedMethod, args: unknown[], result: unknown): number {
  switch (method) {
    case 'bulkWrite':
      return (args[0] as unknown[]).length;
    case 'findDocumentsById':
      return (result as unknown[]).length;
    case 'query':
      return (result as { documents: unknown[] }).documents.length;
    case 'getChangedDocumentsSince':
      return (result as { documents: unknown[] }).documents.length;
    case 'count':
      return 0;
  }
}

export const isReplicationMeta = (label: string) => label.startsWith('rx-replication-meta');
