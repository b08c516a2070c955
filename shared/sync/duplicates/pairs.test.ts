import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type DuplicateCandidate,
  defaultMergeValues,
  defaultSurvivor,
  findDuplicatePairs,
  pairIdOf,
  pairOf,
  reasonsOf,
} from './pairs';

const record = (id: string, fields: Record<string, unknown> = {}): DuplicateCandidate => ({
  id,
  createdAt: 1,
  updatedAt: 1,
  firstName: 'Someone',
  lastName: id,
  ...fields,
});

describe('duplicate reasons', () => {
  it('same email, trimmed and case-insensitive, is certain', () => {
    const pair = pairOf(
      'contacts',
      record('b', { email: ' Ada@Example.org ' }),
      record('a', { email: 'ada@example.org' }),
    );
    expect(pair).toEqual({
      id: 'contacts:a:b',
      collection: 'contacts',
      ids: ['a', 'b'],
      reasons: ['same-email'],
      certainty: 'certain',
    });
  });

  it('same name and company, accent-, case- and space-insensitive, is likely', () => {
    const a = record('a', { firstName: 'Élodie', lastName: 'Durand', company: 'Café  Noir' });
    const b = record('b', { firstName: 'ELODIE', lastName: 'durand', company: 'cafe noir' });
    expect(pairOf('leads', a, b)).toMatchObject({ reasons: ['same-name-company'], certainty: 'likely' });
  });

  it('a name without a company is not enough', () => {
    expect(reasonsOf(record('a', { firstName: 'Ada' }), record('b', { firstName: 'Ada' }))).toEqual([]);
  });

  it('same phone digits (a contact without phone by its mobile) is likely; short numbers are not compared', () => {
    const a = record('a', { phone: '+44 20 7946 0018' });
    const b = record('b', { phone: '', mobile: '(0044) 20-7946-0018' });
    expect(reasonsOf(a, b)).toEqual(['same-phone']);
    expect(reasonsOf(record('a', { phone: '112' }), record('b', { phone: '1-1-2' }))).toEqual([]);
  });

  it('lists every reason, email first; deleted and merged-away records take no part', () => {
    const a = record('a', { email: 'x@y.z', company: 'Acme', phone: '5550100123' });
    const b = record('b', { email: 'X@y.z', company: 'ACME', phone: '555 010 0123', lastName: 'a' });
    expect(reasonsOf({ ...a, lastName: 'a' }, b)).toEqual(['same-email', 'same-name-company', 'same-phone']);
    expect(reasonsOf(a, { ...b, _deleted: true })).toEqual([]);
    expect(reasonsOf(a, { ...b, mergedInto: 'c' })).toEqual([]);
  });
});

describe('findDuplicatePairs', () => {
  it('lists each pair once, in id order, without dismissed pairs', () => {
    const records = [
      record('c', { email: 'same@x.io' }),
      record('a', { email: 'same@x.io', phone: '5550100123' }),
      record('b', { email: 'SAME@x.io', phone: '5550100123' }),
      record('d', { email: 'other@x.io' }),
    ];
    expect(findDuplicatePairs('contacts', records).map((pair) => [pair.id, pair.reasons])).toEqual([
      ['contacts:a:b', ['same-email', 'same-phone']],
      ['contacts:a:c', ['same-email']],
      ['contacts:b:c', ['same-email']],
    ]);
    const dismissed = new Set([pairIdOf('contacts', 'c', 'a')]);
    expect(findDuplicatePairs('contacts', records, (id) => dismissed.has(id)).map((pair) => pair.id)).toEqual(
      ['contacts:a:b', 'contacts:b:c'],
    );
  });

  // Few distinct values, so random records collide often.
  const arbitraryRecord = fc.record({
    id: fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f'),
    createdAt: fc.integer({ min: 0, max: 3 }),
    firstName: fc.constantFrom('Ada', 'ADA', 'Adà', 'Bob'),
    lastName: fc.constantFrom('', 'Lovelace'),
    company: fc.constantFrom('', 'Acme', 'ACME '),
    email: fc.constantFrom('', 'ada@x.io', ' Ada@X.io', 'bob@x.io'),
    phone: fc.constantFrom('', '+1 555 0100 123', '15550100123', '123'),
    _deleted: fc.boolean(),
  });
  const arbitraryRecords = fc.uniqueArray(arbitraryRecord, { selector: (r) => r.id, maxLength: 6 });

  it('property: the same pairs as comparing every two records, whatever their order', () => {
    fc.assert(
      fc.property(arbitraryRecords, fc.func<[string], boolean>(fc.boolean()), (records, dismiss) => {
        const isDismissed = (id: string) => dismiss(id);
        const expected = [];
        for (const [i, a] of records.entries()) {
          for (const b of records.slice(i + 1)) {
            const pair = pairOf('contacts', a, b);
            if (pair && !isDismissed(pair.id)) expected.push(pair);
          }
        }
        expected.sort((x, y) => (x.id < y.id ? -1 : 1));
        expect(findDuplicatePairs('contacts', records, isDismissed)).toEqual(expected);
        expect(findDuplicatePairs('contacts', [...records].reverse(), isDismissed)).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });
});

describe('merge defaults', () => {
  it('the older record survives, ties by the smaller id', () => {
    expect(defaultSurvivor(record('b', { createdAt: 1 }), record('a', { createdAt: 2 })).id).toBe('b');
    expect(defaultSurvivor(record('b'), record('a')).id).toBe('a');
  });

  it('each differing field defaults to the more recently updated non-empty value', () => {
    const older = record('a', {
      createdAt: 1,
      updatedAt: 5,
      phone: '111',
      company: 'Old Co',
      jobTitle: 'CEO',
    });
    const newer = record('b', { createdAt: 2, updatedAt: 9, phone: '222', company: '', jobTitle: 'CEO' });
    expect(defaultMergeValues(older, newer, ['phone', 'company', 'jobTitle'])).toEqual({
      phone: '222',
      company: 'Old Co',
    });
    expect(defaultMergeValues(newer, older, ['phone', 'company', 'jobTitle'])).toEqual({
      phone: '222',
      company: 'Old Co',
    });
  });
});
