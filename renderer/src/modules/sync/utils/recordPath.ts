/** Where a record of a collection is shown (departments live in Settings). */
export function recordPath(collection: string, id: string): string | null {
  if (collection === 'contacts') return `/contacts/${encodeURIComponent(id)}`;
  if (collection === 'leads') return `/leads/${encodeURIComponent(id)}`;
  if (collection === 'departments') return '/settings';
  return null;
}
