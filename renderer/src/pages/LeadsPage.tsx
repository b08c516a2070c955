import type { Lead } from '@shared/schemas';
import { leadIndexConfig } from '../modules/leads/utils/leadIndexConfig';
import { RecordIndex } from '../modules/object-record/components/RecordIndex';

export function LeadsPage() {
  return <RecordIndex<Lead> config={leadIndexConfig} />;
}
