import { z } from 'zod';
import { baseFields } from './fields';
import { type LeadStatus, leadStatuses } from './lead';

/** The team's settings live in one document with this id (every device reads and edits the same one). */
export const TEAM_SETTINGS_ID = 'team';

/** ISO 4217 codes the platform can format (Node and Chromium both know the full list). */
const knownCurrencies = new Set(Intl.supportedValuesOf('currency'));

export const currencyCode = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[A-Z]{3}$/, 'Use a three-letter ISO 4217 code, such as EUR or USD')
  .refine((code) => knownCurrencies.has(code), 'Not an ISO 4217 currency code');

const percent = z.number().int('Use a whole number').min(0, 'At least 0 %').max(100, 'At most 100 %');

/** Chance (0–100 %) that a lead in each stage is won: weights the pipeline's expected totals. */
export const stageProbabilitiesSchema = z.object(
  Object.fromEntries(leadStatuses.map((status) => [status, percent])) as Record<LeadStatus, typeof percent>,
);
export type StageProbabilities = z.infer<typeof stageProbabilitiesSchema>;

export const teamSettingsSchema = z.object({
  ...baseFields,
  currency: currencyCode,
  stageProbabilities: stageProbabilitiesSchema,
});
export type TeamSettings = z.infer<typeof teamSettingsSchema>;

export const teamSettingsDefaults = {
  currency: 'USD',
  stageProbabilities: { New: 10, Contacted: 25, Qualified: 50, Won: 100, Lost: 0 },
} satisfies Partial<TeamSettings>;
