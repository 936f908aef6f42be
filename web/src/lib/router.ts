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

/**
 * How a change reaches the address: `push` adds a history entry, so Back undoes it (a choice from a
 * list, a button, a value applied); `replace` rewrites the current entry (text as it is typed, and the
 * address's own corrections), so Back is not one step per keystroke.
 */
export type HistoryMode = 'push' | 'replace';

/**
 * Goes to `href` in `mode`, and the page follows at once. A push goes through pushState and tells the
 * router in the same task, as a replace does, rather than setting location.hash (whose hashchange
 * comes a task later): the page then never shows the new address with the old filters' controls and
 * data. Pushing the address already shown adds no entry.
 */
export function goTo(href: string, mode: HistoryMode): void {
  if (mode === 'replace' || href === window.location.hash) {
    navigate(href, true);
    return;
  }
  window.history.pushState(null, '', href);
  window.dispatchEvent(new HashChangeEvent('hashchange'));
}

/**
 * Makes what was typed into one box one step of history. Typing replaces the current entry
 * (`goTo(href, 'replace')`); once the value is applied (Enter, leaving the box), this puts `before`
 * (the address when the typing began) back in that entry and adds the typed address after it, so
 * Back returns to `before`. It does nothing when the address is `before` again (the typing was undone),
 * or is no longer `typed` (the last address the typing wrote): Back, a link or a correction moved it
 * since. The page is not told: it already shows the typed address.
 */
export function keepTyped(before: string, typed: string): void {
  const now = window.location.hash;
  if (now === before || now !== typed) return;
  window.history.replaceState(null, '', before);
  window.history.pushState(null, '', now);
}
