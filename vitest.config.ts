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
  },
});
