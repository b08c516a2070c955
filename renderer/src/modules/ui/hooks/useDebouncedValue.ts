import { useEffect, useState } from 'react';

/**
 * Pause after the last key before a search box searches: searches answer from the search index (a few
 * index ranges), so the pause only skips the work of keys typed in one burst; the 100 ms from last key to
 * result (issue 10) leaves no room for a longer one.
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
