/**
 * Debian's Chromium and the flags every Chromium of this project runs with (browser tests and bench):
 * without the networking flags it floods the closed network with refused connections.
 */
export const chromiumExecutable = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
