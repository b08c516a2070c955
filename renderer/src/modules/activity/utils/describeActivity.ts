import type { Activity, FieldChange } from '@shared/schemas';

export type Describers = {
  /** "Job title" for 'jobTitle'. */
  labelOf: (field: string) => string;
  /** A field's value in words ("Marketing" for a department id, "€1,200.00" for a value). */
  valueOf: (field: string, value: FieldChange['before']) => string;
  /** "Bob Baker", or "you" for the current user. */
  personOf: (userId: string) => string;
};

export type ActivityDescription = {
  /** One readable line. */
  text: string;
  /** Value changes, one line each ("Phone: +1 555 0100 → +1 555 0199"). */
  changes: string[];
};

function changeLine(change: FieldChange, describers: Describers): string {
  const before = describers.valueOf(change.field, change.before) || '(empty)';
  const after = describers.valueOf(change.field, change.after) || '(empty)';
  return `${describers.labelOf(change.field)}: ${before} → ${after}`;
}

/** Replaces field keys inside a stored summary ("Copied jobTitle from contact to lead") with their labels. */
function withLabels(summary: string, fields: readonly string[], labelOf: Describers['labelOf']): string {
  let text = summary;
  for (const field of [...fields].sort((a, b) => b.length - a.length)) {
    text = text.replace(new RegExp(`\\b${field}\\b`, 'g'), labelOf(field));
  }
  return text;
}

/**
 * A timeline entry in words, with values: field labels, never field keys or rule ids (those stay in the
 * details tooltip of the entry).
 */
export function describeActivity(activity: Activity, describers: Describers): ActivityDescription {
  const changes = activity.changes ?? [];
  const statusChange = changes.find((change) => change.field === 'status');
  const otherChanges = changes.filter((change) => change !== statusChange);
  const lines = otherChanges.map((change) => changeLine(change, describers));
  switch (activity.kind) {
    case 'call':
    case 'meeting':
    case 'task':
    case 'note':
      return { text: activity.subject || activity.body.split('\n')[0] || '', changes: [] };
    case 'edited': {
      if (statusChange && otherChanges.length === 0)
        return {
          text: `Moved from ${describers.valueOf('status', statusChange.before)} to ${describers.valueOf('status', statusChange.after)}`,
          changes: [],
        };
      const text =
        changes.length === 1 && changes[0]
          ? changeLine(changes[0], describers)
          : `Changed ${changes.map((change) => describers.labelOf(change.field)).join(', ')}`;
      return {
        text: `${text}, by ${describers.personOf(activity.updatedBy)}`,
        changes: changes.length === 1 ? [] : changes.map((change) => changeLine(change, describers)),
      };
    }
    case 'replaced': {
      // The entry is written by the device whose edit was lost, so its author is the one who lost it.
      const fields = changes.map((change) => describers.labelOf(change.field)).join(', ');
      const loser = describers.personOf(activity.updatedBy);
      const winner = describers.personOf(activity.replacedBy);
      const edit = loser === 'you' ? 'Your edit' : `${loser}'s edit`;
      const laterEdit =
        winner === loser
          ? `${winner === 'you' ? 'your' : 'their'} later edit on another device`
          : winner === 'you'
            ? 'your later edit'
            : `${winner}'s later edit`;
      return {
        text: `${edit} of ${fields} was replaced by ${laterEdit}`,
        changes: changes.map(
          (change) =>
            `${describers.labelOf(change.field)}: ${describers.valueOf(change.field, change.before) || '(empty)'} replaced by ${describers.valueOf(change.field, change.after) || '(empty)'}`,
        ),
      };
    }
    default: {
      const text = withLabels(activity.summary, activity.fields, describers.labelOf);
      const moved =
        activity.statusBefore !== '' &&
        activity.statusAfter !== '' &&
        activity.statusBefore !== activity.statusAfter &&
        !text.includes(activity.statusAfter);
      return {
        text: moved ? `${text} (${activity.statusBefore} → ${activity.statusAfter})` : text,
        changes: lines,
      };
    }
  }
}
