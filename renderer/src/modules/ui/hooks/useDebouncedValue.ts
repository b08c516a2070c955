import { useEffect, useState } from 'react';

/**
 * Pause after the last key before the pipeline's search filters the board: each search re-runs the five
 * column queries, so the pause skips those of keys typed in one burst. (The record lists and the global
 * search answer from the search index alone and search at every key.)
 */
export const SEARCH_DEBOUNCE_MS = 50;

/** `value`, once it has stopped changing for `delayMs` (search as you type without a query per keystroke). */
export function useDebouncedValue<T>(value: T, delayMs: number): T {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(value), delayMs);
    return () => clearTimeout(timer);
  }, [value, delayMs]);
  return debounced;
}
