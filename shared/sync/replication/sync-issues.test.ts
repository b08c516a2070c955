import type { Contact } from '@shared/schemas';
import { createTestDatabase } from '@testing/database';
import { firstValueFrom } from 'rxjs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CrmDatabase } from '../database';
import {
  clearRejected,
  dismissSyncIssue,
  recordDeletedWhileEdited,
  recordRejected,
  restoreDeletedFromIssue,
  syncIssues$,
} from './sync-issues';

describe('sync issues', () => {
  let db: CrmDatabase;
  beforeEach(async () => {
    db = await createTestDatabase({ userId: 'tester' });
  });
  afterEach(async () => {
    await db.close();
  });

  const issues = () => firstValueFrom(syncIssues$(db));

  it('keeps one rejected issue per document and clears it once the server accepts the document', async () => {
    const rejected = { id: 'c1', reason: 'Invalid contacts document: firstName: required', issues: [] };
    await recordRejected(db, 'contacts', rejected, { id: 'c1', firstName: '' });
    await recordRejected(db, 'contacts', { ...rejected, reason: 'again' }, { id: 'c1', firstName: ' ' });
    await recordRejected(db, 'leads', { id: 'c1', reason: 'other collection', issues: [] }, { id: 'c1' });
    expect((await issues()).map((issue) => [issue.collection, issue.reason])).toEqual([
      ['contacts', 'again'],
      ['leads', 'other collection'],
    ]);

    await clearRejected(db, 'contacts', ['c1', 'unrelated']);
    expect((await issues()).map((issue) => issue.collection)).toEqual(['leads']);
  });

  it('restores an edit that met a deletion as a new, unlinked record through the local write path', async () => {
    const lost = {
      id: 'c1',
      firstName: 'Ada',
      status: 'Lead',
      phone: '777',
      leadId: 'lead-c1',
      isConvertedFromLead: true,
      serverRev: 12,
      updatedAt: 5,
      updatedBy: 'someone',
      emailKey: '',
      _deleted: false,
    };
    await recordDeletedWhileEdited(db, 'contacts', lost);
    await recordDeletedWhileEdited(db, 'contacts', lost); // a repeated push meets the same tombstone: one issue
    const [issue] = await issues();
    expect(issue).toMatchObject({
      kind: 'deleted-while-edited',
      documentId: 'c1',
      localState: { phone: '777' },
    });

    const restoredId = await restoreDeletedFromIssue(db, issue!.id);
    expect(restoredId).not.toBe('c1');
    const restored = (await db.contacts.findOne(restoredId).exec())!.toJSON() as Contact;
    expect(restored).toMatchObject({ firstName: 'Ada', phone: '777', serverRev: 0, updatedBy: 'tester' });
    expect(restored.isConvertedFromLead).toBe(false);
    // The local write ran the link rules: a contact in Lead gets its own lead again (R1).
    expect(restored.leadId).not.toBe('');
    expect(restored.leadId).not.toBe('lead-c1');
    expect(await issues()).toEqual([]);
  });

  it('refuses to restore what is not a restorable issue, and dismisses issues', async () => {
    await recordRejected(db, 'contacts', { id: 'x', reason: 'bad', issues: [] }, { id: 'x' });
    const [issue] = await issues();
    await expect(restoreDeletedFromIssue(db, issue!.id)).rejects.toMatchObject({ reason: 'not-found' });
    await expect(restoreDeletedFromIssue(db, 'missing')).rejects.toMatchObject({ reason: 'not-found' });
    await dismissSyncIssue(db, issue!.id);
    expect(await issues()).toEqual([]);
  });
});
