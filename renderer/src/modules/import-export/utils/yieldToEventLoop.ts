/** Lets the browser paint and handle input between chunks of long work (import, validation). */
export function yieldToEventLoop(): Promise<void> {
  const scheduler = (globalThis as { scheduler?: { yield?: () => Promise<void> } }).scheduler;
  if (scheduler?.yield) return scheduler.yield();
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/**
 * Main-thread time a pass over many rows takes before it lets the window paint and handle input: a time
 * budget rather than a row count, so a slow or busy machine does less per slice instead of freezing.
 */
const SLICE_MS = 25;

/**
 * Runs `each` over `items` in time slices with a pause for the event loop between them (100,000 rows
 * never freeze the window); `afterSlice` reports how far it got; `signal` stops it between slices.
 */
export async function forEachInSlices<T>(
  items: readonly T[],
  each: (item: T, index: number) => void,
  { afterSlice, signal }: { afterSlice?: (done: number) => void; signal?: AbortSignal } = {},
): Promise<void> {
  let index = 0;
  while (index < items.length) {
    signal?.throwIfAborted();
    const sliceEnd = performance.now() + SLICE_MS;
    do {
      each(items[index]!, index);
      index += 1;
    } while (index < items.length && performance.now() < sliceEnd);
    afterSlice?.(index);
    await yieldToEventLoop();
  }
}
