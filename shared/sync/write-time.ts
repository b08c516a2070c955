/** The next `updatedAt`: now, but never behind the previous value (clock skew must not lose a later-wins merge). */
export function nextUpdatedAt(previous: number | undefined): number {
  const now = Date.now();
  return previous !== undefined && previous >= now ? previous + 1 : now;
}
