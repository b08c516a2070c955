import { builtinModules } from 'node:module';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/**
 * Builds the Electron main process and the preload into dist/main as self-contained CommonJS files
 * (`vite build -c main/vite.config.ts --mode main|preload`). Two builds, not one with two inputs: a
 * shared chunk would make the sandboxed preload `require` a sibling file, which a sandbox forbids.
 * Everything except Electron and Node built-ins is bundled, so the packaged app needs no node_modules.
 */
export default defineConfig(({ mode }) => {
  if (mode !== 'main' && mode !== 'preload') throw new Error(`--mode must be main or preload, got ${mode}`);
  const entry = mode === 'main' ? 'index' : 'preload';
  return {
    root: fileURLToPath(new URL('..', import.meta.url)),
    publicDir: false,
    logLevel: 'warn',
    resolve: { tsconfigPaths: true },
    ssr: { noExternal: true, target: 'node' },
    build: {
      ssr: fileURLToPath(new URL(`./${entry}.ts`, import.meta.url)),
      outDir: fileURLToPath(new URL('../dist/main', import.meta.url)),
      emptyOutDir: mode === 'main',
      target: 'node22',
      minify: false,
      sourcemap: true,
      rollupOptions: {
        external: ['electron', ...builtinModules, ...builtinModules.map((name) => `node:${name}`)],
        output: { format: 'cjs', entryFileNames: `${entry}.cjs` },
      },
    },
  };
});
