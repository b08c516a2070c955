import { describe, expect, it } from 'vitest';
import { formatRelativeTime } from './relativeTime';

const english = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });
const now = Date.UTC(2026, 10, 26, 12, 0, 0);
const relative = (deltaMs: number) => formatRelativeTime(now + deltaMs, now, english);

describe('formatRelativeTime', () => {
  it('says now for the last seconds', () => {
    expect(relative(0)).toBe('now');
    expect(relative(-30_000)).toBe('now');
  });

  it('picks the largest unit that fits', () => {
    expect(relative(-60_000)).toBe('1 minute ago');
    expect(relative(-5 * 60_000)).toBe('5 minutes ago');
    expect(relative(-3 * 3600_000)).toBe('3 hours ago');
    expect(relative(-24 * 3600_000)).toBe('yesterday');
    expect(relative(-10 * 24 * 3600_000)).toBe('last week');
    expect(relative(-400 * 24 * 3600_000)).toBe('last year');
  });

  it('reads future times (another device’s clock ahead) as future', () => {
    expect(relative(2 * 3600_000)).toBe('in 2 hours');
  });
});
