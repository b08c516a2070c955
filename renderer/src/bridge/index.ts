import type { FieldbookBridge } from '@shared/bridge/types';
import { adoptConnectionFromFragment, createWebBridge } from './index.web';

function webBridge(): FieldbookBridge {
  adoptConnectionFromFragment(window.localStorage, window.location, window.history);
  return createWebBridge();
}

/** The Electron preload exposes `window.api`; in a plain browser (`npm run web`) we use browser storage. */
export const bridge: FieldbookBridge = window.api ?? webBridge();
