import { CrmValidationError } from '@shared/sync';
import { createTestDatabase } from '@testing/database';
import { describe, expect, it } from 'vitest';
import { activityDefaults } from './activity';
import { type CollectionName, collectionDefinitions, collectionNames } from './collections';
import { contactDefaults } from './contact';
import { teamMemberDefaults } from './department';
import { derivedFieldNames } from './derived-fields';
import { ID_ALPHABET_MESSAGE, ID_MAX, UNSTORABLE_TEXT_MESSAGE } from './fields';
import { leadDefaults } from './lead';
import { rxJsonSchemaOf } from './rxdb-schema';
import { teamSettingsDefaults } from './team-settings';
import { pushRowSchema } from './wire';

const base = { id: 'doc-1', createdAt: 0, updatedAt: 0, updatedBy: '', serverRev: 0 };
/** One valid document per collection. */
const validDocuments: Record<CollectionName, Record<string, unknown>> = {
  contacts: { ...base, ...contactDefaults, firstName: 'Ada', status: 'Lead' },
  leads: { ...base, ...leadDefaults, firstName: 'Ada' },
  departments: { ...base, name: 'Sales' },
  teamMembers: { ...base, ...teamMemberDefaults, name: 'Ada' },
  activities: { ...base, ...activityDefaults, kind: 'note' },
  teamSettings: { ...base, ...teamSettingsDefaults, id: 'team' },
};

const unstorable = {
  NUL: 'Ada\u0000Lovelace',
  'lone high surrogate': 'Ada \ud83d',
  'lone low surrogate': '\ude00 Ada',
  'swapped surrogate pair': '\ude00\ud83d',
};

/** Field-level issues of `document` against its collection's schema, as `field → messages`. */
function issuesOf(collection: CollectionName, document: Record<string, unknown>) {
  const result = collectionDefinitions[collection].schema.safeParse(document);
  if (result.success) return {};
  const issues: Record<string, string[]> = {};
  for (const issue of result.error.issues) {
    const field = issue.path.join('.');
    issues[field] = [...(issues[field] ?? []), issue.message];
  }
  return issues;
}

/** Every string property of a collection (from its RxDB JSON schema, so a new field is covered at once). */
function stringFieldsOf(collection: CollectionName): string[] {
  const { properties } = rxJsonSchemaOf(collection);
  return Object.entries(properties as Record<string, { type?: unknown }>)
    .filter(([name, property]) => !derivedFieldNames.has(name) && [property.type].flat().includes('string'))
    .map(([name]) => name);
}

describe('text the database cannot store is refused field by field (issue 8)', () => {
  for (const collection of collectionNames) {
    it(`${collection}: the valid document passes`, () => {
      expect(issuesOf(collection, validDocuments[collection])).toEqual({});
    });

    for (const [kind, value] of Object.entries(unstorable)) {
      it(`${collection}: every text field refuses a ${kind}`, () => {
        const fields = stringFieldsOf(collection);
        expect(fields.length).toBeGreaterThan(0);
        for (const field of fields) {
          const issues = issuesOf(collection, { ...validDocuments[collection], [field]: value });
          expect(Object.keys(issues), `${collection}.${field}`).toEqual([field]);
        }
      });
    }
  }

  it('nested text (activity field lists and changed values) is refused at its path', () => {
    const issues = issuesOf('activities', {
      ...validDocuments.activities,
      fields: ['notes', 'x\u0000'],
      changes: [{ field: 'notes', before: '\ud800', after: 'fine' }],
    });
    expect(issues).toEqual({
      'fields.1': [UNSTORABLE_TEXT_MESSAGE],
      'changes.0.before': expect.arrayContaining([UNSTORABLE_TEXT_MESSAGE]),
    });
  });

  it('text with emoji pairs, accents and other scripts stays valid', () => {
    const notes = 'Zoë 😀 Ωμέγα 東京 \u200d👩‍💻 \t tab';
    expect(issuesOf('contacts', { ...validDocuments.contacts, notes })).toEqual({});
  });

  it('a local write refuses it with a field-level error and stores nothing', async () => {
    const db = await createTestDatabase();
    try {
      const insert = db.contacts.insert({
        id: 'c-1',
        firstName: 'Ada',
        status: 'Lead',
        notes: 'a\u0000b',
      } as never);
      await expect(insert).rejects.toBeInstanceOf(CrmValidationError);
      await expect(insert).rejects.toMatchObject({
        issues: [{ field: 'notes', message: UNSTORABLE_TEXT_MESSAGE }],
      });
      expect(await db.contacts.count().exec()).toBe(0);
    } finally {
      await db.close();
    }
  });
});

