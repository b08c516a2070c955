import { useEffect, useState } from 'react';
import type { Observable } from 'rxjs';

export type ObservableState<T> = { value: T; ready: boolean; error: unknown };

/**
 * Subscribes to an observable for the lifetime of the component (or until `observable` changes).
 * Callers memoize `observable`; `ready` turns true with the first value, errors are kept to be shown.
 */
export function useObservable<T>(observable: Observable<T> | null, initial: T): ObservableState<T> {
  const [state, setState] = useState<ObservableState<T>>({ value: initial, ready: false, error: null });
  useEffect(() => {
    if (observable === null) return;
    setState((previous) => ({ ...previous, ready: false, error: null }));
    const subscription = observable.subscribe({
      next: (value) => setState({ value, ready: true, error: null }),
      error: (error: unknown) => {
        console.error('Observable failed', error);
        setState((previous) => ({ ...previous, ready: true, error }));
      },
    });
    return () => subscription.unsubscribe();
  }, [observable]);
  return state;
}
