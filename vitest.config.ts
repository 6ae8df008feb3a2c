import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The CLI tests run the built CLI (dist/): rebuilt first when src/ changed.
    globalSetup: ['test/helpers/build-dist.ts'],
    // Integration tests start real servers and peers; files run in parallel workers (2 cores).
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    maxWorkers: 2,
  },
});
