import { describe, expect, it } from 'vitest';
import { endOfDay, formatDue, isOverdue } from './formatDue';

const at = (day: number, hour: number, minute = 0) => new Date(2030, 0, day, hour, minute).getTime();

describe('formatDue', () => {
  it('names today, tomorrow and yesterday, and dates further away', () => {
    const now = at(15, 12);
    expect(formatDue(at(15, 14), now)).toMatch(/^Today /);
    expect(formatDue(at(16, 9, 30), now)).toMatch(/^Tomorrow /);
    expect(formatDue(at(14, 16), now)).toMatch(/^Yesterday /);
    expect(formatDue(at(20, 10), now)).not.toMatch(/Today|Tomorrow|Yesterday/);
  });

  it('counts work as overdue once its time has passed, and today until midnight', () => {
    const now = at(15, 12);
    expect(isOverdue(at(15, 11), now)).toBe(true);
    expect(isOverdue(at(15, 13), now)).toBe(false);
    expect(isOverdue(0, now)).toBe(false);
    expect(endOfDay(now)).toBe(at(16, 0) - 1);
  });
});
