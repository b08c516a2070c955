import { describe, expect, it } from 'vitest';
import {
  boardOrderKey,
  deriveLocalFields,
  foldText,
  personSortKey,
  refreshDerivedFields,
  valueSortKey,
} from './derived-fields';

/** Names from real CRM exports that code-point order got wrong (issue 10). */
const people: [first: string, last: string][] = [
  ['Zoë', 'Adams'],
  ['Élodie', 'Martin'],
  ['Elodie', 'Martin'],
  ['Aoife', 'Ó Súilleabháin'],
  ['Pieter', 'van der Berg'],
  ['Hana', 'Yamamoto'],
  ['Thi', 'Nguyễn'],
  ['Lan', 'Nguyen'],
  ['Łukasz', 'Łukaszewski'],
  ['Lars', 'Lund'],
  ['Søren', 'Østergaard'],
  ['Ola', 'Olsen'],
  ['Jürgen', 'Müller'],
  ['Max', 'Mueller'],
  ['Madonna', ''],
  ['Ana', 'Berg'],
  ['Al', 'Berg Al'],
  ['Zed', 'Berg'],
  ['Çelik', 'Çelik'],
  ['Cem', 'Celik'],
  ['Chloé', "O'Brien"],
  ['Ömer', 'Öztürk'],
  ['Ulla', 'Ozturk'],
  ['Straße', 'Strasse'],
];

describe('foldText', () => {
  it('removes case and accents both ways', () => {
    expect(foldText('Élodie')).toBe(foldText('elodie'));
    expect(foldText('NGUYỄN')).toBe('nguyen');
    expect(foldText('Łukasz Østergaard')).toBe('lukasz ostergaard');
    expect(foldText('Straße')).toBe('strasse');
    expect(foldText('  two\t spaces\u0000 ')).toBe('two spaces');
  });
});

describe('personSortKey', () => {
  it('orders people as Intl.Collator orders family name, then given name', () => {
    const collator = new Intl.Collator('en', { sensitivity: 'base' });
    const family = ([first, last]: [string, string]) => (last === '' ? first : last);
    const given = ([first, last]: [string, string]) => (last === '' ? '' : first);
    const byCollator = [...people].sort(
      (a, b) => collator.compare(family(a), family(b)) || collator.compare(given(a), given(b)),
    );
    const byKey = [...people].sort((a, b) => {
      const keyA = personSortKey(a[0], a[1]);
      const keyB = personSortKey(b[0], b[1]);
      return keyA < keyB ? -1 : keyA > keyB ? 1 : 0;
    });
    // Ties at the collator's base strength (Élodie / Elodie Martin) may come in either order.
    const strip = (list: [string, string][]) => list.map(([first, last]) => foldText(`${last}, ${first}`));
    expect(strip(byKey)).toEqual(strip(byCollator));
    expect(byKey.findIndex(([, last]) => last === 'van der Berg')).toBeLessThan(
      byKey.findIndex(([, last]) => last === 'Yamamoto'),
    );
  });
});

describe('derived fields', () => {
  it('fills the sort keys of a lead and keeps unplaced cards after placed ones, newest first', () => {
    const lead = deriveLocalFields('leads', {
      firstName: 'Élodie',
      lastName: 'Martin',
      email: ' Elodie@Example.COM ',
      company: 'Ça Va SARL',
      value: 12.5,
      position: '',
      createdAt: 2000,
    } as Record<string, unknown>);
    expect(lead).toMatchObject({
      emailKey: 'elodie@example.com',
      nameSortKey: personSortKey('Elodie', 'martin'),
      companySortKey: 'ca va sarl',
      valueSortKey: 1250,
    });
    expect(valueSortKey(null)).toBeLessThan(valueSortKey(0));
    const placed = boardOrderKey('a0', 1);
    const older = boardOrderKey('', 1000);
    const newer = boardOrderKey('', 2000);
    expect([older, placed, newer].sort()).toEqual([placed, newer, older]);
  });

  it('recomputes the keys a merged document carries', () => {
    const merged = refreshDerivedFields({ firstName: 'Ana', lastName: 'Öztürk', nameSortKey: 'stale' });
    expect(merged.nameSortKey).toBe(personSortKey('Ana', 'Ozturk'));
    expect(merged).not.toHaveProperty('boardOrder');
  });
});
