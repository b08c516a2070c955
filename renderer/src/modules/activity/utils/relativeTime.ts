const relativeFormat = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });

const units: { unit: Intl.RelativeTimeFormatUnit; ms: number }[] = [
  { unit: 'year', ms: 365 * 24 * 3600_000 },
  { unit: 'month', ms: 30 * 24 * 3600_000 },
  { unit: 'week', ms: 7 * 24 * 3600_000 },
  { unit: 'day', ms: 24 * 3600_000 },
  { unit: 'hour', ms: 3600_000 },
  { unit: 'minute', ms: 60_000 },
];

/** "just now", "5 minutes ago", "yesterday", … relative to `now` (future times, e.g. skewed clocks, read "in …"). */
export function formatRelativeTime(epochMs: number, now: number, format = relativeFormat): string {
  const elapsed = epochMs - now;
  if (Math.abs(elapsed) < 45_000) return format.format(0, 'second');
  for (const { unit, ms } of units) {
    if (Math.abs(elapsed) >= ms || unit === 'minute') return format.format(Math.round(elapsed / ms), unit);
  }
  return format.format(0, 'second');
}
