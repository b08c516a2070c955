import { type Me, meSchema } from '@shared/schemas';
import type { CrmDatabase } from '@shared/sync';

/**
 * Who uses this device, as the sync server knows them (GET /api/me). Kept in an RxDB local document so
 * writes made offline after a restart are still attributed (updatedBy) to the right team member.
 */
const CURRENT_USER_DOC = 'fieldbook-current-user';

export async function restoreCurrentUser(db: CrmDatabase): Promise<void> {
  const stored = await db.getLocal<Me>(CURRENT_USER_DOC);
  const userId = stored?.get('userId') as string | undefined;
  if (userId) db.crm.userId = userId;
}

export async function refreshCurrentUser(db: CrmDatabase, serverUrl: string, token: string): Promise<Me> {
  const response = await fetch(`${serverUrl}/api/me`, { headers: { Authorization: `Bearer ${token}` } });
  if (!response.ok)
    throw new Error(`the server answered ${response.status} ${response.statusText} to /api/me`);
  const me = meSchema.parse(await response.json());
  db.crm.userId = me.userId;
  await db.upsertLocal<Me>(CURRENT_USER_DOC, me);
  return me;
}
