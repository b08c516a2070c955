import type { Contact } from '@shared/schemas';
import type { CrmDatabase } from '@shared/sync';
import { createTestDatabase } from '@testing/database';
import { filter, firstValueFrom } from 'rxjs';
import { afterEach, describe, expect, it } from 'vitest';
import { SearchIndex } from './searchIndex';

let db: CrmDatabase | null = null;
afterEach(async () => {
  await db?.close();
  db = null;
});

async function openDatabase(): Promise<CrmDatabase> {
  db = await createTestDatabase();
  return db;
}

const fields = ['firstName', 'lastName', 'email', 'company'];

describe('SearchIndex', () => {
  it('loads stored records across pages and matches every word, case-insensitively, within fields', async () => {
    const database = await openDatabase();
    await database.contacts.bulkInsert(
      Array.from({ length: 25 }, (_, n) => ({
        id: `c-${String(n).padStart(5, '0')}`,
        firstName: `First${n}`,
        lastName: n === 7 ? 'Lovelace' : `Last${n}`,
        company: n === 7 ? 'Analytical Engines' : '',
        status: 'Active',
      })) as Contact[],
    );
    const index = new SearchIndex(database.contacts as never, fields, 10);
    await firstValueFrom(index.ready$.pipe(filter(Boolean)));

    expect(index.match('first24')).toEqual(['c-00024']);
    expect(index.match('first1').length).toBe(11);
    expect(index.match('LOVE analytical')).toEqual(['c-00007']);
    expect(index.match('ovel')).toEqual(['c-00007']);
    // Words never match across two fields joined together.
    expect(index.match('lovelaceanalytical')).toEqual([]);
    expect(index.match('nobody')).toEqual([]);
  });

  it('follows inserts, edits and deletions made after loading', async () => {
    const database = await openDatabase();
    const index = new SearchIndex(database.contacts as never, fields);
    await firstValueFrom(index.ready$.pipe(filter(Boolean)));

    const grace = await database.contacts.insert({
      id: 'g',
      firstName: 'Grace',
      status: 'Active',
    } as Contact);
    expect(index.match('grace')).toEqual(['g']);
    await grace.incrementalPatch({ company: 'US Navy' });
    expect(index.match('navy')).toEqual(['g']);
    await (await database.contacts.findOne('g').exec())?.remove();
    expect(index.match('grace')).toEqual([]);
  });
});
