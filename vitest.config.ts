import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // expect.poll waits up to 1 s by default: on a busy 2-core machine a browser page that restores its
    // scroll or focus after loading took longer, and the check failed though the page was right.
    expect: { poll: { timeout: 10_000 } },
    pool: 'forks',
    // One test file per core. Vitest's default leaves one core to itself, which on a 2-core machine ran one
    // file at a time while most files wait on CLI processes, browsers or the database: the suite took
    // 13-19 minutes. Files are independent (own temporary folders, ports and PostgreSQL schemas).
    maxWorkers: availableParallelism(),
    reporters: process.env.CI ? ['default'] : ['default'],
  },
});
