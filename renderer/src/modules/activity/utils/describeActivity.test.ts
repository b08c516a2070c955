import { type Activity, activityDefaults } from '@shared/schemas';
import { describe, expect, it } from 'vitest';
import { type Describers, describeActivity } from './describeActivity';

const people: Record<string, string> = { alice: 'you', bob: 'Bob Baker' };
const describers: Describers = {
  labelOf: (field) => ({ company: 'Company', phone: 'Phone', status: 'Status' })[field] ?? field,
  valueOf: (_field, value) => (value === null ? '' : String(value)),
  personOf: (userId) => people[userId] ?? 'someone',
};

function entry(fields: Partial<Activity>): Activity {
  return {
    ...activityDefaults,
    id: 'a1',
    kind: 'edited',
    createdAt: 1,
    updatedAt: 1,
    updatedBy: 'alice',
    serverRev: 0,
    ...fields,
  } as Activity;
}

describe('describeActivity', () => {
  const lostCompany = [{ field: 'company', before: 'Acme', after: 'Globex' }];

  it('tells the viewer that their edit was replaced, by whom, with both values', () => {
    expect(
      describeActivity(
        entry({ kind: 'replaced', updatedBy: 'alice', replacedBy: 'bob', changes: lostCompany }),
        describers,
      ),
    ).toEqual({
      text: "Your edit of Company was replaced by Bob Baker's later edit",
      changes: ['Company: Acme replaced by Globex'],
    });
  });

  it('tells another viewer whose edit was replaced, and by their own later edit', () => {
    expect(
      describeActivity(
        entry({ kind: 'replaced', updatedBy: 'bob', replacedBy: 'alice', changes: lostCompany }),
        describers,
      ).text,
    ).toBe("Bob Baker's edit of Company was replaced by your later edit");
    expect(
      describeActivity(
        entry({ kind: 'replaced', updatedBy: 'alice', replacedBy: 'alice', changes: lostCompany }),
        describers,
      ).text,
    ).toBe('Your edit of Company was replaced by your later edit on another device');
  });

  it('tells an edit with labels and values, and a stage move in words', () => {
    expect(
      describeActivity(
        entry({
          updatedBy: 'bob',
          changes: [{ field: 'phone', before: '+1 555 0100', after: '+1 555 0199' }],
        }),
        describers,
      ).text,
    ).toBe('Phone: +1 555 0100 → +1 555 0199, by Bob Baker');
    expect(
      describeActivity(
        entry({ changes: [{ field: 'status', before: 'Qualified', after: 'Won' }] }),
        describers,
      ).text,
    ).toBe('Moved from Qualified to Won');
  });
});
