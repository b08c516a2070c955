const timeFormat = new Intl.DateTimeFormat(undefined, { timeStyle: 'short' });
const dateFormat = new Intl.DateTimeFormat(undefined, { weekday: 'short', day: 'numeric', month: 'short' });
const dateWithYearFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });

function startOfDay(epochMs: number): number {
  const day = new Date(epochMs);
  day.setHours(0, 0, 0, 0);
  return day.getTime();
}

/** End of the local day containing `now`: what "due today" means. */
export function endOfDay(now: number): number {
  const day = new Date(startOfDay(now));
  day.setDate(day.getDate() + 1);
  return day.getTime() - 1;
}

/** "Today 14:00", "Tomorrow 09:30", "Yesterday 16:00", "Mon 3 Feb 10:00", "3 Feb 2031 10:00". */
export function formatDue(dueAt: number, now: number): string {
  const days = Math.round((startOfDay(dueAt) - startOfDay(now)) / 86_400_000);
  const time = timeFormat.format(dueAt);
  if (days === 0) return `Today ${time}`;
  if (days === 1) return `Tomorrow ${time}`;
  if (days === -1) return `Yesterday ${time}`;
  const sameYear = new Date(dueAt).getFullYear() === new Date(now).getFullYear();
  return `${(sameYear ? dateFormat : dateWithYearFormat).format(dueAt)} ${time}`;
}

export function isOverdue(dueAt: number, now: number): boolean {
  return dueAt > 0 && dueAt < now;
}
