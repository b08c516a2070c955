/// <reference lib="webworker" />
/**
 * Parses a CSV file off the window's thread: Papa Parse streams the file in chunks (FileReader in the
 * worker), the rows are collected here and posted back once, with progress in bytes between chunks.
 */
import Papa from 'papaparse';
import { collectRowErrors, headersOf, type ParseMessage, parseOptions } from './parseCsv';
import type { CsvRow } from './validateRows';

const post = (message: ParseMessage) => (self as unknown as DedicatedWorkerGlobalScope).postMessage(message);

self.onmessage = (event: MessageEvent<File>) => {
  const rows: CsvRow[] = [];
  const rowErrors = new Map<number, string>();
  let headers: string[] = [];
  Papa.parse<CsvRow>(event.data, {
    ...parseOptions,
    chunkSize: 1024 * 1024,
    chunk: (result) => {
      headers = headersOf(result.meta.fields);
      collectRowErrors(result.errors, rowErrors);
      for (const row of result.data) rows.push(row);
      post({ kind: 'progress', bytes: result.meta.cursor });
    },
    complete: () => post({ kind: 'done', headers, rows, rowErrors: [...rowErrors] }),
    error: (error) => post({ kind: 'failed', message: error.message }),
  });
};
