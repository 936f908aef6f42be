/**
 * Which page an address is, without a browser (`web/src/lib/routes.ts`): the app's pages, the home
 * address, addresses that are no page (shown as "Page not found" instead of sending the user to their
 * first page), and path-style links turned into the hash address the router reads.
 */
import { describe, expect, it } from 'vitest';
import { hashAddressFor, matchPage } from '../../web/src/lib/routes.js';

describe('matchPage', () => {
  it('finds each page by its address', () => {
    expect(matchPage('/')).toEqual({ kind: 'home' });
    expect(matchPage('/portfolio')).toEqual({ kind: 'page', page: 'portfolio' });
    expect(matchPage('/portfolio/')).toEqual({ kind: 'page', page: 'portfolio' });
    expect(matchPage('/tokens')).toEqual({ kind: 'page', page: 'tokens' });
    expect(matchPage('/customers/12')).toEqual({ kind: 'customer', id: 12 });
    expect(matchPage('/entitlements/7')).toEqual({ kind: 'entitlement', id: 7 });
  });

  it('finds the new-customer form at #/customers/new, not a customer without an id', () => {
    expect(matchPage('/customers/new')).toEqual({ kind: 'new-customer' });
    expect(matchPage('/customers/new/')).toEqual({ kind: 'new-customer' });
    expect(matchPage('/customers/new/x')).toEqual({ kind: 'unknown' });
    expect(matchPage('/customers/New')).toEqual({ kind: 'customer', id: undefined });
    expect(matchPage('/entitlements/new')).toEqual({ kind: 'entitlement', id: undefined });
  });

  it('keeps a page with a bad id as that page, to say its id is not found', () => {
    expect(matchPage('/customers/abc')).toEqual({ kind: 'customer', id: undefined });
    expect(matchPage('/customers')).toEqual({ kind: 'customer', id: undefined });
    expect(matchPage('/entitlements/0')).toEqual({ kind: 'entitlement', id: undefined });
    expect(matchPage('/entitlements/1e3')).toEqual({ kind: 'entitlement', id: undefined });
  });

  it('calls every other address unknown, rather than home', () => {
    for (const path of ['/portfolo', '/reports/nope', '/Portfolio', '/customers/1/history', '/triage/x/y', '/x']) {
      expect(matchPage(path), path).toEqual({ kind: 'unknown' });
    }
  });
});

describe('hashAddressFor', () => {
  const at = (pathname: string, search = '', hash = '') => hashAddressFor({ pathname, search, hash });

  it('leaves the app’s own path alone', () => {
    expect(at('/')).toBeUndefined();
    expect(at('/', '', '#/portfolio')).toBeUndefined();
    expect(at('/index.html', '', '#/reports')).toBeUndefined();
  });

  it('turns a path-style link into its hash address, with its query', () => {
    expect(at('/portfolio')).toBe('/#/portfolio');
    expect(at('/portfolio/')).toBe('/#/portfolio');
    expect(at('/portfolio', '?l1=Blocked')).toBe('/#/portfolio?l1=Blocked');
    expect(at('/reports/nope')).toBe('/#/reports/nope');
    expect(at('/customers/12', '', '#')).toBe('/#/customers/12');
  });

  it('keeps a hash route that is there, dropping the path', () => {
    expect(at('/portfolio', '', '#/reports?report=ageing')).toBe('/#/reports?report=ageing');
  });
});
