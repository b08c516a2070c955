import { z } from 'zod';

/** Fields every synced document carries; the database layer fills them when a caller leaves them out. */
export const ID_MAX = 128;
export const EMAIL_MAX = 254;

/*
 * Refinements rather than `.regex()`: a zod refinement does not appear in the derived RxDB JSON schema, so
 * tightening what a field accepts needs no schema version and no migration of stored documents.
 */

/**
 * An unpaired UTF-16 surrogate (half of an emoji pair). `String.prototype.isWellFormed` would say the same
 * but is ES2024, newer than the lib every runtime of shared/ is checked against.
 */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** False for text PostgreSQL cannot store (text and jsonb refuse NUL and unpaired surrogates). */
export function isStorableText(value: string): boolean {
  return !value.includes('\u0000') && !LONE_SURROGATE.test(value);
}
export const UNSTORABLE_TEXT_MESSAGE =
  'Contains a character that cannot be stored (a NUL character or half of an emoji pair); retype the text';

/** Any text field: at most `max` characters, storable. */
export const plainText = (max: number) =>
  z.string().max(max, `At most ${max} characters`).refine(isStorableText, UNSTORABLE_TEXT_MESSAGE);

/**
 * Ids are what the app makes (uuids, `lead-<contact id>-2`, `team`), what the server makes (team member
 * ids from the token CLI) and what imports keep from other CRMs (Salesforce, HubSpot, Pipedrive, Zoho ids):
 * letters, digits and a little punctuation, never spaces, slashes or control characters.
 */
const ID_ALPHABET = /^[A-Za-z0-9._:@-]+$/;
export const ID_ALPHABET_MESSAGE = 'Use only letters, digits and . _ : @ -';
export function isIdText(value: string): boolean {
  return ID_ALPHABET.test(value);
}

export const documentId = z
  .string()
  .trim()
  .min(1, 'Id is required')
  .max(ID_MAX, `At most ${ID_MAX} characters`)
  .refine(isIdText, ID_ALPHABET_MESSAGE);
/** A reference to another document; `''` means "not linked" (RxDB cannot index a nullable field). */
export const reference = z
  .string()
  .max(ID_MAX, `At most ${ID_MAX} characters`)
  .refine((value) => value === '' || isIdText(value), ID_ALPHABET_MESSAGE);
export const epochMs = z.number().int().min(0).max(8_640_000_000_000_000);
/**
 * A server revision (a tenant's sequence number; 0: never acknowledged). zod 4's `int()` accepts safe
 * integers only, so 1e308 or 2^63 are refused here, not by the database.
 */
export const revision = z.number().int().min(0);

export const baseFields = {
  id: documentId,
  createdAt: epochMs,
  updatedAt: epochMs,
  /** The team member who wrote this state; the server sets it to its token's member (docs/replication.md). */
  updatedBy: reference,
  /**
   * Sequence number of the server version this document is based on (0: never acknowledged).
   * The server detects push conflicts by comparing it with its current one.
   */
  serverRev: revision,
};

/** Keys the database layer manages itself; a caller may omit them. */
export const managedKeys = ['createdAt', 'updatedAt', 'updatedBy', 'serverRev'] as const;

export const optionalText = (max: number) =>
  z.string().trim().max(max, `At most ${max} characters`).refine(isStorableText, UNSTORABLE_TEXT_MESSAGE);

/** A text field that must not be empty once trimmed. */
export const requiredText = (max: number, requiredMessage: string) =>
  z
    .string()
    .trim()
    .min(1, requiredMessage)
    .max(max, `At most ${max} characters`)
    .refine(isStorableText, UNSTORABLE_TEXT_MESSAGE);

/** Empty, or a syntactically valid address. Stored trimmed; compared case-insensitively through `emailKey`. */
export const email = z
  .string()
  .trim()
  .max(EMAIL_MAX, `At most ${EMAIL_MAX} characters`)
  .refine(isStorableText, UNSTORABLE_TEXT_MESSAGE)
  .refine((value) => value === '' || z.email().safeParse(value).success, 'Not a valid email address');

/** Normalized email used for uniqueness checks and lookups. */
export function emailKeyOf(value: string | null | undefined): string {
  return (value ?? '').trim().toLowerCase();
}

export const sources = [
  'Website',
  'Referral',
  'Trade show',
  'Cold call',
  'Social',
  'Email campaign',
  'Other',
] as const;
export const source = z.enum(sources);
export type Source = z.infer<typeof source>;

/**
 * The fields of a person that contacts and leads share, in the order both schemas list them (the RxDB
 * schemas are derived from the zod objects, key order included). Each entity places them around its own.
 */
export const personSchemaFields = {
  firstName: requiredText(100, 'First name is required'),
  lastName: optionalText(100),
  email,
  /** Trimmed, lower-cased `email`; derived by the database layer, indexed for the uniqueness rule. */
  emailKey: plainText(EMAIL_MAX),
  phone: optionalText(50),
};
export const personDefaults = { lastName: '', email: '', emailKey: '', phone: '' } as const;

/** Where a person works and who looks after them, shared by contacts and leads like `personSchemaFields`. */
export const workplaceSchemaFields = {
  company: optionalText(200),
  jobTitle: optionalText(200),
  departmentId: reference,
  source: source.nullable(),
  assignedTo: reference,
};
export const workplaceDefaults = {
  company: '',
  jobTitle: '',
  departmentId: '',
  source: null,
  assignedTo: '',
} as const;
