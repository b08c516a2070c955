/// <reference lib="webworker" />
/**
 * Parses a CSV file off the window's thread: Papa Parse streams the file in chunks (FileReader in the
 * worker) and each chunk's rows are posted back at once with the progress in bytes, so the window
 * receives 100,000 rows as many short messages instead of one long structured-clone task.
 */
import Papa from 'papaparse';
import { type CsvRow, chunkCollector, type ParseMessage, parseOptions } from './parseCsv';

const post = (message: ParseMessage) => (self as unknown as DedicatedWorkerGlobalScope).postMessage(message);

/** Bytes per parsed chunk: about 1,500 rows of a typical CRM export, a few milliseconds to receive. */
const CHUNK_BYTES = 256 * 1024;

self.onmessage = (event: MessageEvent<File>) => {
  const collector = chunkCollector((rows, bytes) => post({ kind: 'rows', rows, bytes }));
  Papa.parse<CsvRow>(event.data, {
    ...parseOptions,
    chunkSize: CHUNK_BYTES,
    chunk: collector.chunk,
    complete: () => post({ kind: 'done', ...collector.finish() }),
    error: (error) => post({ kind: 'failed', message: error.message }),
  });
};
