/** Every keyboard shortcut of the app, for the help dialog; the handlers live in KeyboardShortcuts. */
export type Shortcut = { keys: string[]; description: string };

const isMac = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform);
export const modifierKey = isMac ? '⌘' : 'Ctrl';

export const shortcuts: Shortcut[] = [
  { keys: [`${modifierKey} K`], description: 'Search contacts and leads everywhere' },
  { keys: ['/'], description: 'Search in the current list' },
  { keys: ['N'], description: 'New contact or lead (of the current view)' },
  { keys: ['G then C', `${modifierKey} 1 (desktop)`], description: 'Go to contacts' },
  { keys: ['G then L', `${modifierKey} 2 (desktop)`], description: 'Go to leads' },
  { keys: ['G then P', `${modifierKey} 3 (desktop)`], description: 'Go to the pipeline' },
  { keys: ['↑ ↓ ← →', 'Home', 'End', 'Page Up/Down'], description: 'Move in a list' },
  { keys: ['Enter'], description: 'Open the record of the row (or the search result)' },
  { keys: ['?', 'F1 (desktop)'], description: 'Show these shortcuts' },
];

/** Whether a key press belongs to a text field (single-key shortcuts must not steal typing). */
export function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
}
