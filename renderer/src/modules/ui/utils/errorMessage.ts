/**
 * RxDB's errors carry a code (`rxdb: true`) and a message that dumps the call's parameters (documents,
 * schemas): never shown as such; the code is kept so a report can name it.
 */
function rxDbErrorCode(error: unknown): string | null {
  const { rxdb, code } = (error ?? {}) as { rxdb?: unknown; code?: unknown };
  return rxdb === true && typeof code === 'string' ? code : null;
}

/** A sentence for any thrown value, so errors are always shown in words. */
export function errorMessage(error: unknown): string {
  const rxDbCode = rxDbErrorCode(error);
  if (rxDbCode !== null) return `the local database refused the operation (RxDB error ${rxDbCode})`;
  if (error instanceof Error) return error.message || error.name;
  if (typeof error === 'string') return error;
  try {
    return JSON.stringify(error);
  } catch {
    return String(error);
  }
}
