import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import { describe, expect, it } from 'vitest';

const configFile = fileURLToPath(new URL('./vite.config.ts', import.meta.url));

async function bundle(mode: 'main' | 'preload'): Promise<string> {
  const outDir = await mkdtemp(join(tmpdir(), `fieldbook-${mode}-`));
  try {
    await build({ configFile, mode, logLevel: 'silent', build: { outDir, sourcemap: false } });
    return await readFile(join(outDir, mode === 'main' ? 'index.cjs' : 'preload.cjs'), 'utf8');
  } finally {
    await rm(outDir, { recursive: true, force: true });
  }
}

const requiredModules = (code: string) =>
  [...code.matchAll(/require\(["']([^"']+)["']\)/g)].map((match) => match[1]);

describe('Electron bundles', () => {
  it('the sandboxed preload requires nothing but electron', async () => {
    const code = await bundle('preload');
    expect(new Set(requiredModules(code))).toEqual(new Set(['electron']));
    expect(code).toContain('exposeInMainWorld("api"');
  });

  it('the main process needs no node_modules at run time (only electron and Node built-ins)', async () => {
    const code = await bundle('main');
    const foreign = requiredModules(code).filter((name) => name !== 'electron' && !name?.startsWith('node:'));
    expect(foreign).toEqual([]);
  });
});
