/// <reference lib="webworker" />
/**
 * Writes an import off the window's thread (see `importRowsInWorker`): opens the app's database with
 * `createCrmDatabase` (multi-instance, so the window sees every write) and writes the planned rows in the
 * same chunks as `importRows`, reporting progress between chunks and stopping between chunks on cancel.
 */

import { errorMessage } from '@renderer/modules/ui/utils/errorMessage';
import { createCrmDatabase, whenRulesSettled } from '@shared/sync';
import type { WriterMessage, WriterRequest } from './importInWorker';
import type { RowPlan } from './matchExisting';
import { emptyImportResult, IMPORT_CHUNK, writeImportChunk } from './runImport';

const post = (message: WriterMessage) => (self as unknown as DedicatedWorkerGlobalScope).postMessage(message);

const queue: RowPlan[] = [];
let cancelled = false;
/** Wakes the writer waiting for rows (or for cancel). */
let wake: (() => void) | null = null;

/**
 * Progress messages at most this often: each one re-renders the import screen in the window (~9 ms under
 * load), so 1,000 chunks of a 100,000-row import are reported as a few hundred updates of the bar.
 */
const PROGRESS_INTERVAL_MS = 250;

/**
 * Writes the rows as they arrive and posts the result as soon as every record and its rules' writes are
 * stored (`whenRulesSettled`); closing the database afterwards only releases it, so a cancel or the end
 * of an import is reported without waiting for the close.
 */
async function write(start: Extract<WriterRequest, { kind: 'start' }>): Promise<void> {
  const db = await createCrmDatabase({ name: start.databaseName, userId: start.userId, multiInstance: true });
  try {
    const result = emptyImportResult();
    const write = { ...start.options, departments: new Map(start.departments) };
    let done = 0;
    let reportedAt = 0;
    while (done < start.total && !cancelled) {
      if (queue.length < Math.min(IMPORT_CHUNK, start.total - done)) {
        await new Promise<void>((resolve) => (wake = resolve));
        continue;
      }
      const chunk = queue.splice(0, IMPORT_CHUNK);
      await writeImportChunk(db, chunk, write, result);
      done += chunk.length;
      if (done === start.total || performance.now() - reportedAt >= PROGRESS_INTERVAL_MS) {
        reportedAt = performance.now();
        post({ kind: 'progress', progress: { done, total: start.total } });
      }
    }
    await whenRulesSettled(db);
    result.cancelled = cancelled && done < start.total;
    result.failed.sort((a, b) => a.rowNumber - b.rowNumber);
    post({ kind: 'done', result });
  } finally {
    await db.close();
  }
}

self.onmessage = (event: MessageEvent<WriterRequest>) => {
  const request = event.data;
  if (request.kind === 'start')
    write(request).catch((error: unknown) => post({ kind: 'failed', message: errorMessage(error) }));
  else {
    if (request.kind === 'rows') queue.push(...request.rows);
    else cancelled = true;
    wake?.();
    wake = null;
  }
};
