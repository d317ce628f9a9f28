import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Integration tests start real servers and talk to the machine's Redis; two cores, so keep it modest.
    pool: 'forks',
    maxWorkers: 2,
  },
});
