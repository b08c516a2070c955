/**
 * Email uniqueness per collection (contacts, leads), checked in the pre hooks of local writes, also for an
 * email the rules will copy into the linked document (so such a write is refused up front instead of
 * leaving the pair half-synced). Checked emails are reserved briefly so that writes running concurrently
 * (e.g. the documents of one bulkInsert) see each other.
 */
import { autoLeadIdFor, type Contact, type Lead } from '@shared/schemas';
import type { RxCollection } from 'rxdb';
import type { CrmDatabase } from '../crm-database';
import { CrmValidationError } from '../errors';
import { perDatabase } from '../per-database';
import type { WriteKind } from './rules';
import { fullName } from './rules';
import { type EmailHolder, emailHolders, findLive, type LinkedCollection } from './storage-reads';
import { storedKeys } from './stored-keys';

const RESERVATION_MS = 10_000;

/** Emails checked but not yet stored (`collection:emailKey`), so concurrent writes (bulkInsert) see them. */
const reservationsOf = perDatabase(() => new Map<string, { id: string; until: number }>());
const reservationKey = (collection: LinkedCollection, emailKey: string) => `${collection}:${emailKey}`;

export async function assertEmailFree(
  db: CrmDatabase,
  collection: LinkedCollection,
  emailKey: string,
  ownerId: string,
  /** The holders query, when the caller started it early. */
  holdersQuery?: Promise<EmailHolder[]>,
): Promise<void> {
  if (!emailKey) return;
  const reservations = reservationsOf(db);
  const key = reservationKey(collection, emailKey);
  const refuseIfReservedByOther = () => {
    const reservation = reservations.get(key);
    if (reservation && reservation.until > Date.now() && reservation.id !== ownerId) {
      throw duplicateEmail(collection, 'another document being saved right now');
    }
    return reservation?.id === ownerId && reservation.until > Date.now();
  };
  if (refuseIfReservedByOther()) return;
  const other = await otherHolder(db, collection, emailKey, ownerId, holdersQuery);
  if (other) throw duplicateEmail(collection, `"${fullName(other)}"`);
  refuseIfReservedByOther();
  reservations.set(key, { id: ownerId, until: Date.now() + RESERVATION_MS });
}

/** A live document other than `ownerId` holding `emailKey`: from the in-memory index once loaded, else from storage. */
async function otherHolder(
  db: CrmDatabase,
  collection: LinkedCollection,
  emailKey: string,
  ownerId: string,
  holdersQuery: Promise<EmailHolder[]> | undefined,
): Promise<EmailHolder | undefined> {
  const index = storedKeys(db);
  if (index) {
    const otherId = [...index[collection].holdersOf(emailKey)].find((id) => id !== ownerId);
    if (otherId === undefined) return undefined;
    // Read only to name the holder in the refusal.
    const holder = await findLive<EmailHolder>(
      db[collection] as unknown as RxCollection<EmailHolder>,
      otherId,
    );
    if (holder) return holder;
  }
  const holders = await (holdersQuery ?? emailHolders(db, collection, emailKey));
  return holders.find((doc) => doc.id !== ownerId);
}

/**
 * Starts the uniqueness check of a user write's own email (inserts, and updates that change it). The
 * caught copy only prevents an "unhandled rejection" report while other reads run; the caller awaits the
 * original promise, which still rejects.
 */
export function startEmailCheck(
  db: CrmDatabase,
  collection: LinkedCollection,
  kind: WriteKind,
  data: { id: string; emailKey: string },
  previous: { emailKey: string } | undefined,
): Promise<void> | undefined {
  if (kind === 'remove' || (kind === 'update' && data.emailKey === previous?.emailKey)) return undefined;
  const check = assertEmailFree(db, collection, data.emailKey, data.id);
  check.catch(() => undefined);
  return check;
}

/** Ends the reservation of `emailKey` by `ownerId` (its write is stored, or refused). */
export function releaseEmail(
  db: CrmDatabase,
  collection: LinkedCollection,
  emailKey: string,
  ownerId: string,
): void {
  const reservations = reservationsOf(db);
  const key = reservationKey(collection, emailKey);
  if (reservations.get(key)?.id === ownerId) reservations.delete(key);
}

/**
 * A refused write must not keep its email reserved (a corrected retry under another id would be refused):
 * releases its own reservation and the one made for the linked document its rules would have written.
 */
export function releaseEmailsOfRefusedWrite(db: CrmDatabase, data: Contact | Lead): void {
  const linkedIds = 'leadId' in data ? [data.leadId, autoLeadIdFor(data.id)] : [data.contactId];
  const ownCollection: LinkedCollection = 'leadId' in data ? 'contacts' : 'leads';
  const otherCollection: LinkedCollection = ownCollection === 'contacts' ? 'leads' : 'contacts';
  const reservations = reservationsOf(db);
  releaseEmail(db, ownCollection, data.emailKey, data.id);
  const otherKey = reservationKey(otherCollection, data.emailKey);
  const other = reservations.get(otherKey);
  if (other && linkedIds.some((id) => id && other.id.startsWith(id))) reservations.delete(otherKey);
}

function duplicateEmail(collection: LinkedCollection, holder: string): CrmValidationError {
  const kind = collection === 'contacts' ? 'contact' : 'lead';
  return new CrmValidationError('duplicate-email', [
    { field: 'email', message: `This email is already used by ${kind} ${holder}` },
  ]);
}
