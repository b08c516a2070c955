import { z } from 'zod';
import { type ImportEntity, importFields } from '../utils/importFields';
import { type ColumnMapping, comparableText } from '../utils/mapping';
import presetData from './crm-presets.json';

const fieldKeys = new Set(Object.values(importFields).flatMap((fields) => fields.map((field) => field.key)));

/** The shape of `crm-presets.json`, checked when the module loads so a typo in the data fails every test. */
const presetSchema = z.object({
  id: z.string(),
  label: z.string(),
  entity: z.enum(['contacts', 'leads']),
  sources: z.array(z.string()).min(1),
  /** Headers that together identify the export (all must be present). */
  signature: z.array(z.string()).min(2),
  /** Other spellings of the same export, e.g. Salesforce Data Loader's API names. */
  alternativeSignatures: z.array(z.array(z.string()).min(2)).optional(),
  columns: z.record(
    z.string(),
    z.string().refine((key) => fieldKeys.has(key), 'not a field key'),
  ),
  /** Columns deliberately left out, with the reason shown next to them. */
  notImported: z.record(z.string(), z.string()).optional(),
  /** Field key → file value → our value: pre-fills the value translation step. */
  values: z.record(z.string(), z.record(z.string(), z.string())),
});

export type CrmPreset = z.infer<typeof presetSchema>;

export const crmPresets: readonly CrmPreset[] = z
  .object({ presets: z.array(presetSchema) })
  .parse(presetData).presets;

function hasAll(headers: ReadonlySet<string>, signature: readonly string[]): boolean {
  return signature.every((header) => headers.has(comparableText(header)));
}

/** The preset whose signature headers the file has (case, spaces and punctuation ignored), if any. */
export function detectPreset(headers: readonly string[]): CrmPreset | null {
  const present = new Set(headers.map(comparableText));
  return (
    crmPresets.find((preset) =>
      [preset.signature, ...(preset.alternativeSignatures ?? [])].some((signature) =>
        hasAll(present, signature),
      ),
    ) ?? null
  );
}

/**
 * The preset's column mapping for these headers. A field is used once: when a file has two columns the
 * preset sends to one field (Salesforce "Phone" and "Mobile" for a lead), the first keeps it and the
 * other stays unmapped for the user to decide.
 */
export function presetMapping(
  preset: CrmPreset,
  headers: readonly string[],
  entity: ImportEntity,
): ColumnMapping {
  const byHeader = new Map(
    Object.entries(preset.columns).map(([header, key]) => [comparableText(header), key]),
  );
  const allowed = new Set(importFields[entity].map((field) => field.key));
  const used = new Set<string>();
  const mapping: ColumnMapping = {};
  for (const header of headers) {
    const key = byHeader.get(comparableText(header));
    mapping[header] = key && allowed.has(key) && !used.has(key) ? key : null;
    if (mapping[header]) used.add(mapping[header]);
  }
  return mapping;
}

/** Why the preset leaves a column out, for the columns it names. */
export function notImportedReason(preset: CrmPreset | null, header: string): string | null {
  if (!preset?.notImported) return null;
  const wanted = comparableText(header);
  const entry = Object.entries(preset.notImported).find(([name]) => comparableText(name) === wanted);
  return entry?.[1] ?? null;
}
