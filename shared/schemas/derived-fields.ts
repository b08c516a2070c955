import type { CollectionName } from './collections';
import { emailKeyOf } from './fields';

/**
 * Letters Unicode does not decompose into a base letter plus marks, spelled the way a collator's primary
 * level treats them (Ø ~ O, ß ~ ss, Ł ~ L …).
 */
const lettersWithoutDecomposition: Record<string, string> = {
  ß: 'ss',
  æ: 'ae',
  œ: 'oe',
  ø: 'o',
  đ: 'd',
  ð: 'd',
  ł: 'l',
  þ: 'th',
  ı: 'i',
  ħ: 'h',
};
const undecomposedLetter = new RegExp(`[${Object.keys(lettersWithoutDecomposition).join('')}]`, 'g');

/**
 * Text as a person compares names: without accents and case ("Élodie" → "elodie", "Nguyễn" → "nguyen",
 * "Łukasz" → "lukasz"), control characters dropped and runs of white space made one space.
 */
export function foldText(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(undecomposedLetter, (letter) => lettersWithoutDecomposition[letter] ?? letter)
    .replace(/[\p{Cc}\p{Cf}]/gu, '')
    .replace(/\s+/gu, ' ')
    .trim();
}

/**
 * Separates the parts of a sort key. Folded text holds no control character, so a key whose first part is
 * a prefix of another's ("Berg" / "Berg Al") sorts first, as `Intl.Collator` compares part by part.
 */
const SORT_KEY_SEPARATOR = '\u0001';

const text = (value: unknown) => (typeof value === 'string' ? value : '');

const NAME_PART_MAX = 100;

/**
 * Sort key of a person: family name, then given name, folded. IndexedDB orders strings by code unit, so an
 * index over this key returns `Intl.Collator`'s primary order for Latin names ("Élodie" next to "Elodie",
 * "van der Berg" among the V, "Ó Súilleabháin" among the O) without reading every record to sort it.
 * A person with a given name only ("Madonna") files under it.
 */
export function personSortKey(firstName: string, lastName: string): string {
  // Folding may lengthen a name (ß → ss); the key keeps the bound of its schema property.
  const family = foldText(lastName).slice(0, NAME_PART_MAX);
  const given = foldText(firstName).slice(0, NAME_PART_MAX);
  return family === '' ? `${given}${SORT_KEY_SEPARATOR}` : `${family}${SORT_KEY_SEPARATOR}${given}`;
}

/** Cents, so values keep their order in an integer index; no value sorts below every value. */
const NO_VALUE = -1;
const MAX_SORTABLE_CENTS = 8_640_000_000_000_000;
export function valueSortKey(value: number | null): number {
  return value === null ? NO_VALUE : Math.min(MAX_SORTABLE_CENTS, Math.round(value * 100));
}

/**
 * Order of a Kanban card inside its column: the fractional `position`; cards nobody has placed yet follow
 * the placed ones, newest first (`~` sorts after every fractional-indexing digit, and the inverted creation
 * time puts a newer card first). Ties in the key are broken by id, as the index does.
 */
const LATEST_TIME = 8_640_000_000_000_000; // epochMs' bound: 16 digits
export function boardOrderKey(position: string, createdAt: number): string {
  return position !== '' ? position : `~${String(LATEST_TIME - createdAt).padStart(16, '0')}`;
}

/**
 * The keys two records are compared by to find duplicates (docs/duplicates.md). Each is derived on every
 * device and indexed, so finding the possible duplicates of one record is one exact index lookup per key.
 */

/** Separates name and company in the key (folded text holds no control character). */
const PART_SEPARATOR = '\u0001';
const NAME_MAX = 201;
const COMPANY_MAX = 200;
export const NAME_COMPANY_KEY_MAX = NAME_MAX + PART_SEPARATOR.length + COMPANY_MAX;
/** Shorter numbers (extensions, "112") say too little about who it is. */
export const MIN_PHONE_KEY_DIGITS = 7;
export const PHONE_KEY_MAX = 50;

/**
 * Full name and company, accent-, case- and space-insensitive ("Ada  LOVELACE", "Analytical Engines" ~
 * "ada lovelace", "analytical engines"); '' without a company: a name alone matches too many people.
 */
export function nameCompanyKeyOf(document: Record<string, unknown>): string {
  const name = foldText(`${text(document.firstName)} ${text(document.lastName)}`).slice(0, NAME_MAX);
  const company = foldText(text(document.company)).slice(0, COMPANY_MAX);
  return name === '' || company === '' ? '' : `${name}${PART_SEPARATOR}${company}`;
}

/**
 * The digits of the record's phone (a contact's mobile when it has no phone), without leading zeros, so
 * "+44 20 7946 0018", "(0044) 20-7946-0018" and "0044207946 0018" agree; '' for short numbers. A national
 * number and its international form ("020 7946 0018") do not agree: the country is not known here.
 */
