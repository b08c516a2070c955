import { describe, expect, it } from 'vitest';
import { newSyncProblem } from './syncProblems';

const calm = { error: null, issueIds: ['issue:a'] };

describe('newSyncProblem', () => {
  it('says nothing when no problem is new', () => {
    expect(newSyncProblem(calm, calm)).toBeNull();
    expect(newSyncProblem(calm, { error: null, issueIds: [] })).toBeNull();
  });

  it('tells a new sync error once, in words, with the way to Settings', () => {
    const refused = { error: 'The server refused the access token', issueIds: ['issue:a'] };
    expect(newSyncProblem(calm, refused)).toEqual({
      message: 'Sync stopped: The server refused the access token. Your work is kept on this device.',
      severity: 'error',
      path: '/settings',
      actionLabel: 'Settings',
    });
    expect(newSyncProblem(refused, refused)).toBeNull();
  });

  it('counts only the records that need attention since last time', () => {
    expect(newSyncProblem(calm, { error: null, issueIds: ['issue:a', 'issue:b'] })).toMatchObject({
      message: 'A record needs your attention after sync.',
      path: '/sync-issues',
    });
    expect(newSyncProblem(calm, { error: null, issueIds: ['rule:x', 'issue:b', 'issue:c'] })?.message).toBe(
      '3 records need your attention after sync.',
    );
  });
});
