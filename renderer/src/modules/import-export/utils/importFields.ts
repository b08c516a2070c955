import {
  type ContactStatus,
  contactStatuses,
  type LeadStatus,
  leadStatuses,
  priorities,
  sources,
} from '@shared/schemas';

export type ImportEntity = 'contacts' | 'leads';

/** How a cell is turned into a field value. */
export type FieldKind = 'text' | 'status' | 'source' | 'priority' | 'number' | 'department' | 'assignee';

export type ImportField = {
  key: string;
  label: string;
  kind: FieldKind;
  /** Other header spellings that map to this field (compared after normalizing, see `normalizeHeader`). */
  aliases: readonly string[];
};

const common = {
  firstName: {
    key: 'firstName',
    label: 'First name',
    kind: 'text',
    aliases: ['first', 'given name', 'forename'],
  },
  lastName: {
    key: 'lastName',
    label: 'Last name',
    kind: 'text',
    aliases: ['last', 'surname', 'family name'],
  },
  email: {
    key: 'email',
    label: 'Email',
    kind: 'text',
    aliases: ['e-mail', 'mail', 'email address', 'e-mail address'],
  },
  phone: {
    key: 'phone',
    label: 'Phone',
    kind: 'text',
    aliases: ['telephone', 'phone number', 'tel', 'work phone'],
  },
  mobile: { key: 'mobile', label: 'Mobile', kind: 'text', aliases: ['cell', 'cell phone', 'mobile phone'] },
  company: {
    key: 'company',
    label: 'Company',
    kind: 'text',
    aliases: ['organization', 'organisation', 'account', 'company name'],
  },
  jobTitle: { key: 'jobTitle', label: 'Job title', kind: 'text', aliases: ['title', 'role'] },
  departmentId: { key: 'departmentId', label: 'Department', kind: 'department', aliases: ['dept'] },
  source: { key: 'source', label: 'Source', kind: 'source', aliases: ['lead source', 'channel'] },
  assignedTo: {
    key: 'assignedTo',
    label: 'Assigned to',
    kind: 'assignee',
    aliases: ['owner', 'assignee', 'rep'],
  },
  status: { key: 'status', label: 'Status', kind: 'status', aliases: ['stage'] },
  priority: { key: 'priority', label: 'Priority', kind: 'priority', aliases: [] },
  value: {
    key: 'value',
    label: 'Value',
    kind: 'number',
    aliases: ['deal value', 'amount', 'expected value'],
  },
  notes: { key: 'notes', label: 'Notes', kind: 'text', aliases: ['note', 'comments', 'description'] },
} satisfies Record<string, ImportField>;

/** The fields a CSV column can be imported into, in form order. */
export const importFields: Record<ImportEntity, readonly ImportField[]> = {
  contacts: [
    common.firstName,
    common.lastName,
    common.email,
    common.phone,
    common.mobile,
    common.company,
    common.jobTitle,
    common.departmentId,
    common.source,
    common.assignedTo,
    common.status,
    common.notes,
  ],
  leads: [
    common.firstName,
    common.lastName,
    common.email,
    common.phone,
    common.company,
    common.jobTitle,
    common.departmentId,
    common.source,
    common.assignedTo,
    common.status,
    common.priority,
    common.value,
    common.notes,
  ],
};

export const statusesOf = {
  contacts: contactStatuses,
  leads: leadStatuses,
} as const satisfies Record<ImportEntity, readonly (ContactStatus | LeadStatus)[]>;

export const enumValuesOf: Partial<Record<FieldKind, readonly string[]>> = {
  source: sources,
  priority: priorities,
};

export function fieldLabel(entity: ImportEntity, key: string): string {
  // emailKey is derived from email: its problems (e.g. a duplicate) belong to the column the user filled.
  const shown = key === 'emailKey' ? 'email' : key;
  return importFields[entity].find((field) => field.key === shown)?.label ?? key;
}
