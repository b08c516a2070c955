import { type CrmDatabase, holdDuplicateDetection } from '@shared/sync';
import type { ImportPlan, RowPlan } from './matchExisting';
import {
  createChosenDepartments,
  type ImportOptions,
  type ImportResult,
  type Progress,
  rowsToWrite,
} from './runImport';
import { yieldToEventLoop } from './yieldToEventLoop';

/** What the window asks of the writer worker (importWriter.worker.ts). */
export type WriterRequest =
  | {
      kind: 'start';
      databaseName: string;
      userId: string;
      options: ImportOptions;
      departments: [string, string][];
      total: number;
    }
  | { kind: 'rows'; rows: RowPlan[] }
  | { kind: 'cancel' };

/** What the writer worker reports. */
export type WriterMessage =
  | { kind: 'progress'; progress: Progress }
  | { kind: 'done'; result: ImportResult }
  | { kind: 'failed'; message: string };

/**
 * Rows per message to the worker: copying a message is a task of the window, so the plan goes over in
 * pieces of a few milliseconds each, with a pause between them, while the worker already writes.
 */
const ROWS_PER_MESSAGE = 1000;

/**
 * Carries out a checked plan from a Web Worker, so that writing 100,000 records never blocks the window:
 * the worker opens the same database with `createCrmDatabase` (the same validation, link rules, email
 * checks and audit entries as a manual create) and writes the chunks `importRows` would; the window's
 * database sees the writes through RxDB's multi-instance change stream (lists, counts, search index).
 * The departments the translation step chose are created here first. Cancel stops the worker between two
 * chunks, never inside one, so every written record has its links and timeline entry. The window's
 * duplicate detection is held while the worker writes and makes one pass over the import afterwards.
 */
export async function importRowsInWorker(
  db: CrmDatabase,
  plan: ImportPlan,
  options: ImportOptions,
  onProgress: (progress: Progress) => void,
  signal?: AbortSignal,
): Promise<ImportResult> {
  const work = rowsToWrite(plan);
  const departments = await createChosenDepartments(db, work);
  const worker = new Worker(new URL('./importWriter.worker.ts', import.meta.url), { type: 'module' });
  const send = (request: WriterRequest) => worker.postMessage(request);
  const cancel = () => send({ kind: 'cancel' });
  let finished = false;
  const releaseDetection = holdDuplicateDetection(db);
  try {
    return await new Promise<ImportResult>((resolve, reject) => {
      worker.onmessage = (event: MessageEvent<WriterMessage>) => {
        const message = event.data;
        if (message.kind === 'progress') onProgress(message.progress);
        else if (message.kind === 'done') resolve(message.result);
        else reject(new Error(message.message));
      };
      worker.onerror = (event) => {
        event.preventDefault();
        reject(new Error(`the import's writer stopped (${event.message || 'no reason given'})`));
      };
      send({
        kind: 'start',
        databaseName: db.name,
        userId: db.crm.userId,
        options,
        departments: [...departments],
        total: work.length,
      });
      signal?.addEventListener('abort', cancel, { once: true });
      if (signal?.aborted) cancel();
      void (async () => {
        for (let start = 0; start < work.length && !finished; start += ROWS_PER_MESSAGE) {
          send({ kind: 'rows', rows: work.slice(start, start + ROWS_PER_MESSAGE) });
          await yieldToEventLoop();
        }
      })();
    });
  } finally {
    finished = true;
    signal?.removeEventListener('abort', cancel);
    worker.terminate();
    releaseDetection().catch((error: unknown) => console.error('Duplicate detection failed', error));
  }
}
