import type { MangoQuerySelector, MangoQuerySortPart } from 'rxdb';
import type { RecordQuery } from '../hooks/useRecordList';
import type { SortState } from '../types/ColumnDefinition';

export type RecordQueryInput = {
  search: string;
  /** Fields the search box looks in (case-insensitive substring). */
  searchFields: readonly string[];
  /** Equality filters; '' means "any". */
  filters: Record<string, string>;
  sort: SortState;
  /** Sort key → fields, chosen to match an index so ascending sorts stop after one page. */
  sortFields: Record<string, readonly string[]>;
  /** Filters an index can count (RxDB refuses counts that need a scan). */
  countableFilters: readonly string[];
};

export function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export function buildRecordQuery<T>(input: RecordQueryInput): {
  query: RecordQuery<T>;
  countSelector: MangoQuerySelector<T> | null;
} {
  const selector: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(input.filters)) {
    if (value !== '') selector[field] = { $eq: value };
  }
  const search = input.search.trim();
  const words = search === '' ? [] : search.split(/\s+/);
  // Every word must appear in one of the fields, so "Ada Lovelace" finds first name Ada + last name Lovelace.
  const wordSelectors = words.map((word) => ({
    $or: input.searchFields.map((field) => ({ [field]: { $regex: escapeRegex(word), $options: 'i' } })),
  }));
  if (wordSelectors.length === 1) Object.assign(selector, wordSelectors[0]);
  else if (wordSelectors.length > 1) selector.$and = wordSelectors;
  const fields = input.sortFields[input.sort.key] ?? Object.values(input.sortFields)[0] ?? [];
  // The id last, in the same direction: ties are ordered too, and a descending sort is then the exact
  // reverse of the ascending one, which storage reads backwards from the same index (RxDB would add the id
  // ascending, and a mixed-direction sort reads and sorts every document).
  const sort = [...fields, 'id'].map((field) => ({
    [field]: input.sort.direction,
  })) as MangoQuerySortPart<T>[];

  const usedFilters = Object.entries(input.filters).filter(([, value]) => value !== '');
  const countable = search === '' && usedFilters.every(([field]) => input.countableFilters.includes(field));
  return {
    query: { selector: selector as MangoQuerySelector<T>, sort },
    countSelector: countable
      ? (Object.fromEntries(
          usedFilters.map(([field, value]) => [field, { $eq: value }]),
        ) as MangoQuerySelector<T>)
      : null,
  };
}
