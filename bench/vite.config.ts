import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/** The benchmark page: shared/sync and raw Dexie bundled for headless Chromium (real IndexedDB). */
export default defineConfig({
  root: fileURLToPath(new URL('./browser', import.meta.url)),
  base: './',
  logLevel: 'warn',
  resolve: { tsconfigPaths: true },
  build: {
    outDir: fileURLToPath(new URL('../dist-bench', import.meta.url)),
    emptyOutDir: true,
    // Readable stacks when a bench fails; size does not matter here.
    minify: false,
    chunkSizeWarningLimit: 5000,
  },
});
