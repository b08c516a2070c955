import type { FieldbookBridge } from '@shared/bridge/types';
import { adoptConnectionFromFragment, createWebBridge } from './browser-storage';

function browserBridge(): FieldbookBridge {
  adoptConnectionFromFragment(window.localStorage, window.location, window.history);
  return createWebBridge();
}

/** The browser build's bridge (`npm run web`): settings and token in the origin's localStorage. */
export const bridge: FieldbookBridge = browserBridge();
