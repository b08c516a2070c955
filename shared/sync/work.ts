/**
 * Calls, meetings, notes and tasks: the work people log and plan on a contact or lead. They are entries of
 * the `activities` collection (beside the audit trail), so they sync, work offline and show in the timeline.
 */

import {
  type Activity,
  TEAM_SETTINGS_ID,
  type TeamSettings,
  teamSettingsDefaults,
  type WorkKind,
} from '@shared/schemas';
import { v7 as uuidv7 } from 'uuid';
import type { CrmDatabase } from './database';
import { CrmValidationError } from './errors';

export type WorkDraft = {
  kind: WorkKind;
  subject: string;
  body?: string;
  /** Planned time in ms (0: not planned). */
  dueAt?: number;
  /** Log it as done now (a call that took place, a note), or plan it (open). */
  done: boolean;
  /** Team member who does it; defaults to the current user. */
  assignedTo?: string;
  contactId?: string;
  leadId?: string;
};

/**
 * Writes one piece of work. A lead's work also carries its linked contact (and the other way round), so
 * it shows on both timelines. Notes are always done: nobody plans a note.
 */
export async function logWork(db: CrmDatabase, draft: WorkDraft): Promise<Activity> {
  let { contactId = '', leadId = '' } = draft;
  if (!contactId && !leadId)
    throw new CrmValidationError('validation', [
      { field: '(document)', message: 'Work belongs to a contact or a lead' },
    ]);
  if (leadId && !contactId) contactId = (await db.leads.findOne(leadId).exec())?.contactId ?? '';
  else if (contactId && !leadId) leadId = (await db.contacts.findOne(contactId).exec())?.leadId ?? '';
  const done = draft.done || draft.kind === 'note';
  const subject = draft.subject.trim();
  if (subject === '' && draft.kind !== 'note')
    throw new CrmValidationError('validation', [{ field: 'subject', message: 'Say what it is about' }]);
  if (draft.kind === 'note' && (draft.body ?? '').trim() === '')
    throw new CrmValidationError('validation', [{ field: 'body', message: 'Write the note' }]);
  if (!done && !draft.dueAt)
    throw new CrmValidationError('validation', [
      { field: 'dueAt', message: 'Pick a due date and time, or log it as done' },
    ]);
  const doc = await db.activities.insert({
    id: uuidv7(),
    kind: draft.kind,
    subject,
    body: draft.body ?? '',
    dueAt: draft.dueAt ?? 0,
    doneAt: done ? Date.now() : 0,
    assignedTo: draft.assignedTo || db.crm.userId,
    contactId,
    leadId,
  } as Activity);
  return doc.toJSON() as Activity;
}

/** Marks planned work done (or open again). */
export async function setWorkDone(db: CrmDatabase, id: string, done: boolean): Promise<void> {
  const doc = await db.activities.findOne(id).exec();
  if (!doc)
    throw new CrmValidationError('not-found', [
      { field: '(document)', message: 'This activity was deleted, here or on another device' },
    ]);
  await doc.incrementalPatch({ doneAt: done ? Date.now() : 0 });
}

/** What the app uses until somebody saves the team's settings. */
export function teamSettingsWithDefaults(): TeamSettings {
  return {
    id: TEAM_SETTINGS_ID,
    createdAt: 0,
    updatedAt: 0,
    updatedBy: '',
    serverRev: 0,
    ...teamSettingsDefaults,
  };
}

/** Saves some team settings; only the changed fields are written, so two devices' edits merge per field. */
export async function saveTeamSettings(
  db: CrmDatabase,
  changes: Partial<Pick<TeamSettings, 'currency' | 'stageProbabilities'>>,
): Promise<void> {
  const doc = await db.teamSettings.findOne(TEAM_SETTINGS_ID).exec();
  if (doc) await doc.incrementalPatch(changes);
  else
    await db.teamSettings.insert({
      id: TEAM_SETTINGS_ID,
      ...teamSettingsDefaults,
      ...changes,
    } as TeamSettings);
}
