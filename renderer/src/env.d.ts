/// <reference types="vite/client" />
import type { FieldbookBridge } from '@shared/bridge/types';

declare global {
  interface Window {
    /** Set by the Electron preload (contextBridge); absent in a plain browser. */
    api?: FieldbookBridge;
  }
  interface ImportMetaEnv {
    readonly VITE_APP_VERSION?: string;
    readonly VITE_E2E_HOOKS?: string;
  }
}
