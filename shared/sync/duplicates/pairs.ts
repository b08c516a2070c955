/**
 * Which records are possible duplicates of each other, and why (docs/duplicates.md). Pure: no database,
 * so the device's incremental detection, the full scan and the tests all decide the same way.
 */
import {
  contactFieldCatalogue,
  type DuplicateKeys,
  duplicateKeysOf,
  formFieldsOf,
  leadFieldCatalogue,
} from '@shared/schemas';

export type DuplicateCollection = 'contacts' | 'leads';

/** The fields a person chooses between in the compare dialog: the ones of the record form. */
export const mergeableFields: Record<DuplicateCollection, readonly string[]> = {
  contacts: formFieldsOf(contactFieldCatalogue).map((field) => field.name),
  leads: formFieldsOf(leadFieldCatalogue).map((field) => field.name),
};

/** Same normalized email: certainly the same person. The others only likely. */
export const duplicateReasons = ['same-email', 'same-name-company', 'same-phone'] as const;
export type DuplicateReason = (typeof duplicateReasons)[number];
export type DuplicateCertainty = 'certain' | 'likely';

const keyOfReason: Record<DuplicateReason, keyof DuplicateKeys> = {
  'same-email': 'emailKey',
  'same-name-company': 'nameCompanyKey',
  'same-phone': 'phoneKey',
};

/** The fields of a record detection reads (a stored contact or lead has them all). */
export type DuplicateCandidate = Record<string, unknown> & {
  id: string;
  createdAt: number;
  _deleted?: boolean;
  mergedInto?: string;
};

export type DuplicatePair = {
  /** `<collection>:<smaller id>:<larger id>`: one entry per pair, whichever record was seen first. */
  id: string;
  collection: DuplicateCollection;
  /** The two ids, smaller first. */
  ids: [string, string];
  reasons: DuplicateReason[];
  certainty: DuplicateCertainty;
};

/** Live and not merged away: only these take part in detection. */
export function isDetectable(record: DuplicateCandidate): boolean {
  return !record._deleted && !record.mergedInto;
}

export function pairIdOf(collection: DuplicateCollection, a: string, b: string): string {
  return a < b ? `${collection}:${a}:${b}` : `${collection}:${b}:${a}`;
}

/** Why `a` and `b` may be the same person, strongest first; empty when they are not comparable. */
export function reasonsOf(a: DuplicateCandidate, b: DuplicateCandidate): DuplicateReason[] {
  if (a.id === b.id || !isDetectable(a) || !isDetectable(b)) return [];
  const keysA = duplicateKeysOf(a);
  const keysB = duplicateKeysOf(b);
  return duplicateReasons.filter((reason) => {
    const key = keyOfReason[reason];
    return keysA[key] !== '' && keysA[key] === keysB[key];
  });
}

/** The pair of `a` and `b` with its reasons, or null when they are not possible duplicates. */
export function pairOf(
  collection: DuplicateCollection,
  a: DuplicateCandidate,
  b: DuplicateCandidate,
): DuplicatePair | null {
  const reasons = reasonsOf(a, b);
  if (reasons.length === 0) return null;
  return {
    id: pairIdOf(collection, a.id, b.id),
    collection,
    ids: a.id < b.id ? [a.id, b.id] : [b.id, a.id],
    reasons,
    certainty: reasons.includes('same-email') ? 'certain' : 'likely',
  };
}

/**
 * Every pair among `records` (each once), except the dismissed ones. Groups by each key, so the cost is
 * the number of records plus the number of pairs, not every record against every other.
 */
export function findDuplicatePairs(
  collection: DuplicateCollection,
  records: readonly DuplicateCandidate[],
  isDismissed: (pairId: string) => boolean = () => false,
): DuplicatePair[] {
  const groups = new Map<string, DuplicateCandidate[]>();
  for (const record of records) {
    if (!isDetectable(record)) continue;
    const keys = duplicateKeysOf(record);
    for (const reason of duplicateReasons) {
      const value = keys[keyOfReason[reason]];
      if (value === '') continue;
      const group = `${reason}\u0000${value}`;
      const members = groups.get(group);
      if (members) members.push(record);
      else groups.set(group, [record]);
    }
  }
  const pairs = new Map<string, DuplicatePair>();
  for (const group of groups.values()) {
    for (let i = 0; i < group.length; i++) {
      for (let j = i + 1; j < group.length; j++) {
        const a = group[i] as DuplicateCandidate;
        const b = group[j] as DuplicateCandidate;
        const id = pairIdOf(collection, a.id, b.id);
        if (pairs.has(id) || isDismissed(id)) continue;
        const pair = pairOf(collection, a, b);
        if (pair) pairs.set(id, pair);
      }
    }
  }
  return [...pairs.values()].sort(byPairId);
}

/**
 * Id of the activity that says "not a duplicate" for a pair (docs/duplicates.md): derived from the pair,
 * so two devices dismissing the same pair write the same document, and detection checks a pair with one
 * read by id. Hashed, because two ids may be 128 characters each.
 */
export function dismissalIdOf(pairId: string): string {
  return `not-duplicate-${hashOf(pairId)}`;
}

/** Id of the timeline entry of a merge: derived from the pair, so two devices merging it write one entry. */
export function mergeEntryIdOf(pairId: string): string {
  return `merged-${hashOf(pairId)}`;
}

/** 64 bits of two FNV-1a hashes with different offsets, as hex: stable, short, id-safe. */
function hashOf(text: string): string {
  let a = 0x811c9dc5;
  let b = 0x050c5d1f;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    a = Math.imul(a ^ code, 0x01000193);
    b = Math.imul(b ^ code, 0x01000193) ^ (b >>> 15);
  }
  return (a >>> 0).toString(16).padStart(8, '0') + (b >>> 0).toString(16).padStart(8, '0');
}

export const byPairId = (a: DuplicatePair, b: DuplicatePair) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/**
 * The record that survives a merge unless the person chooses otherwise: the older one (ties by the
 * smaller id). Every device computes the same, so two devices merging one pair keep the same record.
 */
export function defaultSurvivor<T extends DuplicateCandidate>(a: T, b: T): T {
  if (a.createdAt !== b.createdAt) return a.createdAt < b.createdAt ? a : b;
  return a.id < b.id ? a : b;
}

const isEmpty = (value: unknown) => value === undefined || value === null || value === '';

/**
 * The merged value of each field where the two records differ: the value of the more recently updated
 * record unless that one is empty (then the other's). Ties in `updatedAt` go to the default survivor, so
 * the defaults are the same on every device.
 */
export function defaultMergeValues(
  a: DuplicateCandidate,
  b: DuplicateCandidate,
  fields: readonly string[],
): Record<string, unknown> {
  const survivor = defaultSurvivor(a, b);
  const other = survivor === a ? b : a;
  const updatedAt = (record: DuplicateCandidate) => Number(record.updatedAt ?? 0);
  const [recent, older] = updatedAt(other) > updatedAt(survivor) ? [other, survivor] : [survivor, other];
  const values: Record<string, unknown> = {};
  for (const field of differingFields(a, b, fields)) {
    values[field] = isEmpty(recent[field]) ? older[field] : recent[field];
  }
  return values;
}

/** The fields among `fields` whose values differ between `a` and `b` (what the compare dialog shows). */
export function differingFields(
  a: Record<string, unknown>,
  b: Record<string, unknown>,
  fields: readonly string[],
): string[] {
  return fields.filter((field) => (a[field] ?? '') !== (b[field] ?? ''));
}
