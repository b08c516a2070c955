import type { FieldbookBridge } from '../../../shared/bridge/types';
import { createWebBridge } from './index.web';

/** The Electron preload exposes `window.api`; in a plain browser (`npm run web`) we use browser storage. */
export const bridge: FieldbookBridge = window.api ?? createWebBridge();
