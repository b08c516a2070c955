import { defineConfig } from 'vitest/config';

export default defineConfig({
  // @shared/…, @renderer/…: the tsconfig paths (tsconfig.base.json).
  resolve: { tsconfigPaths: true },
  test: {
    include: [
      'shared/**/*.test.ts',
      'server/**/*.test.ts',
      'tests/**/*.test.ts',
      'renderer/**/*.test.ts',
      'main/**/*.test.ts',
    ],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Each file simulates devices with their own RxDB collections; RxDB's open-source build allows 13 per process.
    pool: 'forks',
    // Vitest's default is one worker fewer than the cores: one on the 2-core CI machine, where a server test's
    // worker then idles while its child server process works, and every file's start-up runs in series.
    // Two workers, measured on a quiet 2-core machine (2 Dec 2026): the whole suite in 222 s, all green,
    // against 444–474 s with one.
    maxWorkers: 2,
  },
});
