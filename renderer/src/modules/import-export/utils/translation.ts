import { contactStatuses, ID_MAX, leadStatuses, priorities, sources } from '@shared/schemas';
import type { CrmPreset } from '../presets/presets';
import {
  type ImportEntity,
  type ImportField,
  importFields,
  isTranslatedKind,
  type TranslatedKind,
} from './importFields';
import { type ColumnMapping, comparableText } from './mapping';
import { type ParsedCsv, spellingsOf } from './parseCsv';

/** Names and ids the import resolves cells against. */
export type ImportLookups = {
  departments: readonly { id: string; name: string }[];
  teamMembers: readonly { id: string; name: string; email: string }[];
  /** The current user: "me" in an "Assigned to" column means them. */
  userId: string;
};

/**
 * A lead status or outcome that also says "this lead was converted": imported as Won, and (by default)
 * its contact is created and linked, as Salesforce's conversion does.
 */
export const CONVERTED = 'Converted';
/** Outcome of a deal that is neither won nor lost: the status column decides. */
export const OPEN = 'Open';
/** An owner value that means "nobody": the record is imported unassigned. */
export const UNASSIGNED = '(unassigned)';
/** Prefix of a department that the import creates (see `newDepartmentTarget`). */
const NEW_DEPARTMENT = 'new:';

/**
 * A department the import will create, as a translation target. The target stands in the rows'
 * `departmentId` until the department exists, so it must be a valid reference id (letters, digits and
 * `. _ : @ -`, at most ID_MAX characters): the name is written base64url (UTF-8), by hand because
 * `btoa` has no URL-safe variant and no library in the app does it.
 */
export function newDepartmentTarget(name: string): string {
  let binary = '';
  for (const byte of new TextEncoder().encode(name)) binary += String.fromCharCode(byte);
  const base64url = btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  return `${NEW_DEPARTMENT}${base64url}`;
}
export function newDepartmentName(target: string): string | null {
  if (!target.startsWith(NEW_DEPARTMENT)) return null;
  const base64 = target.slice(NEW_DEPARTMENT.length).replace(/-/g, '+').replace(/_/g, '/');
  const binary = atob(base64.padEnd(Math.ceil(base64.length / 4) * 4, '='));
  return new TextDecoder().decode(Uint8Array.from(binary, (character) => character.charCodeAt(0)));
}
/** Whether a department of this name can be created from the import (its target fits in an id). */
function canCreateDepartment(name: string): boolean {
  return newDepartmentTarget(name).length <= ID_MAX;
}

/** One distinct value of a column, as first spelled in the file, and how many rows have it. */
export type DistinctValue = { value: string; key: string; count: number };

/** A mapped column whose values must be translated to ours. */
export type TranslatedColumn = {
  field: ImportField & { kind: TranslatedKind };
  header: string;
  values: DistinctValue[];
};

/** Field key → comparable file value (`comparableText`) → our value; a missing entry is untranslated. */
export type Translations = Record<string, Record<string, string>>;

export type TargetOption = { value: string; label: string };

/** The values a file value of this kind can become. */
export function targetOptions(
  kind: TranslatedKind,
  entity: ImportEntity,
  lookups: ImportLookups,
  newDepartments: readonly string[] = [],
): TargetOption[] {
  const plain = (values: readonly string[]) => values.map((value) => ({ value, label: value }));
  switch (kind) {
    case 'status':
      return entity === 'contacts'
        ? plain(contactStatuses)
        : [...plain(leadStatuses), { value: CONVERTED, label: 'Won — converted (also creates its contact)' }];
    case 'outcome':
      return [
        { value: OPEN, label: 'Open (status column decides)' },
        { value: 'Won', label: 'Won' },
        { value: CONVERTED, label: 'Won — converted (also creates its contact)' },
        { value: 'Lost', label: 'Lost' },
      ];
    case 'source':
      return plain(sources);
    case 'priority':
      return plain(priorities);
    case 'department':
      return [
        ...lookups.departments.map((department) => ({ value: department.id, label: department.name })),
        ...newDepartments.filter(canCreateDepartment).map((name) => ({
          value: newDepartmentTarget(name),
          label: `New department “${name}”`,
        })),
      ];
    case 'assignee':
      return [
        { value: lookups.userId, label: 'Me' },
        ...lookups.teamMembers
          .filter((member) => member.id !== lookups.userId)
          .map((member) => ({
            value: member.id,
            label: member.email ? `${member.name} (${member.email})` : member.name,
          })),
        { value: UNASSIGNED, label: 'Nobody (unassigned)' },
      ];
  }
}

