/** The API test setup most suites share: a test world and its app, opened before the suite and closed after it. */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll } from 'vitest';
import { buildApp } from '../../src/http/index.js';
import { createTestWorld, type TestWorld } from '../factories.js';

/**
 * Registers the suite's hooks (call it inside `describe`) and returns the world and app they open,
 * readable from the tests on. `createTestWorld`'s own arguments pass through.
 */
export function useApiWorld(...args: Parameters<typeof createTestWorld>): { readonly world: TestWorld; readonly app: FastifyInstance } {
  const opened: { world?: TestWorld; app?: FastifyInstance } = {};
  beforeAll(async () => {
    opened.world = await createTestWorld(...args);
    opened.app = await buildApp(opened.world.services, { webDir: null });
  });
  afterAll(async () => {
    await opened.app?.close();
    await opened.world?.services.close();
  });
  return {
    get world() {
      return opened.world!;
    },
    get app() {
      return opened.app!;
    },
  };
}
