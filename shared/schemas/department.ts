import { z } from 'zod';
import { baseFields, ID_MAX } from './fields';

export const departmentSchema = z.object({
  ...baseFields,
  name: z.string().trim().min(1, 'Name is required').max(200, 'At most 200 characters'),
});
export type Department = z.infer<typeof departmentSchema>;
export const departmentDefaults = {} satisfies Partial<Department>;

/** Team members are owned by the server and read-only on clients. */
export const teamMemberSchema = z.object({
  ...baseFields,
  name: z.string().trim().min(1).max(200),
  email: z.string().trim().max(254),
  tenantId: z.string().max(ID_MAX),
});
export type TeamMember = z.infer<typeof teamMemberSchema>;
export const teamMemberDefaults = { email: '', tenantId: '' } satisfies Partial<TeamMember>;
