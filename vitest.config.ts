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
    // Vitest's default is one worker on 2 cores (cores − 1). The suites mostly wait on sync servers and
    // databases in other processes, and every suite has its own server, database and tenants, so two
    // files at a time keep both of the CI machine's 2 cores busy.
    maxWorkers: 2,
  },
});
