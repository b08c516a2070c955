import { z } from 'zod';

/** Fields every synced document carries; the database layer fills them when a caller leaves them out. */
export const ID_MAX = 128;
export const EMAIL_MAX = 254;

export const documentId = z.string().trim().min(1, 'Id is required').max(ID_MAX);
/** A reference to another document; `''` means "not linked" (RxDB cannot index a nullable field). */
export const reference = z.string().max(ID_MAX);
export const epochMs = z.number().int().min(0).max(8_640_000_000_000_000);

export const baseFields = {
  id: documentId,
  createdAt: epochMs,
  updatedAt: epochMs,
  updatedBy: z.string().max(ID_MAX),
  /**
   * Sequence number of the server version this document is based on (0: never acknowledged).
   * The server detects push conflicts by comparing it with its current one.
   */
  serverRev: z.number().int().min(0),
};

/** Keys the database layer manages itself; a caller may omit them. */
export const managedKeys = ['createdAt', 'updatedAt', 'updatedBy', 'serverRev'] as const;

export const optionalText = (max: number) => z.string().trim().max(max, `At most ${max} characters`);

/** Empty, or a syntactically valid address. Stored trimmed; compared case-insensitively through `emailKey`. */
export const email = z
  .string()
  .trim()
  .max(EMAIL_MAX, `At most ${EMAIL_MAX} characters`)
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