describe('ids have a maximum length and an alphabet (issue 8)', () => {
  const ids = {
    'a uuid v7': '01890a5d-ac96-774b-bcce-b302099a8057',
    'a derived lead id': 'lead-01890a5d-ac96-774b-bcce-b302099a8057-2',
    'the team settings id': 'team',
    'a Salesforce id': '00Q5g00000A1bC2EAJ',
    'an email-like member id': 'alice.archer@example.com',
    'a namespaced id': 'zcrm:4150868000000224005',
  };
  for (const [kind, id] of Object.entries(ids)) {
    it(`accepts ${kind} as id and as reference`, () => {
      expect(issuesOf('leads', { ...validDocuments.leads, id, contactId: id, updatedBy: id })).toEqual({});
    });
  }

  const refused = {
    'a space': 'lead 1',
    'a slash': '../etc/passwd',
    'a NUL': 'a\u0000b',
    'a newline': 'a\nb',
    'a quote': "a'b",
    'non-ASCII letters': 'léad',
    'a lone surrogate': 'a\ud800',
  };
  for (const [kind, id] of Object.entries(refused)) {
    it(`refuses an id and references with ${kind}`, () => {
      expect(issuesOf('contacts', { ...validDocuments.contacts, id })).toEqual({ id: [ID_ALPHABET_MESSAGE] });
      const references = { leadId: id, assignedTo: id, departmentId: id, updatedBy: id };
      expect(issuesOf('contacts', { ...validDocuments.contacts, ...references })).toEqual(
        Object.fromEntries(Object.keys(references).map((field) => [field, [ID_ALPHABET_MESSAGE]])),
      );
    });
  }

  it(`refuses ids longer than ${ID_MAX} characters, however long`, () => {
    for (const length of [ID_MAX + 1, 5 * 1024 * 1024]) {
      const issues = issuesOf('contacts', { ...validDocuments.contacts, id: 'x'.repeat(length) });
      expect(issues).toEqual({ id: [`At most ${ID_MAX} characters`] });
    }
  });
});

describe('numbers are finite and revisions are safe integers (issue 8)', () => {
  it('refuses non-finite numbers in every numeric field', () => {
    for (const value of [Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, Number.NaN]) {
      expect(Object.keys(issuesOf('leads', { ...validDocuments.leads, value }))).toEqual(['value']);
      expect(Object.keys(issuesOf('leads', { ...validDocuments.leads, updatedAt: value }))).toEqual([
        'updatedAt',
      ]);
      const changes = [{ field: 'value', before: value, after: 1 }];
      expect(Object.keys(issuesOf('activities', { ...validDocuments.activities, changes }))).toEqual([
        'changes.0.before',
      ]);
    }
  });

  const row = (serverRev: unknown) => ({
    newDocumentState: { id: 'c-1', _deleted: false },
    assumedMasterState: { id: 'c-1', _deleted: false, serverRev },
  });
  for (const serverRev of [1e308, 2 ** 63, 2 ** 53, -1, 1.5, '7', Number.POSITIVE_INFINITY]) {
    it(`refuses the assumed revision ${String(serverRev)} of a pushed row`, () => {
      const result = pushRowSchema.safeParse(row(serverRev));
      expect(result.success).toBe(false);
      expect(result.error?.issues.map((issue) => issue.path.join('.'))).toEqual([
        'assumedMasterState.serverRev',
      ]);
    });
  }
  it('accepts 0 and the largest safe integer as assumed revision', () => {
    for (const serverRev of [0, 1, Number.MAX_SAFE_INTEGER]) {
      expect(pushRowSchema.safeParse(row(serverRev)).success).toBe(true);
    }
    expect(issuesOf('contacts', { ...validDocuments.contacts, serverRev: 2 ** 63 })).toHaveProperty(
      'serverRev',
    );
  });
});
