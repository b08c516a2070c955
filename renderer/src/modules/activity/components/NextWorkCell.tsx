import { useOpenWork } from '../hooks/useOpenWork';
import { NextWorkLabel } from './NextWorkLabel';

/** The next-activity cell of a contact or lead row. */
export function NextWorkCell({ contactId, leadId }: { contactId?: string; leadId?: string }) {
  const { nextByContact, nextByLead } = useOpenWork();
  const work = contactId ? nextByContact.get(contactId) : leadId ? nextByLead.get(leadId) : undefined;
  // Most rows have no planned work: they mount no label (and no clock of their own).
  return work ? <NextWorkLabel work={work} /> : null;
}
