import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';

export type ElectronBinary = { available: true; path: string } | { available: false; reason: string };

/**
 * Where the Electron executable is, if it is installed. The `electron` npm package resolves to the path of
 * a binary its install script downloads; with install scripts disabled (or offline) the package is there
 * but the binary is not, and requiring it throws.
 */
export function findElectronBinary(): ElectronBinary {
  let path: unknown;
  try {
    path = createRequire(import.meta.url)('electron');
  } catch (error) {
    // The package throws "Electron failed to install correctly" when its binary was never downloaded.
    return {
      available: false,
      reason: `node_modules/electron has no binary: ${String(error).split('\n')[0]}`,
    };
  }
  if (typeof path !== 'string')
    return { available: false, reason: 'the electron package did not resolve to a path' };
  if (!existsSync(path)) return { available: false, reason: `${path} does not exist` };
  return { available: true, path };
}
