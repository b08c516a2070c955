import type { RxStorage, RxStorageInstance, RxStorageInstanceCreationParams } from 'rxdb';

/**
 * The storage `storage` with `adapt` applied to every instance it creates (a collection's or a
 * replication's): how the app's storage adapters (indexed change feed, paged index queries, leads written
 * alongside their contacts) replace an instance's methods without a storage of their own.
 */
export function adaptingEachInstance<Internals, Options>(
  storage: RxStorage<Internals, Options>,
  adapt: (
    instance: RxStorageInstance<unknown, Internals, Options>,
    params: RxStorageInstanceCreationParams<unknown, Options>,
  ) => void,
): RxStorage<Internals, Options> {
  return {
    ...storage,
    name: storage.name,
    rxdbVersion: storage.rxdbVersion,
    async createStorageInstance(params) {
      const instance = await storage.createStorageInstance(params);
      adapt(instance as RxStorageInstance<unknown, Internals, Options>, params as never);
      return instance;
    },
  };
}
