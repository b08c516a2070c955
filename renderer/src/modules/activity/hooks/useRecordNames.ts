import { useObservable } from '@renderer/modules/database/hooks/useObservable';
import { displayName } from '@renderer/modules/object-record/utils/displayName';
import { useMemo } from 'react';
import type { RxCollection } from 'rxdb';
import { map } from 'rxjs';

type Named = { id: string; firstName: string; lastName: string };

/** Names of the records with these ids, live (by primary key; a day's work touches tens of records). */
export function useRecordNames(
  collection: RxCollection<Named>,
  ids: readonly string[],
): ReadonlyMap<string, string> {
  const key = [...new Set(ids)].sort().join('\n');
  const names$ = useMemo(
    () =>
      collection
        .findByIds(key === '' ? [] : key.split('\n'))
        .$.pipe(map((docs) => new Map([...docs.values()].map((doc) => [doc.id, displayName(doc)])))),
    [collection, key],
  );
  return useObservable(names$, new Map<string, string>()).value;
}