/** Every mapped column with a fixed set of values, with its distinct values (most frequent first). */
export function translatedColumns(
  csv: ParsedCsv,
  mapping: ColumnMapping,
  entity: ImportEntity,
): TranslatedColumn[] {
  const columns: TranslatedColumn[] = [];
  for (const field of importFields[entity]) {
    if (!isTranslatedKind(field.kind)) continue;
    const header = Object.keys(mapping).find((candidate) => mapping[candidate] === field.key);
    if (header === undefined) continue;
    // Counted per spelling while parsing (`ColumnValues`): the Unicode fold runs once per spelling here,
    // and no render goes over the rows of a 100,000-row file.
    const byKey = new Map<string, DistinctValue>();
    for (const [cell, count] of spellingsOf(csv, header)) {
      const value = cell.trim();
      const key = comparableText(value);
      const distinct = byKey.get(key);
      if (distinct) distinct.count += count;
      else byKey.set(key, { value, key, count });
    }
    const values = [...byKey.values()].sort((a, b) => b.count - a.count || a.value.localeCompare(b.value));
    columns.push({ field: field as ImportField & { kind: TranslatedKind }, header, values });
  }
  return columns;
}

/** Our value a file value names by itself: "trade show" → Trade show, "ann@x.io" → Ann's id. */
function ownValue(
  kind: TranslatedKind,
  value: DistinctValue,
  options: readonly TargetOption[],
  lookups: ImportLookups,
) {
  if (kind === 'assignee') {
    if (value.key === 'me') return lookups.userId;
    const member = lookups.teamMembers.find(
      (candidate) =>
        candidate.id === value.value ||
        comparableText(candidate.name) === value.key ||
        (candidate.email !== '' && comparableText(candidate.email) === value.key),
    );
    return member?.id;
  }
  return options.find(
    (option) =>
      option.value === value.value ||
      comparableText(option.label) === value.key ||
      comparableText(option.value) === value.key,
  )?.value;
}

/**
 * The translation the step starts from: the preset's value table first, then values that already name
 * one of ours (case and punctuation ignored), then what the user chose before for the same value.
 * Anything else stays untranslated and must be chosen.
 */
export function prefillTranslations(
  columns: readonly TranslatedColumn[],
  entity: ImportEntity,
  preset: CrmPreset | null,
  lookups: ImportLookups,
  previous: Translations = {},
): Translations {
  const translations: Translations = {};
  for (const column of columns) {
    const { key, kind } = column.field;
    const options = targetOptions(kind, entity, lookups);
    const allowed = new Set(options.map((option) => option.value));
    const presetValues = new Map(
      Object.entries(preset?.values[key] ?? {}).map(([from, to]) => [comparableText(from), to]),
    );
    const chosen: Record<string, string> = {};
    for (const value of column.values) {
      const earlier = previous[key]?.[value.key];
      const fromPreset = presetValues.get(value.key);
      const target =
        (earlier !== undefined && (allowed.has(earlier) || newDepartmentName(earlier) !== null)
          ? earlier
          : undefined) ??
        (fromPreset !== undefined && allowed.has(fromPreset) ? fromPreset : undefined) ??
        ownValue(kind, value, options, lookups);
      if (target !== undefined) chosen[value.key] = target;
    }
    translations[key] = chosen;
  }
  return translations;
}

/** The values still without a translation, per column: the import cannot start while any remain. */
export function untranslatedValues(
  columns: readonly TranslatedColumn[],
  translations: Translations,
): { column: TranslatedColumn; values: DistinctValue[] }[] {
  return columns
    .map((column) => ({
      column,
      values: column.values.filter((value) => translations[column.field.key]?.[value.key] === undefined),
    }))
    .filter((entry) => entry.values.length > 0);
}

/** One sentence per column listing values still to translate, for the message that stops the import. */
export function describeUntranslated(missing: ReturnType<typeof untranslatedValues>): string[] {
  return missing.map(({ column, values }) => {
    const shown = values.slice(0, 5).map((value) => `“${value.value}”`);
    const more = values.length > 5 ? ` and ${values.length - 5} more` : '';
    return `${column.field.label} (column “${column.header}”): choose what ${shown.join(', ')}${more} become${values.length === 1 ? 's' : ''}.`;
  });
}
