import { bulkInsert, localCreate } from './local-core';
import {
  rxdbFloorArrival,
  rxdbFloorClose,
  rxdbFloorOpen,
  rxdbFloorPushTimes,
  rxdbFloorWrite,
} from './rxdb-floor';
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
import {
  liveFloorArrival,
  liveFloorClose,
  liveFloorExpect,
  liveFloorOpen,
  liveFloorWrite,
} from './sync-floors';
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
  liveFloorOpen,
  liveFloorExpect,
  liveFloorWrite,
  liveFloorArrival,
  liveFloorClose,
  rxdbFloorOpen,
  rxdbFloorWrite,
  rxdbFloorPushTimes,
  rxdbFloorArrival,
  rxdbFloorClose,
  seedAppDatabase,
};
export type BrowserBenches = typeof benches;

declare global {
  interface Window {
    fieldbookBench?: BrowserBenches;
  }
}

window.fieldbookBench = benches;
