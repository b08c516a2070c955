import { afterFirstContent } from '../hooks/useFirstContent';

/** The loaders of every chunk kept out of the first one, fetched in the background after the first screen. */
const loaders: (() => Promise<unknown>)[] = [];

/**
 * Registers the loader of a chunk the first screen does not need (a page, a dialog, replication): it loads
 * on first use, and in any case once the first screen shows its data. Offline-first: a rep may lose the
 * network any minute after start, and the web build fetches a chunk over HTTP on first use; so every chunk
 * is fetched ahead, and from then on everything opens without the network.
 */
export function fetchedAhead<T>(load: () => Promise<T>): () => Promise<T> {
  loaders.push(load);
  return load;
}

void afterFirstContent()
  .then(() => Promise.all(loaders.map((load) => load())))
  .catch((error: unknown) =>
    console.warn('Some parts of the app could not be loaded ahead; they load on first use', error),
  );
