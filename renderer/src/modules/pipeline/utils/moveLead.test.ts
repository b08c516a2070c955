import { autoLeadIdFor } from '@shared/schemas';
import { type CrmDatabase, whenRulesSettled } from '@shared/sync';
import { createTestDatabase } from '@testing/database';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { columnQuery, compareCards, planPositions } from './board';
import { moveLead } from './moveLead';

describe('moveLead against the database layer', () => {
  let db: CrmDatabase;
  beforeEach(async () => {
    db = await createTestDatabase();
  });
  afterEach(async () => {
    await db?.close();
  });

  async function wonColumn() {
    return (await db.leads.find(columnQuery('Won', {}, null, 1000)).exec()).map((doc) => doc.toJSON());
  }

  it('writes status and position at once; the linked contact follows (R6)', async () => {
    await db.contacts.insert({ id: 'c1', firstName: 'Pia', status: 'Lead' } as never);
    await db.leads.insert({ id: 'w1', firstName: 'Won one', status: 'Won', position: 'a0' } as never);
    await db.leads.insert({ id: 'w2', firstName: 'Won two', status: 'Won', position: 'a1' } as never);
    const leadId = autoLeadIdFor('c1');

    const positions = planPositions(await wonColumn(), leadId, 1);
    await moveLead(db, { leadId, status: 'Won', positions });
    // incrementalPatch resolves before the rule's linked write; the board does not wait for it either.
    await whenRulesSettled(db);

    expect((await wonColumn()).map((lead) => lead.id)).toEqual(['w1', leadId, 'w2']);
    const contact = await db.contacts.findOne('c1').exec();
    expect(contact?.status).toBe('Active');
    expect(contact?.isConvertedFromLead).toBe(true);
  });

  it('keys unpositioned neighbours so the shown order is stored', async () => {
    await db.leads.insert({ id: 'u1', firstName: 'A', status: 'Won', createdAt: 1 } as never);
    await db.leads.insert({ id: 'u2', firstName: 'B', status: 'Won', createdAt: 2 } as never);
    await db.leads.insert({ id: 'm', firstName: 'M', status: 'New' } as never);

    // Unplaced cards show newest first: u2, u1. Dropping between them keys u2 and the moved card.
    expect((await wonColumn()).map((lead) => lead.id)).toEqual(['u2', 'u1']);
    await moveLead(db, { leadId: 'm', status: 'Won', positions: planPositions(await wonColumn(), 'm', 1) });

    const column = await wonColumn();
    expect(column.map((lead) => lead.id)).toEqual(['u2', 'm', 'u1']);
    expect(column.map((lead) => lead.position === '')).toEqual([false, false, true]);
    expect([...column].sort(compareCards)).toEqual(column);
  });

  it('rejects with words when the lead is gone (deleted on another device)', async () => {
    await expect(
      moveLead(db, { leadId: 'gone', status: 'Won', positions: [{ id: 'gone', position: 'a0' }] }),
    ).rejects.toThrow('This lead no longer exists');
  });
});
