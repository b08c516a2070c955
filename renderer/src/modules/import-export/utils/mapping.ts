import { type ImportEntity, type ImportField, importFields } from './importFields';

/** Column header → field key, or `null` for "don't import". */
export type ColumnMapping = Record<string, string | null>;

/** "E-mail Address " → "emailaddress": case, spaces and punctuation do not matter when matching headers and values. */
export function comparableText(header: string): string {
  return header.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');
}

function namesOf(field: ImportField): string[] {
  return [field.key, field.label, ...field.aliases].map(comparableText);
}

/**
 * Maps each header to the field whose key, label or alias it spells (ignoring case and punctuation).
 * A field is used once: later columns with the same meaning stay unmapped for the user to decide.
 */
export function autoMap(headers: readonly string[], entity: ImportEntity): ColumnMapping {
  const mapping: ColumnMapping = {};
  const used = new Set<string>();
  for (const header of headers) {
    const normalized = comparableText(header);
    const field = importFields[entity].find(
      (candidate) => !used.has(candidate.key) && namesOf(candidate).includes(normalized),
    );
    mapping[header] = field?.key ?? null;
    if (field) used.add(field.key);
  }
  return mapping;
}

/** Fields mapped from more than one column: the user must pick one. */
export function duplicateMappings(mapping: ColumnMapping): string[] {
  const counts = new Map<string, number>();
  for (const key of Object.values(mapping)) if (key) counts.set(key, (counts.get(key) ?? 0) + 1);
  return [...counts].filter(([, count]) => count > 1).map(([key]) => key);
}
