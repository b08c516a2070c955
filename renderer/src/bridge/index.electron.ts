import type { FieldbookBridge } from '@shared/bridge/types';

function preloadBridge(): FieldbookBridge {
  if (window.api) return window.api;
  throw new Error(
    'This renderer was built for the desktop app, but the Electron preload did not expose window.api. ' +
      'Run it with `npm start`, or build the browser version with `npm run web`.',
  );
}

/** The desktop app's bridge: what the Electron preload exposes as `window.api` (main/preload.ts). */
export const bridge: FieldbookBridge = preloadBridge();
