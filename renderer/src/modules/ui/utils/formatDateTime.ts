const dateTimeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

export function formatDateTime(epochMs: number | null): string {
  return epochMs === null ? '' : dateTimeFormat.format(epochMs);
}
