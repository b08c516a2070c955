import { z } from 'zod';
import { baseFields, optionalText, reference, requiredText } from './fields';

export const departmentSchema = z.object({
  ...baseFields,
  name: requiredText(200, 'Name is required'),
});
export type Department = z.infer<typeof departmentSchema>;
export const departmentDefaults = {} satisfies Partial<Department>;

/** Team members are owned by the server and read-only on clients. */
export const teamMemberSchema = z.object({
  ...baseFields,
  name: requiredText(200, 'Name is required'),
  email: optionalText(254),
  tenantId: reference,
});
export type TeamMember = z.infer<typeof teamMemberSchema>;
export const teamMemberDefaults = { email: '', tenantId: '' } satisfies Partial<TeamMember>;
