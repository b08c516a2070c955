import { createTestDatabase } from '@testing/database';
import { StorageOperationLog } from '@testing/storage-operations';
import { filter, firstValueFrom } from 'rxjs';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { CrmDatabase } from './database';
import { localList } from './local-list';

type Note = { id: string; at: number; text: string };

let db: CrmDatabase;
beforeEach(async () => {
  db = await createTestDatabase();
});
afterEach(async () => {
  await db.close();
});

const texts = (notes: Note[]) => notes.map((note) => note.text);

describe('local list', () => {
  test('items are kept oldest first; an item with the same id replaces the earlier one', async () => {
    const notes = localList<Note>(db, 'notes');
    await notes.add({ id: 'b', at: 2, text: 'second' });
    await notes.add({ id: 'a', at: 1, text: 'first' });
    await notes.add({ id: 'b', at: 3, text: 'second, again' });
    expect(texts(await notes.all())).toEqual(['first', 'second, again']);
    expect(await notes.get('a')).toEqual({ id: 'a', at: 1, text: 'first' });
    expect(await notes.get('missing')).toBeUndefined();
  });

  test('concurrent adds and dismissals each keep their effect (no lost update)', async () => {
    const notes = localList<Note>(db, 'notes');
    await notes.add({ id: 'old', at: 0, text: 'old' });
    await Promise.all([
      ...Array.from({ length: 20 }, (_, index) =>
        notes.add({ id: `n${index}`, at: index + 1, text: `n${index}` }),
      ),
      notes.remove(['old']),
    ]);
    expect(texts(await notes.all())).toEqual(Array.from({ length: 20 }, (_, index) => `n${index}`));
  });

  test('dismissing one item leaves the others; unknown ids are ignored; clear empties only this list', async () => {
    const notes = localList<Note>(db, 'notes');
    const other = localList<Note>(db, 'other');
    await notes.add({ id: 'a', at: 1, text: 'a' });
    await notes.add({ id: 'b', at: 2, text: 'b' });
    await other.add({ id: 'a', at: 1, text: 'other a' });
    await notes.remove(['a', 'never-stored']);
    expect(texts(await notes.all())).toEqual(['b']);
    await notes.clear();
    expect(await notes.all()).toEqual([]);
    expect(texts(await other.all())).toEqual(['other a']);
  });

  test('`replaces` drops matching items, and the oldest go beyond maxItems', async () => {
    const notes = localList<Note>(db, 'notes', { maxItems: 3 });
    for (let index = 1; index <= 4; index++)
      await notes.add({ id: `n${index}`, at: index, text: `n${index}` });
    expect(texts(await notes.all())).toEqual(['n2', 'n3', 'n4']);
    await notes.add({ id: 'n5', at: 5, text: 'n3 again' }, (existing) => existing.text === 'n3');
    expect(texts(await notes.all())).toEqual(['n2', 'n4', 'n3 again']);
  });

  test('items$ emits the current list and every change', async () => {
    const notes = localList<Note>(db, 'notes');
    await notes.add({ id: 'a', at: 1, text: 'a' });
    expect(texts(await firstValueFrom(notes.items$))).toEqual(['a']);
    const afterDismiss = firstValueFrom(notes.items$.pipe(filter((items) => items.length === 0)));
    await notes.remove(['a']);
    expect(await afterDismiss).toEqual([]);
  });
  test('addAll stores many items in one storage write, replacing same ids; dismissing many is one write too', async () => {
    const log = new StorageOperationLog();
    const counted = await createTestDatabase({ wrapStorage: (storage) => log.wrap(storage) });
    try {
      const notes = localList<Note>(counted, 'notes');
      const localWrites = () =>
        log.total('bulkWrite', (label) => label.startsWith('plugin-local-documents')).calls;
      const start = localWrites();
      await notes.add({ id: 'n0', at: 0, text: 'before' });
      // The storage calls of one item's write: 300 items cost no more.
      const oneWrite = localWrites() - start;
      const seen = firstValueFrom(notes.items$.pipe(filter((items) => items.length === 300)));
      const before = localWrites();
      await notes.addAll(
        Array.from({ length: 300 }, (_, index) => ({ id: `n${index}`, at: index, text: `n${index}` })),
      );
      expect(localWrites() - before).toBe(oneWrite);
      expect(texts(await seen).slice(0, 2)).toEqual(['n0', 'n1']);
      expect(await notes.get('n0')).toEqual({ id: 'n0', at: 0, text: 'n0' });
      const afterAdd = localWrites();
      await notes.remove(Array.from({ length: 299 }, (_, index) => `n${index}`));
      expect(localWrites() - afterAdd).toBe(oneWrite);
      expect(texts(await notes.all())).toEqual(['n299']);
      await notes.addAll([{ id: 'n5', at: 5, text: 'back' }]);
      expect(texts(await notes.all())).toEqual(['back', 'n299']);
    } finally {
      await counted.close();
    }
  });

  test('a list used while its database closes (the rule engine settling in onClose) reads empty and writes nothing, instead of throwing LD8', async () => {
    const closing = await createTestDatabase({ name: 'closing' });
    const notes = localList<Note>(closing, 'notes');
    await notes.add({ id: 'kept', at: 1, text: 'kept' });
    let during: unknown[] = [];
    // RxDB has already dropped the local-document state when the onClose callbacks run.
    closing.onClose.push(async () => {
      during = await Promise.all([
        notes.all(),
        notes.get('kept'),
        notes.add({ id: 'late', at: 2, text: 'late' }),
        notes.addAll([{ id: 'later', at: 3, text: 'later' }]),
        notes.remove(['kept']),
      ]);
    });
    await closing.close();
    expect(during).toEqual([[], undefined, undefined, undefined, undefined]);
  });
});
