import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  crmConflictHandler,
  lostEdits,
  mergeDocumentStates,
  structurallyEqual,
  syncedDocumentsEqual,
} from './merge';

const base = {
  id: 'c1',
  firstName: 'Ada',
  lastName: 'Lovelace',
  email: 'ada@example.com',
  emailKey: 'ada@example.com',
  phone: '1',
  notes: '',
  updatedAt: 1000,
  updatedBy: 'u0',
  createdAt: 500,
  serverRev: 7,
  _deleted: false,
};

describe('syncedDocumentsEqual', () => {
  it('ignores key order, undefined values and RxDB storage keys', () => {
    expect(
      syncedDocumentsEqual(
        { a: 1, b: { x: [1, 2], y: undefined }, _deleted: false, _meta: { lwt: 1 }, _rev: '1-a' },
        { b: { x: [1, 2] }, a: 1, _deleted: false, _meta: { lwt: 2 }, _rev: '2-b', c: undefined },
      ),
    ).toBe(true);
  });

  it('sees every synced field and the deletion flag, not the server revision', () => {
    expect(syncedDocumentsEqual(base, { ...base, notes: 'x' })).toBe(false);
    expect(syncedDocumentsEqual(base, { ...base, serverRev: 8 })).toBe(true);
    expect(syncedDocumentsEqual(base, { ...base, _deleted: true })).toBe(false);
    expect(syncedDocumentsEqual(base, { ...base, value: null })).toBe(false);
    expect(structurallyEqual([1, [2]], [1, [2]])).toBe(true);
    expect(structurallyEqual([1], { 0: 1 })).toBe(false);
  });

  it('is what the conflict handler uses', () => {
    expect(crmConflictHandler.isEqual({ ...base }, { ...base, _meta: { lwt: 3 } } as never, 'test')).toBe(
      true,
    );
  });
});

describe('mergeDocumentStates', () => {
  it('keeps changes of different fields from both sides and takes the master serverRev', () => {
    const local = { ...base, phone: '2', updatedAt: 2000, updatedBy: 'a' };
    const master = { ...base, notes: 'met at fair', updatedAt: 1500, updatedBy: 'b', serverRev: 9 };
    const merged = mergeDocumentStates({
      newDocumentState: local,
      realMasterState: master,
      assumedMasterState: base,
    });
    expect(merged).toMatchObject({
      phone: '2',
      notes: 'met at fair',
      serverRev: 9,
      updatedAt: 2000,
      updatedBy: 'a',
    });
  });

  it('gives a field changed on both sides to the later updatedAt, and to the master on a tie', () => {
    const local = { ...base, phone: 'L', updatedAt: 3000 };
    const master = { ...base, phone: 'M', updatedAt: 2000, serverRev: 9 };
    expect(
      mergeDocumentStates({ newDocumentState: local, realMasterState: master, assumedMasterState: base })
        .phone,
    ).toBe('L');
    expect(
      mergeDocumentStates({
        newDocumentState: { ...local, updatedAt: 1500 },
        realMasterState: master,
        assumedMasterState: base,
      }).phone,
    ).toBe('M');
    expect(
      mergeDocumentStates({
        newDocumentState: { ...local, updatedAt: 2000 },
        realMasterState: master,
        assumedMasterState: base,
      }).phone,
    ).toBe('M');
  });

  it('treats every differing field as changed on both sides when there is no base', () => {
    const local = { ...base, phone: 'L', notes: 'local', updatedAt: 3000 };
    const master = { ...base, phone: 'M', updatedAt: 2000, serverRev: 9 };
    const merged = mergeDocumentStates({
      newDocumentState: local,
      realMasterState: master,
      assumedMasterState: undefined,
    });
    expect(merged).toMatchObject({ phone: 'L', notes: 'local', serverRev: 9 });
  });

  it('recomputes emailKey from the merged email', () => {
    const local = { ...base, email: 'New@Example.com', emailKey: 'new@example.com', updatedAt: 900 };
    const master = { ...base, phone: '5', updatedAt: 2000, serverRev: 9 };
    const merged = mergeDocumentStates({
      newDocumentState: local,
      realMasterState: master,
      assumedMasterState: base,
    });
    expect(merged).toMatchObject({ email: 'New@Example.com', emailKey: 'new@example.com', phone: '5' });
  });

  it('lets a deletion on either side win', () => {
    const editedLocal = { ...base, phone: 'L', updatedAt: 5000 };
    const deletedMaster = { ...base, _deleted: true, updatedAt: 1100, serverRev: 9 };
    expect(
      mergeDocumentStates({
        newDocumentState: editedLocal,
        realMasterState: deletedMaster,
        assumedMasterState: base,
      }),
    ).toEqual(deletedMaster);
    const deletedLocal = { ...base, _deleted: true, updatedAt: 1100 };
    const editedMaster = { ...base, phone: 'M', updatedAt: 5000, serverRev: 9 };
    const merged = mergeDocumentStates({
      newDocumentState: deletedLocal,
      realMasterState: editedMaster,
      assumedMasterState: base,
    });
    expect(merged).toMatchObject({ _deleted: true, serverRev: 9, updatedAt: 5000 });
  });

  it('strips RxDB storage keys from the result', () => {
    const merged = mergeDocumentStates({
      newDocumentState: { ...base, _meta: { lwt: 1 }, _rev: '3-x' },
      realMasterState: { ...base, serverRev: 8 },
      assumedMasterState: base,
    });
    expect(merged).not.toHaveProperty('_meta');
    expect(merged).not.toHaveProperty('_rev');
  });
});

