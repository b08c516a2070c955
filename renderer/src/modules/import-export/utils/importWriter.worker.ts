/// <reference lib="webworker" />
/**
 * Writes an import off the window's thread (see `importRowsInWorker`): opens the app's database with
 * `createCrmDatabase` (multi-instance, so the window sees every write) and writes the planned rows in the
 * same chunks as `importRows`, reporting progress after each chunk and stopping between chunks on cancel.
 */

import { errorMessage } from '@renderer/modules/ui/utils/errorMessage';
import { createCrmDatabase, whenRulesSettled } from '@shared/sync';
import type { WriterMessage, WriterRequest } from './importInWorker';
import type { RowPlan } from './matchExisting';
import { emptyImportResult, IMPORT_CHUNK, type ImportResult, writeImportChunk } from './runImport';

const post = (message: WriterMessage) => (self as unknown as DedicatedWorkerGlobalScope).postMessage(message);

const queue: RowPlan[] = [];
let cancelled = false;
/** Wakes the writer waiting for rows (or for cancel). */
let wake: (() => void) | null = null;

async function write(start: Extract<WriterRequest, { kind: 'start' }>): Promise<ImportResult> {
  const db = await createCrmDatabase({ name: start.databaseName, userId: start.userId, multiInstance: true });
  // Closed before the result goes out: closing waits for the rules' last writes (audit entries).
  try {
    const result = emptyImportResult();
    const write = { ...start.options, departments: new Map(start.departments) };
    let done = 0;
    while (done < start.total && !cancelled) {
      if (queue.length < Math.min(IMPORT_CHUNK, start.total - done)) {
        await new Promise<void>((resolve) => (wake = resolve));
        continue;
      }
      const chunk = queue.splice(0, IMPORT_CHUNK);
      await writeImportChunk(db, chunk, write, result);
      done += chunk.length;
      post({ kind: 'progress', progress: { done, total: start.total } });
    }
    await whenRulesSettled(db);
    result.cancelled = cancelled && done < start.total;
    result.failed.sort((a, b) => a.rowNumber - b.rowNumber);
    return result;
  } finally {
    await db.close();
  }
}

self.onmessage = (event: MessageEvent<WriterRequest>) => {
  const request = event.data;
  if (request.kind === 'start')
    write(request).then(
      (result) => post({ kind: 'done', result }),
      (error: unknown) => post({ kind: 'failed', message: errorMessage(error) }),
    );
  else {
    if (request.kind === 'rows') queue.push(...request.rows);
    else cancelled = true;
    wake?.();
    wake = null;
  }
};
