import type { FieldbookBridge } from '@shared/bridge/types';

/**
 * The renderer's door to its host. The build picks the implementation (renderer/vite.config.ts puts
 * `.electron.ts` or `.web.ts` first in the resolved extensions, as actualbudget/actual does):
 * `index.electron.ts` for the desktop app, `index.web.ts` for `npm run web`, so the desktop bundle holds
 * no browser token storage and the browser bundle no Electron bridge (`renderer/bundle.test.ts`). This
 * file only gives the type checker the shape both share.
 */
export declare const bridge: FieldbookBridge;
