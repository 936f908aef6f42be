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
    // Test files of one worker share its module graph instead of each importing it afresh: on 2 cores a
    // fresh import of the app (Fastify, Kysely, zod, wink) and a first classifier load cost each file
    // 2-5 s, about a third of the suite's time. The files keep no state of their own in modules: each
    // opens its own database, server, ports and folders, and none changes process.env or globals.
    isolate: false,
    // One test file per core. Vitest's default leaves one core to itself, which on a 2-core machine ran one
    // file at a time while most files wait on CLI processes, browsers or the database: the suite took
    // 13-19 minutes. Files are independent (own temporary folders, ports and PostgreSQL schemas).
    maxWorkers: availableParallelism(),
    reporters: process.env.CI ? ['default'] : ['default'],
  },
});
