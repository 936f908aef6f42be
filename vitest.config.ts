import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // One test file per core. Vitest's default leaves one core to itself, which on a 2-core machine ran one
    // file at a time while most files wait on CLI processes, browsers or the database: the suite took
    // 13-19 minutes. Files are independent (own temporary folders, ports and PostgreSQL schemas).
    maxWorkers: availableParallelism(),
    reporters: process.env.CI ? ['default'] : ['default'],
  },
});
