import {
  contactFieldCatalogue,
  type FieldCatalogue,
  foldText,
  leadFieldCatalogue,
  personSortKey,
  searchFieldsOf,
} from '@shared/schemas';

export type SearchableCollection = 'contacts' | 'leads';
export const searchableCollections: readonly SearchableCollection[] = ['contacts', 'leads'];

/** Which fields a search looks in, by how they are matched (the field catalogue's `search`). */
type SearchedFields = {
  /** Person names: word prefixes, ranked above other fields. */
  names: readonly string[];
  /** E.g. email and company: word prefixes (and the whole email as one word). */
  words: readonly string[];
  /** Phone numbers: digits only, any run of digits ("30 879" finds "+49 30 8794082"). */
  phones: readonly string[];
};
function searchedFieldsOf<T>(catalogue: FieldCatalogue<T>): SearchedFields {
  return {
    names: searchFieldsOf(catalogue, 'name'),
    words: searchFieldsOf(catalogue, 'words'),
    phones: searchFieldsOf(catalogue, 'digits'),
  };
}
export const searchedFields: Record<SearchableCollection, SearchedFields> = {
  contacts: searchedFieldsOf(contactFieldCatalogue),
  leads: searchedFieldsOf(leadFieldCatalogue),
};

/** Token prefixes: one multiEntry index holds all three kinds, and a range scan asks for one kind. */
export const NAME = 'n:';
export const OTHER = 'o:';
export const DIGITS = '#';
/** Runs of fewer digits match too much to be worth a token ("30" alone is a word match, not a phone match). */
const MIN_PHONE_DIGITS = 3;

/**
 * One stored entry per record: its tokens, the folded name for ranking and the name sort key for ties, its
 * status and (a lead's) value, from which the per-status totals are kept.
 */
export type SearchEntry = {
  id: string;
  tokens: string[];
  name: string;
  sortKey: string;
  status?: string;
  value?: number;
};

/** The folded words of a text, plus each word's parts between punctuation ("jean-luc" → jean-luc, jean, luc). */
function wordsOf(text: string): string[] {
  const words = new Set<string>();
  for (const word of foldText(text).split(' ')) {
    if (word === '') continue;
    words.add(word);
    for (const part of word.split(/[^\p{L}\p{N}]+/u)) if (part !== '') words.add(part);
    const joined = word.replace(/[^\p{L}\p{N}]+/gu, '');
    if (joined !== '') words.add(joined);
  }
  return [...words];
}

const textOf = (document: Record<string, unknown>, field: string) =>
  typeof document[field] === 'string' ? (document[field] as string) : '';

export function searchEntryOf(
  collection: SearchableCollection,
  document: Record<string, unknown>,
): SearchEntry {
  const fields = searchedFields[collection];
  const name = fields.names.map((field) => textOf(document, field)).join(' ');
  const tokens = new Set(wordsOf(name).map((word) => NAME + word));
  for (const field of fields.words) {
    const value = textOf(document, field);
    if (value === '') continue;
    tokens.add(OTHER + foldText(value));
    for (const word of wordsOf(value)) tokens.add(OTHER + word);
  }
  for (const field of fields.phones) {
    const digits = textOf(document, field).replace(/\D/g, '');
    // Every suffix, so a range scan on a prefix finds any run of digits inside the number.
    for (let start = 0; start <= digits.length - MIN_PHONE_DIGITS; start++)
      tokens.add(DIGITS + digits.slice(start));
  }
  const entry: SearchEntry = {
    id: String(document.id),
    tokens: [...tokens],
    name: foldText(name),
    sortKey: personSortKey(textOf(document, 'firstName'), textOf(document, 'lastName')),
  };
  entry.status = textOf(document, 'status');
  if (collection === 'leads') entry.value = typeof document.value === 'number' ? document.value : 0;
  return entry;
}

export type ParsedQuery = {
  /** The whole query folded, for "name starts with the query" ranking. */
  folded: string;
  /** Folded words; each must prefix some name, email or company word. */
  words: string[];
  /**
   * The query's digits when it looks like a phone number, else null; without a national trunk prefix
   * ("(030) 879" → 30879), since stored numbers are often international ("+49 30 879…").
   */
  digits: string | null;
};

export function parseQuery(text: string): ParsedQuery {
  const folded = foldText(text);
  const words = folded === '' ? [] : folded.split(' ');
  const digits = folded.replace(/\D/g, '').replace(/^0+/, '');
  const looksLikePhone = /^[\d\s+().\-/]+$/.test(folded) && digits.length >= MIN_PHONE_DIGITS;
  return { folded, words, digits: looksLikePhone ? digits : null };
}

/**
 * Lower is better: per word, a whole name word (0) beats a name-word prefix (1) beats another field (3);
 * among equals, a name that starts with the whole query comes first ("ada" → Ada Lovelace, Lovelace Ada,
 * then Adam Adams).
 */
export function rankOf(entry: SearchEntry, query: ParsedQuery): number {
  let words = 0;
  for (const word of query.words) {
    const token = NAME + word;
    if (entry.tokens.includes(token)) continue;
    words += entry.tokens.some((candidate) => candidate.startsWith(token)) ? 1 : 3;
  }
  return 2 * words + (entry.name.startsWith(query.folded) ? 0 : 1);
}
