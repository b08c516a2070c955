import type { z } from 'zod';
import { type Activity, activityDefaults, activitySchema } from './activity';
import { type Contact, contactDefaults, contactSchema } from './contact';
import {
  type Department,
  departmentDefaults,
  departmentSchema,
  type TeamMember,
  teamMemberDefaults,
  teamMemberSchema,
} from './department';
import { type Lead, leadDefaults, leadSchema } from './lead';
import { type TeamSettings, teamSettingsDefaults, teamSettingsSchema } from './team-settings';

/**
 * One entry per synced collection: the zod schema (the single source of truth), the defaults the
 * database layer fills in, the RxDB indexes and the schema version. RxDB JSON schemas are derived
 * from this table in `rxdb-schema.ts`.
 */
export const collectionDefinitions = {
  contacts: {
    schema: contactSchema,
    defaults: contactDefaults,
    // 1: derived sort keys (derived-fields.ts), indexed for locale-aware sorting.
    // 2: `mergedInto` and the duplicate lookup keys `nameCompanyKey`, `phoneKey` (docs/duplicates.md).
    version: 2,
    indexes: [
      'leadId',
      'emailKey',
      'updatedAt',
      ['status', 'updatedAt'],
      'nameSortKey',
      'companySortKey',
      'nameCompanyKey',
      'phoneKey',
    ],
  },
  leads: {
    schema: leadSchema,
    defaults: leadDefaults,
    // 1: derived sort keys and the Kanban order key `boardOrder` (derived-fields.ts).
    // 2: `mergedInto` and the duplicate lookup keys `nameCompanyKey`, `phoneKey` (docs/duplicates.md).
    version: 2,
    indexes: [
      'contactId',
      'emailKey',
      'updatedAt',
      ['status', 'boardOrder'],
      'nameSortKey',
      'companySortKey',
      'valueSortKey',
      'nameCompanyKey',
      'phoneKey',
    ],
  },
  departments: { schema: departmentSchema, defaults: departmentDefaults, version: 0, indexes: ['name'] },
  teamMembers: { schema: teamMemberSchema, defaults: teamMemberDefaults, version: 0, indexes: ['name'] },
  activities: {
    schema: activitySchema,
    defaults: activityDefaults,
    // v2: calls, meetings, notes and tasks (subject, body, dueAt, doneAt, assignedTo) and edit values.
    version: 2,
    indexes: [
      ['contactId', 'createdAt'],
      ['leadId', 'createdAt'],
      // Open planned work in due order: next steps on cards and rows, the Today view.
      ['doneAt', 'dueAt'],
    ],
  },
  teamSettings: { schema: teamSettingsSchema, defaults: teamSettingsDefaults, version: 0, indexes: [] },
} as const satisfies Record<string, CollectionDefinition>;

export type CollectionDefinition = {
  schema: z.ZodObject;
  defaults: Record<string, unknown>;
  version: number;
  indexes: readonly (string | readonly string[])[];
};

export type CollectionName = keyof typeof collectionDefinitions;
export const collectionNames = Object.keys(collectionDefinitions) as CollectionName[];

/** What each collection stores. */
export type DocumentTypes = {
  contacts: Contact;
  leads: Lead;
  departments: Department;
  teamMembers: TeamMember;
  activities: Activity;
  teamSettings: TeamSettings;
};

/** Collections clients may write; team members are owned by the server. */
export const clientWritableCollections = [
  'contacts',
  'leads',
  'departments',
  'activities',
  'teamSettings',
] as const satisfies readonly CollectionName[];
export type ClientWritableCollection = (typeof clientWritableCollections)[number];
