/**
 * What a pre hook planned, for the storage write and the post hook of the same write (hooks.ts). The
 * handoff is kept under a key that belongs to that one write, never under a document id or a time.
 *
 * RxDB hands the post hook either the pre hook's data object or a shallow copy of it (incremental writes:
 * the copy made for storage), and the storage a shallow copy too; all share the nested `_attachments`
 * object, which RxDB creates afresh for every write (this app stores no attachments: it is always empty).
 * Should two writes in flight share one (an insert of another document's full JSON), the later gets a fresh
 * copy. Nothing is added to the document data itself.
 */
import type { FieldChange } from '@shared/schemas';
import type { TimelineEntry } from '../crm-database';
import type { LeadAlongside } from './lead-alongside';
import type { ContactWritePlan, LeadWritePlan, WriteKind } from './rules';

export type Handoff = {
  kind: WriteKind;
  plan: ContactWritePlan | LeadWritePlan;
  /** The linked document the plan writes or creates ('' when none). */
  linkedId: string;
  /** The person's own field changes (updates only), for the timeline's 'edited' entry. */
  edits: FieldChange[];
  /** What the write's own timeline entry says instead of 'created' / 'edited' (`writingTimelineEntries`). */
  entry?: TimelineEntry | undefined;
  /** The lead R1 creates, written alongside the contact's own storage write (lead-alongside.ts). */
  leadAlongside?: LeadAlongside | undefined;
};

const handoffsByWrite = new WeakMap<object, Handoff>();
type WithAttachments = { _attachments?: object };

export function handOver(data: object, handoff: Handoff): void {
  const write = data as WithAttachments;
  if (!write._attachments || handoffsByWrite.has(write._attachments))
    write._attachments = { ...write._attachments };
  handoffsByWrite.set(write._attachments, handoff);
}

/** The handoff of this write, for its post hook (once). */
export function takeOver(data: object): Handoff | undefined {
  const writeKey = (data as WithAttachments)._attachments;
  const handoff = writeKey && handoffsByWrite.get(writeKey);
  if (writeKey) handoffsByWrite.delete(writeKey);
  return handoff;
}

/** The handoff of this write, looked at by its storage write (left for the post hook). */
export function handoffOf(data: object): Handoff | undefined {
  const writeKey = (data as WithAttachments)._attachments;
  return writeKey && handoffsByWrite.get(writeKey);
}
