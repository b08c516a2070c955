/** The text ending in exactly one full stop (messages from the sync layer may or may not end in one). */
export function asSentence(text: string): string {
  return /[.!?]$/.test(text) ? text : `${text}.`;
}
