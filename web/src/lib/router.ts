import { useEffect, useState } from 'react';

/** A parsed hash route: `#/portfolio?l1=Blocked` -> { path: '/portfolio', query }. */
export interface Route {
  path: string;
  query: URLSearchParams;
}

/** Parses a location hash; an empty hash is the home route `/`. Never throws. */
export function parseHash(hash: string): Route {
  const raw = hash.replace(/^#/, '') || '/';
  const [path = '/', search = ''] = raw.split('?', 2);
  return { path: path.startsWith('/') ? path : `/${path}`, query: new URLSearchParams(search) };
}

/** The current route; re-renders on every hash change. */
export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseHash(window.location.hash));
  useEffect(() => {
    const onChange = () => setRoute(parseHash(window.location.hash));
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return route;
}

/** Builds `#/path?query`; empty values are dropped so saved-view URLs stay short. */
export function toHref(path: string, query?: Record<string, string | undefined | null>): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined && v !== null && v !== '') params.set(k, v);
  const text = params.toString();
  return `#${path}${text ? `?${text}` : ''}`;
}

/** Goes to a route; `replace` keeps the history entry (for filter edits). */
export function navigate(href: string, replace = false): void {
  if (replace) {
    window.history.replaceState(null, '', href);
    window.dispatchEvent(new HashChangeEvent('hashchange'));
  } else {
    window.location.hash = href.replace(/^#/, '');
  }
}
