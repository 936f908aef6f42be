/**
 * The set-up every browser test file shares: {@link describeInBrowser} skips the file's browser tests
 * (with a warning) when Chromium or web/dist is missing, and {@link useBrowserSuite}, called in that
 * describe, starts the seeded server and one Chromium page before its tests and closes both after
 * them. The steps of a file run in order on that one page; what a file adds (users, listeners, a first
 * sign-in) goes in a `beforeAll` of its own after the call, which vitest runs after the suite's.
 */
import { afterAll, beforeAll, describe } from 'vitest';
import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import type { Services } from '../../../src/app/index.js';
import { findBrowserSkipReason, startE2eServer, type E2eServer } from './server.js';
import type { E2eWorld } from './seed.js';
import { expectAccessible, openBrowserPage, openPage, signIn, submitSignIn } from './page.js';

/** An email and password to sign in with (the seed's logins, or users a test adds). */
export interface Login {
  email: string;
  password: string;
}

/** `describe` for browser tests: skipped, with a warning saying why, when they cannot run here. */
export function describeInBrowser(name: string, body: () => void): void {
  const skipReason = findBrowserSkipReason();
  if (skipReason) console.warn(`[e2e] browser tests skipped: ${skipReason}`);
  describe.skipIf(skipReason !== undefined)(name, body);
}

export interface BrowserSuiteOptions {
  /** HTTP statuses the tests provoke on purpose: Chromium's console errors for them are not collected. */
  allowedStatuses: number[];
  /** Browser context options over the default 1280 × 860 viewport (a narrow viewport, downloads). */
  context?: BrowserContextOptions;
  /** Generated entitlements added to the test partner (see {@link startE2eServer}). */
  extraEntitlements?: number;
  /** The page's default timeout in ms (10 s when not given). */
  timeout?: number;
}

/**
 * What a browser test file works with. The server, browser, context and page exist from the suite's
 * `beforeAll` on (reading them earlier throws); the functions may be taken out of the object at once.
 */
export interface BrowserSuite {
  readonly server: E2eServer;
  /** The server's base URL, `http://127.0.0.1:<port>`. */
  readonly url: string;
  /** The seeded test world (partner, logins, customers, entitlements). */
  readonly world: E2eWorld;
  /** The server's services (tracker, db, clock) for seeding and for checking what was stored. */
  readonly services: Services;
  readonly browser: Browser;
  readonly context: BrowserContext;
  readonly page: Page;
  /** Console errors and page errors so far, less the provoked refusals of `allowedStatuses`. */
  readonly consoleErrors: string[];
  /** Opens `hash` of the app and waits for its page (see {@link openPage}). */
  readonly go: (hash: string) => Promise<void>;
  /** Signs in from the sign-in page and waits for the main menu. */
  readonly signIn: (login: Login) => Promise<void>;
  /** Drops the session cookies first, then signs in (another user, whatever the page showed). */
  readonly signInFresh: (login: Login) => Promise<void>;
  /** Fills and sends the sign-in form the page shows now, without loading the sign-in page first. */
  readonly submitSignIn: (login: Login) => Promise<void>;
  /** Signs out with the header's button and waits for the sign-in form. */
  readonly signOut: () => Promise<void>;
  /** Fails with every serious or critical axe violation on the page, each prefixed with `name`. */
  readonly expectAccessible: (name: string) => Promise<void>;
}

/** Registers the hooks that start and stop the server and the browser page; call it inside a describe. */
export function useBrowserSuite(options: BrowserSuiteOptions): BrowserSuite {
  let server: E2eServer | undefined;
  let opened: { browser: Browser; context: BrowserContext; page: Page } | undefined;
  const consoleErrors: string[] = [];

  const ready = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`the e2e ${what} is not started yet: use it in a test or a beforeAll after useBrowserSuite()`);
    return value;
  };

  beforeAll(async () => {
    server = await startE2eServer({ extraEntitlements: options.extraEntitlements });
    opened = await openBrowserPage({ consoleErrors, allowedStatuses: options.allowedStatuses, context: options.context, timeout: options.timeout });
  });

  afterAll(async () => {
    await opened?.browser.close();
    await server?.close();
  });

  const suite: BrowserSuite = {
    get server() {
      return ready(server, 'server');
    },
    get url() {
      return suite.server.url;
    },
    get world() {
      return suite.server.world;
    },
    get services() {
      return suite.server.services;
    },
    get browser() {
      return ready(opened, 'browser').browser;
    },
    get context() {
      return ready(opened, 'browser').context;
    },
    get page() {
      return ready(opened, 'browser').page;
    },
    consoleErrors,
    go: (hash) => openPage(suite.page, suite.url, hash),
    signIn: (login) => signIn(suite.page, suite.url, login),
    signInFresh: async (login) => {
      await suite.context.clearCookies();
      await signIn(suite.page, suite.url, login);
    },
    submitSignIn: (login) => submitSignIn(suite.page, login),
    signOut: async () => {
      await suite.page.getByRole('button', { name: 'Sign out' }).click();
      await suite.page.getByLabel('Email').waitFor();
    },
    expectAccessible: (name) => expectAccessible(suite.page, name),
  };
  return suite;
}
