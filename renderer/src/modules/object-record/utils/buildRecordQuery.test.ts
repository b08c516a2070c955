import { describe, expect, it } from 'vitest';
import { buildRecordQuery } from './buildRecordQuery';

const base = {
  searchFields: ['firstName', 'lastName'],
  sortFields: { name: ['lastName', 'firstName'], updatedAt: ['updatedAt'] },
  countableFilters: ['status'],
  sort: { key: 'name', direction: 'asc' as const },
};

describe('buildRecordQuery', () => {
  it('without search or filters selects everything, sorted by the index fields, and can be counted', () => {
    const { query, countSelector } = buildRecordQuery({ ...base, search: '  ', filters: { status: '' } });
    expect(query.selector).toEqual({});
    expect(query.sort).toEqual([{ lastName: 'asc' }, { firstName: 'asc' }, { id: 'asc' }]);
    expect(countSelector).toEqual({});
  });

  it('requires every search word in some field, escaping regex characters', () => {
    const { query, countSelector } = buildRecordQuery({ ...base, search: 'Ada  l.v', filters: {} });
    expect(query.selector).toEqual({
      $and: [
        {
          $or: [
            { firstName: { $regex: 'Ada', $options: 'i' } },
            { lastName: { $regex: 'Ada', $options: 'i' } },
          ],
        },
        {
          $or: [
            { firstName: { $regex: 'l\\.v', $options: 'i' } },
            { lastName: { $regex: 'l\\.v', $options: 'i' } },
          ],
        },
      ],
    });
    expect(countSelector).toBeNull();
  });

  it('counts an indexed filter but not an unindexed one', () => {
    expect(buildRecordQuery({ ...base, search: '', filters: { status: 'Lead' } }).countSelector).toEqual({
      status: { $eq: 'Lead' },
    });
    expect(
      buildRecordQuery({ ...base, search: '', filters: { source: 'Website' } }).countSelector,
    ).toBeNull();
  });

  it('applies the sort direction to every field of the sort key and to the id after them', () => {
    const { query } = buildRecordQuery({
      ...base,
      sort: { key: 'name', direction: 'desc' },
      search: '',
      filters: {},
    });
    expect(query.sort).toEqual([{ lastName: 'desc' }, { firstName: 'desc' }, { id: 'desc' }]);
  });
});
