import type { FieldSpec } from './field-catalogue';
import { sources } from './fields';

/**
 * Catalogue entries contacts and leads share (both describe a person); each entity's catalogue places
 * them and adds its own columns and sort keys.
 */
export const personFields = {
  // An import matches existing records by id and keeps the dates a file recorded (issue 12).
  id: { label: 'Id', type: 'id', importSynonyms: ['record id'], exportHeader: 'Id' },
  firstName: {
    label: 'First name',
    type: 'text',
    required: true,
    section: 'Person',
    importSynonyms: ['first', 'given name', 'forename'],
    exportHeader: 'First name',
    search: 'name',
    sortBy: ['nameSortKey'],
  },
  lastName: {
    label: 'Last name',
    type: 'text',
    section: 'Person',
    importSynonyms: ['last', 'surname', 'family name'],
    exportHeader: 'Last name',
    search: 'name',
  },
  email: {
    label: 'Email',
    type: 'email',
    section: 'Person',
    importSynonyms: ['e-mail', 'mail', 'email address', 'e-mail address'],
    exportHeader: 'Email',
    search: 'words',
    sortBy: ['emailKey'],
  },
  phone: {
    label: 'Phone',
    type: 'tel',
    section: 'Person',
    importSynonyms: ['telephone', 'phone number', 'tel', 'work phone'],
    exportHeader: 'Phone',
    search: 'digits',
  },
  company: {
    label: 'Company',
    type: 'text',
    section: 'Work',
    importSynonyms: ['organization', 'organisation', 'account', 'company name'],
    exportHeader: 'Company',
    search: 'words',
    sortBy: ['companySortKey'],
  },
  jobTitle: {
    label: 'Job title',
    type: 'text',
    section: 'Work',
    importSynonyms: ['title', 'role'],
    exportHeader: 'Job title',
  },
  departmentId: {
    label: 'Department',
    type: 'select',
    options: 'departments',
    emptyOption: 'None',
    section: 'Work',
    importSynonyms: ['dept'],
    exportHeader: 'Department',
  },
  source: {
    label: 'Source',
    type: 'select',
    options: sources,
    emptyOption: 'Unknown',
    nullable: true,
    section: 'Sales',
    importSynonyms: ['lead source', 'channel'],
    exportHeader: 'Source',
  },
  assignedTo: {
    label: 'Assigned to',
    type: 'select',
    options: 'teamMembers',
    emptyOption: 'Nobody',
    section: 'Sales',
    importSynonyms: ['owner', 'assignee', 'rep'],
    exportHeader: 'Assigned to',
  },
  status: {
    label: 'Status',
    type: 'select',
    required: true,
    section: 'Sales',
    importSynonyms: ['stage'],
    exportHeader: 'Status',
  },
  notes: {
    label: 'Notes',
    type: 'multiline',
    section: 'Other',
    importSynonyms: ['note', 'comments', 'description'],
    exportHeader: 'Notes',
  },
  createdAt: {
    label: 'Created',
    type: 'datetime',
    importSynonyms: ['created at', 'create date', 'created date', 'created time'],
    exportHeader: 'Created at',
  },
  updatedAt: {
    label: 'Updated',
    type: 'datetime',
    importSynonyms: ['updated at', 'modified', 'last modified date', 'modified time', 'update time'],
    exportHeader: 'Updated at',
    sortBy: ['updatedAt'],
  },
} as const satisfies Record<string, FieldSpec>;

/** The list's title column: the record's name, a link to it, sorted by the derived name key. */
export const nameColumn = { id: 'name', header: 'Name', width: 'minmax(140px, 2fr)' } as const;
