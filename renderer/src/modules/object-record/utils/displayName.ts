/** "First Last", as the link chips and lists show a person. */
export function displayName(record: { firstName: string; lastName?: string | null }): string {
  return [record.firstName, record.lastName]
    .filter((part) => part !== undefined && part !== null && part !== '')
    .join(' ');
}
