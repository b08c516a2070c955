import Papa from 'papaparse';

/** One data row of a CSV file: header → cell (missing when the row is short). */
export type CsvRow = Record<string, string | undefined>;

export type ParsedCsv = {
  headers: string[];
  rows: CsvRow[];
  /** Problems of the file's structure, by row index (0 = first data row). */
  rowErrors: Map<number, string>;
  /** Per header: how its cells are spread (counted while parsing, in the worker for a picked file). */
  columns: Map<string, ColumnValues>;
};

/**
 * How a column's cells are spread: the rows with a value (not blank), and how many rows have each spelling
 * of the value as long as the column repeats few of them (a status, source or owner column). The import
 * screen reads these instead of going over 100,000 rows in the window on every mapping change.
 */
export type ColumnValues = { filled: number; spellings: Map<string, number> | null };

/**
 * Beyond this many spellings a column is not a set of values to translate (ids, emails, names): its
 * spellings are dropped (`null`) so a 100,000-row file does not carry a 100,000-entry map per column.
 */
export const MAX_SPELLINGS = 2000;

/** Adds `rows` to the tally of each of `headers` (`columns` is updated in place). */
export function tallyColumns(
  columns: Map<string, ColumnValues>,
  headers: readonly string[],
  rows: readonly CsvRow[],
  maxSpellings = MAX_SPELLINGS,
): Map<string, ColumnValues> {
  for (const header of headers) {
    let column = columns.get(header);
    if (!column) {
      column = { filled: 0, spellings: new Map() };
      columns.set(header, column);
    }
    for (const row of rows) {
      const cell = row[header];
      if (!cell) continue;
      const spellings = column.spellings;
      const count = spellings?.get(cell);
      if (count !== undefined) {
        spellings!.set(cell, count + 1);
        column.filled += 1;
        continue;
      }
      if (cell.trim() === '') continue;
      column.filled += 1;
      if (!spellings) continue;
      spellings.set(cell, 1);
      if (spellings.size > maxSpellings) column.spellings = null;
    }
  }
  return columns;
}

/** A column's spellings and their counts: from the tally, or counted now when it had too many to keep. */
export function spellingsOf(csv: ParsedCsv, header: string): Map<string, number> {
  return (
    csv.columns.get(header)?.spellings ??
    tallyColumns(new Map(), [header], csv.rows, Number.POSITIVE_INFINITY).get(header)!.spellings!
  );
}

/** Rows with a value (not blank) in `header`. */
export function filledRows(csv: ParsedCsv, header: string): number {
  return csv.columns.get(header)?.filled ?? 0;
}

function describeParseError(error: Papa.ParseError): string {
  switch (error.code) {
    case 'TooFewFields':
      return 'The row has fewer columns than the header';
    case 'TooManyFields':
      return 'The row has more columns than the header';
    case 'MissingQuotes':
      return 'A quoted cell is not closed';
    default:
      return error.message;
  }
}

/** Where a parsed piece of the file starts: rows of earlier chunks, and whether it read the header row. */
type ChunkPosition = { rowsBefore: number; headerInChunk: boolean };

/**
 * Adds structural errors to `rowErrors` by data row (0 = the row after the header). Papa numbers
 * field-count errors across the whole file, but quote errors by their place among the rows of the one
 * parse call, the header row included when that call read it: `position` puts those at their row too.
 */
export function collectRowErrors(
  errors: readonly Papa.ParseError[],
  rowErrors: Map<number, string>,
  position: ChunkPosition = { rowsBefore: 0, headerInChunk: true },
) {
  for (const error of errors) {
    if (error.row === undefined) continue;
    const index =
      error.type === 'Quotes'
        ? error.row + position.rowsBefore - (position.headerInChunk ? 1 : 0)
        : error.row;
    const message = describeParseError(error);
    rowErrors.set(index, rowErrors.has(index) ? `${rowErrors.get(index)}; ${message}` : message);
  }
}

export function headersOf(fields: readonly string[] | undefined): string[] {
  return (fields ?? []).filter((header) => header !== '');
}

/** Papa Parse options of every import: header row, blank lines skipped, headers trimmed; delimiter detected. */
export const parseOptions = {
  header: true,
  skipEmptyLines: 'greedy',
  transformHeader: (header: string) => header.trim(),
} as const;

/** Parses CSV text (delimiter detected by Papa Parse: comma, semicolon, tab…; a BOM is dropped). */
export function parseCsvText(text: string): ParsedCsv {
  const result = Papa.parse<CsvRow>(text, parseOptions);
  const rowErrors = new Map<number, string>();
  collectRowErrors(result.errors, rowErrors);
  const headers = headersOf(result.meta.fields);
  return { headers, rows: result.data, rowErrors, columns: tallyColumns(new Map(), headers, result.data) };
}

/**
 * The parse worker's handling of Papa's chunks: each chunk's rows go out at once (`send`) after being
 * tallied per column; the headers, structural errors and column tallies are kept for the end.
 */
export function chunkCollector(send: (rows: CsvRow[], bytes: number) => void) {
  const rowErrors = new Map<number, string>();
  const columns = new Map<string, ColumnValues>();
  let headers: string[] = [];
  let rowsBefore = 0;
  return {
    chunk(result: Papa.ParseResult<CsvRow>) {
      headers = headersOf(result.meta.fields);
      collectRowErrors(result.errors, rowErrors, { rowsBefore, headerInChunk: rowsBefore === 0 });
      tallyColumns(columns, headers, result.data);
      rowsBefore += result.data.length;
      send(result.data, result.meta.cursor);
    },
    finish: () => ({ headers, rowErrors: [...rowErrors], columns }),
  };
}

/** What the parse worker posts back (parseCsv.worker.ts). */
export type ParseMessage =
  | { kind: 'rows'; rows: CsvRow[]; bytes: number }
  | {
      kind: 'done';
      headers: string[];
      rowErrors: [number, string][];
      columns: Map<string, ColumnValues>;
    }
  | { kind: 'failed'; message: string };

/**
 * Parses a picked file in a Web Worker (streamed in chunks by Papa Parse, each chunk's rows posted as
 * they are parsed), so a 100,000-row file never blocks the window; reports progress in bytes and stops
 * the worker when `signal` aborts.
 */
export function parseCsvFile(
  file: File,
  onProgress: (progress: { done: number; total: number }) => void,
  signal?: AbortSignal,
): Promise<ParsedCsv> {
  return new Promise((resolve, reject) => {
    const rows: CsvRow[] = [];
    const worker = new Worker(new URL('./parseCsv.worker.ts', import.meta.url), { type: 'module' });
    const stop = () => {
      worker.terminate();
      reject(new DOMException(`Reading ${file.name} was cancelled`, 'AbortError'));
    };
    signal?.addEventListener('abort', stop, { once: true });
    const finish = () => {
      signal?.removeEventListener('abort', stop);
      worker.terminate();
    };
    worker.onmessage = (event: MessageEvent<ParseMessage>) => {
      const message = event.data;
      if (message.kind === 'rows') {
        for (const row of message.rows) rows.push(row);
        onProgress({ done: message.bytes, total: file.size });
      } else if (message.kind === 'done') {
        finish();
        resolve({
          headers: message.headers,
          rows,
          rowErrors: new Map(message.rowErrors),
          columns: message.columns,
        });
      } else {
        finish();
        reject(new Error(`Could not read ${file.name}: ${message.message}`));
      }
    };
    worker.onerror = (event) => {
      finish();
      reject(new Error(`Could not read ${file.name}: ${event.message || 'the file reader stopped'}`));
    };
    worker.postMessage(file);
  });
}
