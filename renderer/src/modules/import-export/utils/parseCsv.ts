import Papa from 'papaparse';
import type { CsvRow } from './validateRows';

export type ParsedCsv = {
  headers: string[];
  rows: CsvRow[];
  /** Problems of the file's structure, by row index (0 = first data row). */
  rowErrors: Map<number, string>;
};

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

function collect(result: Papa.ParseResult<CsvRow>): ParsedCsv {
  const headers = (result.meta.fields ?? []).filter((header) => header !== '');
  const rowErrors = new Map<number, string>();
  for (const error of result.errors) {
    if (error.row === undefined) continue;
    rowErrors.set(
      error.row,
      rowErrors.has(error.row)
        ? `${rowErrors.get(error.row)}; ${describeParseError(error)}`
        : describeParseError(error),
    );
  }
  return { headers, rows: result.data, rowErrors };
}

const options = {
  header: true,
  skipEmptyLines: 'greedy',
  transformHeader: (header: string) => header.trim(),
} as const;

/** Parses CSV text (delimiter detected by Papa Parse: comma, semicolon, tab…). */
export function parseCsvText(text: string): ParsedCsv {
  return collect(Papa.parse<CsvRow>(text, options));
}

/** Parses a picked file without blocking the window (Papa reads it in chunks). */
export function parseCsvFile(file: File): Promise<ParsedCsv> {
  return new Promise((resolve, reject) => {
    Papa.parse<CsvRow>(file, {
      ...options,
      complete: (result) => resolve(collect(result)),
      error: (error) => reject(new Error(`Could not read ${file.name}: ${error.message}`)),
    });
  });
}
