/**
 * `npm run lint` step: Electronegativity (Doyensec's Electron security scanner, offline from its npm package)
 * over what the desktop app ships: the shell (main/) and the page it loads (renderer/index.html and src/),
 * in ONE scan so its global checks see the whole app (the CSP of index.html, the navigation and permission
 * handlers of main/). Exits 1 on any HIGH or MEDIUM finding not acknowledged below.
 *
 * Some checks flag every use of an API for a person to review (openExternal with a non-constant URL, any
 * preload script). Such a finding is acknowledged here by check, file and the start of its source line, with
 * the reason; the same API used anywhere else, or that line changed, fails the lint until someone reviews it.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Papa from 'papaparse';

/** `sample`: how the flagged source line starts. */
type Acknowledged = { check: string; file: string; sample: string; reason: string };

const acknowledged: Acknowledged[] = [
  {
    check: 'OPEN_EXTERNAL_JS_CHECK',
    file: 'main/index.ts',
    sample: 'shell.openExternal(safeUrl)',
    reason:
      'safeUrl comes from externalUrlOrNull (main/app-origin.ts): http(s) URLs only (app-origin.test.ts)',
  },
  {
    check: 'PRELOAD_JS_CHECK',
    file: 'main/index.ts',
    sample: 'preload: preloadPath,',
    reason:
      'the preload only exposes the typed FieldbookBridge through contextBridge (sandbox, context isolation); ' +
      'main validates every IPC payload with zod and answers only the app origin',
  },
];

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const electronVersion = (require('electron/package.json') as { version: string }).version;

const scan = mkdtempSync(join(tmpdir(), 'fieldbook-electronegativity-'));
try {
  const app = join(scan, 'app');
  const shipped = (path: string) => !/\.test\.tsx?$/.test(path);
  cpSync(join(repoRoot, 'main'), join(app, 'main'), { recursive: true, filter: shipped });
  mkdirSync(join(app, 'renderer'));
  cpSync(join(repoRoot, 'renderer/index.html'), join(app, 'renderer/index.html'));
  cpSync(join(repoRoot, 'renderer/src'), join(app, 'renderer/src'), { recursive: true, filter: shipped });

  const output = join(scan, 'findings.csv');
  // The Electron version is given, so the scan never asks the network for Electron's releases.
  const run = spawnSync(
    'npx',
    ['electronegativity', '-i', app, '-r', '-e', electronVersion, '-o', output, '-v', 'false'],
    { cwd: repoRoot, encoding: 'utf8' },
  );
  if (run.status !== 0) {
    console.error(run.stdout, run.stderr);
    throw new Error(`electronegativity exited with ${run.status ?? run.signal}`);
  }
  const rows = Papa.parse<Record<string, string>>(readFileSync(output, 'utf8'), {
    header: true,
    skipEmptyLines: true,
    transformHeader: (header) => header.trim(),
  }).data;
  const findings = rows.map((row) => ({
    check: row.issue ?? '',
    severity: row.severity ?? '',
    confidence: row.confidence ?? '',
    file: row.filename ?? '',
    location: row.location ?? '',
    sample: (row.sample ?? '').trim(),
  }));
  const blocking = findings.filter(
    (finding) =>
      (finding.severity === 'HIGH' || finding.severity === 'MEDIUM') &&
      !acknowledged.some(
        (known) =>
          known.check === finding.check &&
          known.file === finding.file &&
          finding.sample.startsWith(known.sample),
      ),
  );
  const bySeverity = new Map<string, number>();
  for (const { severity } of findings) bySeverity.set(severity, (bySeverity.get(severity) ?? 0) + 1);
  const counts = [...bySeverity].map(([severity, count]) => `${count} ${severity}`);
  console.log(
    `electronegativity (Electron ${electronVersion}, main/ + renderer/): ${counts.join(', ') || 'no findings'}; ` +
      `${acknowledged.length} reviewed findings acknowledged in scripts/electron-security.ts`,
  );
  for (const finding of blocking) {
    console.error(
      `${finding.severity} ${finding.check} ${finding.file}:${finding.location} ${finding.sample}\n` +
        `  see https://github.com/doyensec/electronegativity/wiki/${finding.check}`,
    );
  }
  if (blocking.length > 0) process.exitCode = 1;
} finally {
  rmSync(scan, { recursive: true, force: true });
}
