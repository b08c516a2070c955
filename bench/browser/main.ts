import { bulkInsert, localCreate } from './local-core';
import {
  freshDevice,
  importWhileConnected,
  initialPull,
  liveArrival,
  liveClose,
  liveOpen,
  liveStreamedAt,
  liveWrite,
  liveWriteTimes,
  pushAfterImport,
} from './sync';
import { seedAppDatabase } from './ui-seed';

/** What the Node runner (bench/run.ts) calls through `page.evaluate`. */
const benches = {
  localCreate,
  bulkInsert,
  pushAfterImport,
  initialPull,
  freshDevice,
  importWhileConnected,
  liveOpen,
  liveWrite,
  liveWriteTimes,
  liveStreamedAt,
  liveArrival,
  liveClose,
  seedAppDatabase,
};
export type BrowserBenches = typeof benches;

declare global {
  interface Window {
    fieldbookBench?: BrowserBenches;
  }
}

window.fieldbookBench = benches;
