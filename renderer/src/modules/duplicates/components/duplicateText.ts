import type { DuplicateReason } from '@shared/sync';

export const reasonLabels: Record<DuplicateReason, string> = {
  'same-email': 'Same email',
  'same-name-company': 'Same name and company',
  'same-phone': 'Same phone',
};
