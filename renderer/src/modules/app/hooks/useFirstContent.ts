import { useEffect } from 'react';
import { endFirstPaint, takeFirstPaint } from '../utils/firstPaint';

/** The picture is taken once per page load, of the first screen that showed its data. */
let taken = false;

/** Start-up screens without their own data (a detail page, settings) do not hold deferred work longer. */
const FIRST_CONTENT_FALLBACK_MS = 3000;
let firstContentShown: () => void = () => {};
const firstContent = new Promise<void>((resolve) => {
  firstContentShown = resolve;
});
setTimeout(() => firstContentShown(), FIRST_CONTENT_FALLBACK_MS);

/**
 * Resolves once the first screen has shown its data (or after a few seconds): start-up work the first
 * screen does not need (duplicate detection, starting replication) waits for it, so its IndexedDB reads
 * do not queue before the first page's.
 */
export function afterFirstContent(): Promise<void> {
  return firstContent;
}

/**
 * Called by a pictured screen (a record list, the pipeline) with whether its own data is shown: the start-up
 * picture (utils/firstPaint.ts) then gives way to it. Once the screen has `settled` (the pipeline: its counts
 * too, which can come later or, if the search index fails, never), deferred start-up work may begin and what
 * it shows becomes the picture of the next start. The picture never waits for `settled`: it is inert and
 * covers the screen, so waiting on it could leave the app unusable. Leaving the screen also removes it.
 */
export function useFirstContent(shown: boolean, settled = shown): void {
  useEffect(() => {
    if (shown) endFirstPaint();
  }, [shown]);
  useEffect(() => {
    if (!settled) return;
    firstContentShown();
    if (taken) return;
    taken = true;
    // After the browser has laid out and painted the screen, when it has nothing else to do.
    const request = requestIdleCallback(takeFirstPaint, { timeout: 2000 });
    return () => cancelIdleCallback(request);
  }, [settled]);
  useEffect(() => endFirstPaint, []);
}