describe('mergeDocumentStates properties', () => {
  const fields = ['firstName', 'phone', 'notes', 'status'] as const;
  const value = fc.constantFrom('a', 'b', 'c');
  const edit = fc.record({
    firstName: fc.option(value, { nil: undefined }),
    phone: fc.option(value, { nil: undefined }),
    notes: fc.option(value, { nil: undefined }),
    status: fc.option(value, { nil: undefined }),
  });
  const scenario = fc.record({
    local: edit,
    master: edit,
    localAt: fc.integer({ min: 1001, max: 1010 }),
    masterAt: fc.integer({ min: 1001, max: 1010 }),
    localDeleted: fc.boolean(),
    masterDeleted: fc.boolean(),
  });
  const start = {
    id: 'c1',
    firstName: 'x',
    phone: 'x',
    notes: 'x',
    status: 'x',
    updatedAt: 1000,
    serverRev: 1,
  };
  const build = (
    changes: Record<string, string | undefined>,
    updatedAt: number,
    serverRev: number,
    deleted: boolean,
  ) => {
    const doc: Record<string, unknown> = { ...start, updatedAt, serverRev, _deleted: deleted };
    for (const [key, changed] of Object.entries(changes)) if (changed !== undefined) doc[key] = changed;
    return doc;
  };

  it('always keeps a change made on one side only', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const local = build(s.local, s.localAt, 1, false);
        const master = build(s.master, s.masterAt, 2, false);
        const merged = mergeDocumentStates({
          newDocumentState: local,
          realMasterState: master,
          assumedMasterState: { ...start, _deleted: false },
        });
        for (const field of fields) {
          if (s.local[field] !== undefined && s.master[field] === undefined)
            expect(merged[field]).toBe(s.local[field]);
          if (s.master[field] !== undefined && s.local[field] === undefined)
            expect(merged[field]).toBe(s.master[field]);
          if (s.local[field] !== undefined && s.master[field] !== undefined) {
            const winner = s.localAt > s.masterAt ? s.local[field] : s.master[field];
            expect(merged[field]).toBe(winner);
          }
        }
        expect(merged.serverRev).toBe(2);
      }),
    );
  });

  it('is commutative on data when timestamps differ, and deterministic', () => {
    fc.assert(
      fc.property(scenario, fc.boolean(), (s, withBase) => {
        fc.pre(s.localAt !== s.masterAt);
        const a = build(s.local, s.localAt, 1, s.localDeleted);
        const b = build(s.master, s.masterAt, 2, s.masterDeleted);
        const assumed = withBase ? { ...start, _deleted: false } : undefined;
        const ab = mergeDocumentStates({
          newDocumentState: a,
          realMasterState: b,
          assumedMasterState: assumed,
        });
        const ba = mergeDocumentStates({
          newDocumentState: b,
          realMasterState: a,
          assumedMasterState: assumed,
        });
        expect(ab._deleted).toBe(ba._deleted);
        if (!ab._deleted) {
          const { serverRev: _ignoredA, ...dataAB } = ab;
          const { serverRev: _ignoredB, ...dataBA } = ba;
          expect(structurallyEqual(dataAB, dataBA)).toBe(true);
        }
        const again = mergeDocumentStates({
          newDocumentState: a,
          realMasterState: b,
          assumedMasterState: assumed,
        });
        expect(again).toEqual(ab);
      }),
    );
  });

  it('never resurrects a deleted document', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        fc.pre(s.localDeleted || s.masterDeleted);
        const merged = mergeDocumentStates({
          newDocumentState: build(s.local, s.localAt, 1, s.localDeleted),
          realMasterState: build(s.master, s.masterAt, 2, s.masterDeleted),
          assumedMasterState: { ...start, _deleted: false },
        });
        expect(merged._deleted).toBe(true);
        expect(merged.serverRev).toBe(2);
      }),
    );
  });

  it('reports every change of this device the merge does not keep as a lost edit, and nothing else', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        fc.pre(!s.localDeleted && !s.masterDeleted);
        const input = {
          newDocumentState: build(s.local, s.localAt, 1, false),
          realMasterState: build(s.master, s.masterAt, 2, false),
          assumedMasterState: { ...start, _deleted: false },
        };
        const merged = mergeDocumentStates(input);
        const expected = fields
          .filter((field) => s.local[field] !== undefined && merged[field] !== s.local[field])
          .map((field) => ({ field, lost: s.local[field], kept: merged[field] }));
        expect(lostEdits(input)).toEqual(expect.arrayContaining(expected));
        expect(lostEdits(input)).toHaveLength(expected.length);
      }),
    );
  });
});

describe('lostEdits', () => {
  const earlier = { ...base, phone: 'mine', updatedAt: 1100, updatedBy: 'u1' };
  const later = { ...base, phone: 'theirs', notes: 'n', updatedAt: 1200, updatedBy: 'u2', serverRev: 8 };

  it('names the field this device changed when the other device changed it later', () => {
    expect(
      lostEdits({ newDocumentState: earlier, realMasterState: later, assumedMasterState: base }),
    ).toEqual([{ field: 'phone', lost: 'mine', kept: 'theirs' }]);
  });

  it("is empty when this device's edit is the later one, without a base, or when either side is deleted", () => {
    const laterMine = { ...earlier, updatedAt: 1300 };
    expect(
      lostEdits({ newDocumentState: laterMine, realMasterState: later, assumedMasterState: base }),
    ).toEqual([]);
    expect(lostEdits({ newDocumentState: earlier, realMasterState: later })).toEqual([]);
    expect(
      lostEdits({
        newDocumentState: earlier,
        realMasterState: { ...later, _deleted: true },
        assumedMasterState: base,
      }),
    ).toEqual([]);
  });
});
