import { type Contact, sources } from '@shared/schemas';

/** Deterministic, realistic-looking documents for the benches (no randomness: runs stay comparable). */
const firstNames = [
  'Ada',
  'Grace',
  'Alan',
  'Edsger',
  'Barbara',
  'Donald',
  'Margaret',
  'Ken',
  'Radia',
  'Linus',
];
const lastNames = [
  'Lovelace',
  'Hopper',
  'Turing',
  'Dijkstra',
  'Liskov',
  'Knuth',
  'Hamilton',
  'Thompson',
  'Perlman',
];
const companies = ['Acme', 'Globex', 'Initech', 'Umbrella', 'Hooli', 'Stark', 'Wayne', 'Tyrell'];

/** What a form or an import passes; the database layer fills defaults and managed fields. */
export type ContactInput = Pick<
  Contact,
  'id' | 'firstName' | 'lastName' | 'email' | 'phone' | 'company' | 'jobTitle' | 'source' | 'status'
>;

export function contactInput(prefix: string, index: number, status: ContactInput['status']): ContactInput {
  const firstName = firstNames[index % firstNames.length]!;
  const lastName = `${lastNames[index % lastNames.length]!}-${index}`;
  return {
    id: `${prefix}-${index.toString().padStart(7, '0')}`,
    firstName,
    lastName,
    email: `${firstName}.${lastName}.${prefix}@example.com`.toLowerCase(),
    phone: `+1 555 ${(index % 10_000).toString().padStart(4, '0')}`,
    company: companies[index % companies.length]!,
    jobTitle: 'Buyer',
    source: sources[index % sources.length]!,
    status,
  };
}
