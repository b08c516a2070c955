import { afterFirstContent } from '../hooks/useFirstContent';

/** The loaders of every chunk kept out of the first one, until the background fetch starts. */
const loaders: (() => Promise<unknown>)[] = [];
let fetchingAhead = false;

function fetchAhead(load: () => Promise<unknown>): Promise<unknown> {
  return load().catch((error: unknown) =>
    console.warn('A part of the app could not be loaded ahead; it loads on first use', error),
  );
}

/**
 * Registers the loader of a chunk the first screen does not need (a page, a dialog, replication): it loads
 * on first use, and in any case once the first screen shows its data. Offline-first: a rep may lose the
 * network any minute after start, and the web build fetches a chunk over HTTP on first use; so every chunk
 * is fetched ahead, and from then on everything opens without the network. A loader registered by a chunk
 * that the background fetch itself loaded (the CSV export inside the list pages) is fetched at once.
 */
export function fetchedAhead<T>(load: () => Promise<T>): () => Promise<T> {
  if (fetchingAhead) void fetchAhead(load);
  else loaders.push(load);
  return load;
}

void afterFirstContent().then(() => {
  fetchingAhead = true;
  for (const load of loaders.splice(0)) void fetchAhead(load);
});
