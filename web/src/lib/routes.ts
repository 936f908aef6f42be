/*
 * Which page an address is, and a page's address (pure: no DOM, no React, so tests import it as it
 * is). The app routes by the hash; `matchPage` reads the path of a parsed hash (`parseHash` in
 * router.ts), `hashAddressFor` turns a path-style link (`/portfolio`, which the server answers with
 * the app's index.html) into the hash address the router reads (`/#/portfolio`), and `toHref` writes
 * a hash address (router.ts exports it too).
 */

/** The pages whose address is their name alone (`#/portfolio`, `#/reports?report=…`). */
export const PLAIN_PAGES = ['triage', 'portfolio', 'reports', 'playbook', 'users', 'account', 'import', 'tokens'] as const;
export type PlainPage = (typeof PLAIN_PAGES)[number];

/**
 * What an address path shows:
 * - `home`: no page named (`/`): the signed-in user's first page;
 * - `page`: one of {@link PLAIN_PAGES};
 * - `customer` / `entitlement`: its page for `id`, or the "not found" of that kind when `id` is undefined
 *   (`#/customers/abc`: the page is right, the id is not one);
 * - `new-customer`: the form that creates a customer (`#/customers/new`);
 * - `unknown`: no page of the app has this address (`#/portfolo`, `#/reports/nope`, `#/customers/1/x`).
 */
export type PageMatch =
  | { kind: 'home' }
  | { kind: 'page'; page: PlainPage }
  | { kind: 'customer' | 'entitlement'; id: number | undefined }
  | { kind: 'new-customer' }
  | { kind: 'unknown' };

/** A positive integer id from a path segment (digits only), or undefined. */
function toId(segment: string | undefined): number | undefined {
  if (segment === undefined || !/^\d+$/.test(segment)) return undefined;
  const id = Number(segment);
  return Number.isSafeInteger(id) && id > 0 ? id : undefined;
}

/** The page for `path` (the hash's path, `/portfolio`); one trailing slash is ignored (`/portfolio/`). */
export function matchPage(path: string): PageMatch {
  const trimmed = path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
  const segments = trimmed.split('/').slice(1);
  const [first = '', second, ...rest] = segments;
  if (first === '' && segments.length <= 1) return { kind: 'home' };
  if (second === undefined && (PLAIN_PAGES as readonly string[]).includes(first)) return { kind: 'page', page: first as PlainPage };
  if (first === 'customers' && second === 'new' && rest.length === 0) return { kind: 'new-customer' };
  if ((first === 'customers' || first === 'entitlements') && rest.length === 0) {
    return { kind: first === 'customers' ? 'customer' : 'entitlement', id: toId(second) };
  }
  return { kind: 'unknown' };
}

/**
 * The hash address for a location opened by its path (`/portfolio?l1=Blocked` becomes
 * `/#/portfolio?l1=Blocked`), or undefined when the path is the app's own (`/`, `/index.html`) and the
 * address is left as it is. When the location has a hash route as well, that route is the address
 * (the path is dropped): the hash is what the app's links write. Trailing slashes are dropped.
 */
export function hashAddressFor(location: { pathname: string; search: string; hash: string }): string | undefined {
  const { pathname, search, hash } = location;
  if (pathname === '/' || pathname === '' || pathname === '/index.html') return undefined;
  if (hash !== '' && hash !== '#' && hash !== '#/') return `/${hash}`;
  const path = pathname.replace(/\/+$/, '') || '/';
  return `/#${path}${search}`;
}

/** Builds `#/path?query`; empty values are dropped so saved-view URLs stay short. */
export function toHref(path: string, query?: Record<string, string | undefined | null>): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined && v !== null && v !== '') params.set(k, v);
  const text = params.toString();
  return `#${path}${text ? `?${text}` : ''}`;
}
