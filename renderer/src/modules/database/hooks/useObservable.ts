import { useEffect, useState } from 'react';
import type { Observable } from 'rxjs';

export type ObservableState<T> = { value: T; ready: boolean; error: unknown };

type Emitted<T> = ObservableState<T> & { source: Observable<T> | null };

/**
 * Subscribes to an observable for the lifetime of the component (or until `observable` changes).
 * Callers memoize `observable`; `ready` turns true with its first value, errors are kept to be shown.
 * A new observable is not ready from the render that brings it (its value is still the previous one's):
 * no extra render to say so, which a search as you type would pay on every key.
 */
export function useObservable<T>(observable: Observable<T> | null, initial: T): ObservableState<T> {
  const [state, setState] = useState<Emitted<T>>({ source: null, value: initial, ready: false, error: null });
  useEffect(() => {
    if (observable === null) return;
    const subscription = observable.subscribe({
      next: (value) => setState({ source: observable, value, ready: true, error: null }),
      error: (error: unknown) => {
        console.error('Observable failed', error);
        setState((previous) => ({ ...previous, source: observable, ready: true, error }));
      },
    });
    return () => subscription.unsubscribe();
  }, [observable]);
  const current = observable !== null && state.source === observable;
  return { value: state.value, ready: current && state.ready, error: current ? state.error : null };
}
