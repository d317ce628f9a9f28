import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    // Generous: many tests start real `loket serve` processes, and on two busy cores a start can take 20 s or more.
    testTimeout: 90_000,
    hookTimeout: 120_000,
    // Integration tests start real servers and talk to the machine's Redis; two cores, so keep it modest.
    pool: 'forks',
    maxWorkers: 2,
  },
});
