/**
 * `npm run dist`: builds the renderer, main and preload, then packages the app for the current OS with
 * electron-builder (targets in electron-builder.yml). Uses the locally installed Electron binary, so it
 * needs no download of Electron itself; without that binary it says so and exits non-zero.
 */
import { spawnSync } from 'node:child_process';
import { dirname } from 'node:path';
import { findElectronBinary } from './electron-binary';

const electron = findElectronBinary();
if (!electron.available) {
  console.error(
    `Cannot package: the Electron binary is not installed here (${electron.reason}). ` +
      'Run `npm install` with install scripts enabled on a machine that can download Electron, then `npm run dist`.',
  );
  process.exit(1);
}

function run(command: string, args: string[]): void {
  const result = spawnSync(command, args, { stdio: 'inherit', shell: process.platform === 'win32' });
  if (result.error) throw result.error;
  if (result.status !== 0) process.exit(result.status ?? 1);
}

const platformFlag = { darwin: '--mac', win32: '--win', linux: '--linux' }[process.platform as string];
if (platformFlag === undefined) {
  console.error(`Cannot package: electron-builder has no target for ${process.platform}.`);
  process.exit(1);
}

run('npm', ['run', 'build']);
// On macOS the binary lives inside Electron.app/Contents/MacOS; electronDist wants the folder holding the app.
const electronDist =
  process.platform === 'darwin' ? dirname(dirname(dirname(dirname(electron.path)))) : dirname(electron.path);
run('npx', ['electron-builder', platformFlag, '--publish', 'never', `--config.electronDist=${electronDist}`]);
