import { useObservable } from '@renderer/modules/database/hooks/useObservable';
import { useMemo } from 'react';
import type { RxCollection, RxDocument } from 'rxdb';

export type RecordState<T> = { record: RxDocument<T> | null; ready: boolean; error: unknown };

/** One live document by id (null once loaded and not found, e.g. deleted on another device). */
export function useRecord<T>(collection: RxCollection<T>, id: string | null): RecordState<T> {
  const record$ = useMemo(
    () => (id === null || id === '' ? null : collection.findOne(id).$),
    [collection, id],
  );
  const state = useObservable<RxDocument<T> | null>(record$ as never, null);
  return { record: state.value, ready: id === null || id === '' || state.ready, error: state.error };
}