export function phoneKeyOf(document: Record<string, unknown>): string {
  const phone = text(document.phone) || text(document.mobile);
  const digits = phone.replace(/\D/g, '').replace(/^0+/, '').slice(0, PHONE_KEY_MAX);
  return digits.length >= MIN_PHONE_KEY_DIGITS ? digits : '';
}

/** The keys of one record: equal non-empty keys make two records possible duplicates. */
export type DuplicateKeys = { emailKey: string; nameCompanyKey: string; phoneKey: string };

export function duplicateKeysOf(document: Record<string, unknown>): DuplicateKeys {
  return {
    emailKey: emailKeyOf(text(document.email)),
    nameCompanyKey: nameCompanyKeyOf(document),
    phoneKey: phoneKeyOf(document),
  };
}

type JsonProperty = Record<string, unknown>;
type DerivedField = {
  /** The property in the RxDB JSON schema (bounded, because derived fields are indexed). */
  property: JsonProperty;
  derive(document: Record<string, unknown>): string | number;
};

const COMPANY_KEY_MAX = 200;
const nameSortKey: DerivedField = {
  property: { type: 'string', maxLength: 2 * NAME_PART_MAX + SORT_KEY_SEPARATOR.length },
  derive: (document) => personSortKey(text(document.firstName), text(document.lastName)),
};
/** Duplicate detection's lookup keys (docs/duplicates.md): one exact index lookup per key and record. */
const nameCompanyKey: DerivedField = {
  property: { type: 'string', maxLength: NAME_COMPANY_KEY_MAX },
  derive: nameCompanyKeyOf,
};
const phoneKey: DerivedField = {
  property: { type: 'string', maxLength: PHONE_KEY_MAX },
  derive: phoneKeyOf,
};
const companySortKey: DerivedField = {
  property: { type: 'string', maxLength: COMPANY_KEY_MAX },
  derive: (document) => foldText(text(document.company)).slice(0, COMPANY_KEY_MAX),
};

/**
 * Fields each device computes from a document's own fields, for its indexes only. They are local: not part
 * of the zod (wire) schema, so the server drops them and every device derives them with its own code.
 */
export const derivedFields: Partial<Record<CollectionName, Record<string, DerivedField>>> = {
  contacts: { nameSortKey, companySortKey, nameCompanyKey, phoneKey },
  leads: {
    nameSortKey,
    companySortKey,
    nameCompanyKey,
    phoneKey,
    valueSortKey: {
      property: { type: 'integer', minimum: NO_VALUE, maximum: MAX_SORTABLE_CENTS, multipleOf: 1 },
      derive: (document) => valueSortKey(typeof document.value === 'number' ? document.value : null),
    },
    boardOrder: {
      property: { type: 'string', maxLength: 201 },
      derive: (document) =>
        boardOrderKey(
          text(document.position),
          typeof document.createdAt === 'number' ? document.createdAt : 0,
        ),
    },
  },
};

/**
 * Normalizes a document about to be stored, whichever way it came: a local write (`prepareLocalWrite`), a
 * pulled or conflicting server state (replication), a merge or a schema migration. Replicated writes bypass
 * RxDB's hooks, so every path that stores a document calls this one function. Mutates and returns `document`.
 */
export function deriveLocalFields<D extends Record<string, unknown>>(
  collection: CollectionName,
  document: D,
): D {
  const target = deriveEmailKey(collection, document) as Record<string, unknown>;
  for (const [name, field] of Object.entries(derivedFields[collection] ?? {})) {
    target[name] = field.derive(target);
  }
  return document;
}

/**
 * Sets `emailKey` of a contact or lead from its email (a team member has an email but no key: its schema
 * refuses one). Unlike the other derived fields it is part of the zod schema, so the database layer
 * derives it before validating. Mutates and returns `document`.
 */
export function deriveEmailKey<D extends Record<string, unknown>>(
  collection: CollectionName,
  document: D,
): D {
  const target = document as Record<string, unknown>;
  if ((collection === 'contacts' || collection === 'leads') && 'email' in target)
    target.emailKey = emailKeyOf(target.email as string | undefined);
  return document;
}

/** Every derived field by name (a name means the same computation in every collection that has it). */
const derivedFieldsByName = new Map(
  Object.values(derivedFields).flatMap((fields) => Object.entries(fields ?? {})),
);
export const derivedFieldNames: ReadonlySet<string> = new Set(derivedFieldsByName.keys());

/**
 * Recomputes the derived fields a document already carries, for callers that do not know its collection
 * (the replication merge combines two states of one document field by field). Mutates and returns it.
 */
export function refreshDerivedFields<D extends Record<string, unknown>>(document: D): D {
  const target = document as Record<string, unknown>;
  for (const [name, field] of derivedFieldsByName) {
    if (name in target) target[name] = field.derive(target);
  }
  return document;
}
