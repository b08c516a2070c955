/**
 * `npm start`: the desktop app when the Electron binary is installed; otherwise (one line says so) the same
 * app in the browser, wired to a local sync server on embedded PGlite with a fresh demo token, so a newcomer
 * sees the product — syncing — with one command. Ctrl-C stops everything this script started.
 *
 * Environment: SERVER_PORT (default 8787), WEB_PORT (default 5173), DATA_DIR (default ./.fieldbook-server),
 * DEMO_TENANT / DEMO_USER (default demo / demo).
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { setTimeout as delay } from 'node:timers/promises';
import { findElectronBinary } from '../build/electron-binary';

const isWindows = process.platform === 'win32';
const children: ChildProcess[] = [];
let stopping = false;

function start(command: string, args: string[], env: NodeJS.ProcessEnv = {}): ChildProcess {
  const child = spawn(command, args, {
    stdio: 'inherit',
    env: { ...process.env, ...env },
    shell: isWindows,
    // Own process group, so stopping `npm run web` also stops the vite process npm started.
    detached: !isWindows,
  });
  children.push(child);
  child.on('exit', (code, signal) => {
    if (stopping) return;
    console.error(`${command} ${args.join(' ')} exited (${signal ?? code}); stopping.`);
    void stopAll(code ?? 1);
  });
  return child;
}

async function stopAll(exitCode: number): Promise<never> {
  stopping = true;
  for (const child of children) {
    if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) continue;
    try {
      if (isWindows) child.kill();
      else process.kill(-child.pid, 'SIGTERM');
    } catch (error) {
      console.error(`could not stop process ${child.pid}:`, error);
    }
  }
  const deadline = Date.now() + 5000;
  while (
    children.some((child) => child.exitCode === null && child.signalCode === null) &&
    Date.now() < deadline
  ) {
    await delay(100);
  }
  process.exit(exitCode);
}

async function waitForHttp(url: string, what: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastProblem = 'no answer yet';
  while (Date.now() < deadline) {
    if (stopping) return;
    try {
      const response = await fetch(url);
      if (response.ok) return;
      lastProblem = `HTTP ${response.status}`;
    } catch (error) {
      lastProblem = error instanceof Error ? error.message : String(error);
    }
    await delay(250);
  }
  throw new Error(`${what} did not answer at ${url} within ${timeoutMs / 1000} s (${lastProblem})`);
}

function runOrExit(command: string, args: string[]): void {
  const result = spawnSync(command, args, { stdio: 'inherit', shell: isWindows });
  if (result.error) throw result.error;
  if (result.status !== 0) process.exit(result.status ?? 1);
}

/** Creates a token with the server CLI; the CLI prints it as the last line of stdout. */
function createDemoToken(env: NodeJS.ProcessEnv, tenant: string, user: string): string {
  const result = spawnSync(
    'npx',
    ['tsx', 'server/cli.ts', 'token', '--tenant', tenant, '--user', user, '--name', 'Demo User'],
    {
      env: { ...process.env, ...env },
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
      shell: isWindows,
    },
  );
  if (result.error) throw result.error;
  const token = result.stdout.trim().split('\n').at(-1)?.trim();
  if (result.status !== 0 || !token) throw new Error(`could not create a demo token (exit ${result.status})`);
  return token;
}

async function startInBrowser(reason: string): Promise<void> {
  console.log(`Electron is not installed here (${reason}); starting Fieldbook CRM in the browser instead.`);
  const serverPort = process.env.SERVER_PORT ?? '8787';
  const webPort = process.env.WEB_PORT ?? '5173';
  const serverUrl = `http://127.0.0.1:${serverPort}`;
  const serverEnv = {
    HOST: '127.0.0.1',
    PORT: serverPort,
    DATA_DIR: process.env.DATA_DIR ?? './.fieldbook-server',
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
  };
  // Before the server starts: embedded PGlite is single-process, so the CLI cannot share it with a running server.
  const token = createDemoToken(
    serverEnv,
    process.env.DEMO_TENANT ?? 'demo',
    process.env.DEMO_USER ?? 'demo',
  );
  start('npx', ['tsx', 'server/cli.ts'], serverEnv);
  start('npm', ['run', 'web'], { PORT: webPort });
  await waitForHttp(`${serverUrl}/healthz`, 'The sync server', 60_000);
  const webUrl = `http://127.0.0.1:${webPort}/`;
  await waitForHttp(webUrl, 'The web app', 180_000);
  if (stopping) return;
  // The web bridge takes these once from the fragment (never sent to the web server) and stores them as the
  // Settings view would, so the app connects by itself; the two values are printed for other browsers too.
  const connect = new URLSearchParams({ server: serverUrl, token });
  console.log(`\nFieldbook CRM is running: ${webUrl}#${connect.toString()}`);
  console.log(`To sync, open Settings and enter  Server URL: ${serverUrl}  Access token: ${token}`);
  console.log(`Sync server data: ${serverEnv.DATA_DIR}. Press Ctrl-C to stop.\n`);
}

async function main(): Promise<void> {
  process.on('SIGINT', () => void stopAll(0));
  process.on('SIGTERM', () => void stopAll(0));
  const electron = findElectronBinary();
  if (!electron.available) {
    await startInBrowser(electron.reason);
    return;
  }
  runOrExit('npm', ['run', 'build']);
  start(electron.path, ['.']);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  void stopAll(1);
});
