import { bulkInsert, localCreate } from './local-core';

/** What the Node runner (bench/run.ts) calls through `page.evaluate`. */
const benches = { localCreate, bulkInsert };
export type BrowserBenches = typeof benches;

declare global {
  interface Window {
    fieldbookBench?: BrowserBenches;
  }
}

window.fieldbookBench = benches;
