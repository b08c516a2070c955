/** Nearest-rank percentile (p in 0..100) of unsorted samples. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) throw new Error('percentile of no samples');
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1]!;
}

export function median(samples: readonly number[]): number {
  if (samples.length === 0) throw new Error('median of no samples');
  const sorted = [...samples].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** One line of the results table (and of latest.json). */
export type Figure = {
  issue: 3 | 4 | 5 | 9 | 10 | 12 | 13;
  name: string;
  value: number;
  unit: string;
  /** The floor measured in the same runs, when the figure has one. */
  floor?: number;
  /** value / floor, median of the per-run ratios. */
  ratio?: number;
  target?: string;
  runs: number;
  note?: string;
};

const format = (value: number) =>
  Math.abs(value) >= 100 ? value.toFixed(0) : Math.abs(value) >= 10 ? value.toFixed(1) : value.toFixed(2);

export function formatTable(figures: readonly Figure[]): string {
  const header = ['#', 'figure', 'value', 'floor', 'ratio', 'target', 'runs', 'note'];
  const rows = figures.map((figure) => [
    String(figure.issue),
    figure.name,
    `${format(figure.value)} ${figure.unit}`,
    figure.floor === undefined ? '' : `${format(figure.floor)} ${figure.unit}`,
    figure.ratio === undefined ? '' : `${figure.ratio.toFixed(2)}×`,
    figure.target ?? '',
    String(figure.runs),
    figure.note ?? '',
  ]);
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => row[column]!.length)),
  );
  const line = (cells: string[]) =>
    `| ${cells.map((cell, column) => cell.padEnd(widths[column]!)).join(' | ')} |`;
  return [line(header), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)].join('\n');
}

/**
 * Repeats `measure` up to `maxRuns` times (at least once) while the time budget lasts, so one slow figure
 * cannot blow the whole bench past its bound; the table reports how many runs each median is over.
 */
export async function repeat<T>(maxRuns: number, budgetMs: number, measure: () => Promise<T>): Promise<T[]> {
  const deadline = Date.now() + budgetMs;
  const results: T[] = [];
  while (results.length < maxRuns && (results.length === 0 || Date.now() < deadline))
    results.push(await measure());
  return results;
}
