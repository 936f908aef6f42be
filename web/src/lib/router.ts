import { useEffect, useRef, useState } from 'react';

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

/** The current route; re-renders on every hash change the app accepts (see {@link useLeaveGuard}). */
export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseHash(window.location.hash));
  useEffect(() => {
    installRouter();
    const onChange = () => setRoute(parseHash(window.location.hash));
    routeListeners.add(onChange);
    return () => {
      routeListeners.delete(onChange);
    };
  }, []);
  return route;
}

/*
 * Leaving a page with unsaved edits. A page registers what it would lose ({@link useLeaveGuard}); a
 * move to another page that the user starts (a link, Back or Forward, an address typed) is then held
 * and {@link LeaveRequest} asks whether to leave. Links are stopped before the address changes; Back
 * and Forward have changed it already, so the router puts the previous entry back (history.go by the
 * distance, from the index it stamps on each entry) and, if the user leaves, goes there again. An
 * address typed in the address bar is followed without a question (see docs/WEB.md). Moves the app makes itself (navigate, goTo, keepTyped) are never held: the page that
 * calls them knows what it is doing (a save's address clean-up, a sign-out).
 */

/** A move held for the user's answer: what would be lost, and the two ways on. */
export interface LeaveRequest {
  message: string;
  leave: () => void;
  stay: () => void;
}

/** Listeners of accepted hash changes (useRoute). */
const routeListeners = new Set<() => void>();
const requestListeners = new Set<() => void>();
let installed = false;
/** The address the page shows, and its entry's index in this tab's history. */
let shownHash = '';
let shownIndex = 0;
/** A hash change the router expects (a move the app or the user decided): accepted without a question. */
let allowedHash: string | undefined;
/** Set while the router puts the previous entry back: that hash change is not a move. */
let restoring = false;
/** The leave guards of the forms shown (a page may have several: Edit details and Add workload). */
const leaveChecks = new Set<() => string | undefined>();
let pending: LeaveRequest | undefined;
/** The hash goTo pushed, until the router takes it: a new entry, though stamped like the entry after the shown one (as Forward's is). */
let pushedHash: string | undefined;

/**
 * How the address reached the page last: `push` a new entry (a link, an address opened, a move of the
 * app), `replace` the shown entry rewritten, `traverse` Back or Forward (the browser restores where the
 * page was scrolled). `focusBefore` is the element that had the focus as the router took the address,
 * before the page changed; `seq` counts the moves; `scrollY` (after Back and Forward) is where the entry
 * returned to was scrolled when it was left (0 when this tab did not see it: the page's top).
 */
export interface RouteMove {
  kind: 'push' | 'replace' | 'traverse';
  focusBefore: Element | null;
  seq: number;
  scrollY?: number;
}

/**
 * Where each entry of this tab's history was scrolled, by its index. The app keeps this itself
 * (history.scrollRestoration is manual): the browser put the position back at once, on the page still
 * shown, before the page returned to had rendered (pages load lazily, many with their data), so it was
 * cut to the old page's height and then to the loading page's, and the page came back at its top.
 */
const scrolls = new Map<number, number>();

let lastMove: RouteMove | undefined;

/** The last move the router took (see {@link RouteMove}); the page frame moves the focus after it. */
export function getLastMove(): RouteMove | undefined {
  return lastMove;
}

const INDEX_KEY = 'unblockIndex';

function readIndex(): number | undefined {
  const state = window.history.state as Record<string, unknown> | null;
  const index = state?.[INDEX_KEY];
  return typeof index === 'number' ? index : undefined;
}

/** The history state for an entry at `index`, keeping whatever else is in it. */
function stateAt(index: number, keep: unknown = window.history.state): Record<string, unknown> {
  return { ...(keep && typeof keep === 'object' ? keep : {}), [INDEX_KEY]: index };
}

function setPending(next: LeaveRequest | undefined): void {
  pending = next;
  for (const listener of requestListeners) listener();
}

/** The move held for an answer, if any (for the dialog that asks). */
export function getLeaveRequest(): LeaveRequest | undefined {
  return pending;
}

export function subscribeLeaveRequest(listener: () => void): () => void {
  requestListeners.add(listener);
  return () => requestListeners.delete(listener);
}

/** What the forms shown would lose now (each form's own sentence), or undefined when nothing is unsaved. */
export function describeUnsaved(): string | undefined {
  const messages = [...leaveChecks].map((check) => check()).filter((m): m is string => !!m);
  return messages.length > 0 ? messages.join(' ') : undefined;
}

/** What leaving for `hash` would lose, or undefined: only a move to another page (path) asks. */
function lossFor(hash: string): string | undefined {
  if (leaveChecks.size === 0 || parseHash(hash).path === parseHash(shownHash).path) return undefined;
  // Every form that would lose something says so, in the order they were shown.
  return describeUnsaved();
}

/** Takes the address as the page's: stamps its entry's index (a new entry is one after the shown one) and tells the page. */
function accept(): void {
  let index = readIndex();
  let kind: RouteMove['kind'];
  if (index === undefined) {
    index = shownIndex + 1;
    window.history.replaceState(stateAt(index), '');
    kind = 'push';
  } else {
    kind = pushedHash === window.location.hash ? 'push' : index === shownIndex ? 'replace' : 'traverse';
  }
  pushedHash = undefined;
  // The entry left: where it was scrolled (the page shown is still its page).
  scrolls.set(shownIndex, window.scrollY);
  lastMove = { kind, focusBefore: document.activeElement, seq: (lastMove?.seq ?? 0) + 1, scrollY: kind === 'traverse' ? (scrolls.get(index) ?? 0) : undefined };
  // A new entry starts where the window is (a position kept for an entry once at this index is stale).
  if (kind === 'push') scrolls.set(index, window.scrollY);
  shownIndex = index;
  shownHash = window.location.hash;
  for (const listener of routeListeners) listener();
}

function onHashChange(): void {
  const hash = window.location.hash;
  if (restoring && hash === shownHash) {
    restoring = false;
    return;
  }
  if (allowedHash !== undefined && hash === allowedHash) {
    allowedHash = undefined;
    accept();
    return;
  }
  // An entry the router has not stamped is new: an address typed (or opened) in the address bar, which
  // is followed as it always was. Only Back and Forward, to entries the app made, are asked about here.
  const index = readIndex();
  const message = index === undefined ? undefined : lossFor(hash);
  if (!message || index === undefined) {
    accept();
    return;
  }
  // Back or Forward: put the shown entry back first, so address and page agree while asking.
  const distance = index - shownIndex;
  if (distance === 0) {
    // The shown entry itself was rewritten (not by the app): there is no entry to put back.
    accept();
    return;
  }
  restoring = true;
  window.history.go(-distance);
  setPending({
    message,
    stay: () => setPending(undefined),
    leave: () => {
      setPending(undefined);
      allowedHash = hash;
      window.history.go(distance);
    },
  });
}

/**
 * An entry with the shown address reached without a hash change: the address opened again over itself
 * (Enter in the address bar, a bookmark of the page shown) is a new entry, and Back or Forward between
 * two entries of one address moves to another. The page stays as it is; the router only learns where it
 * is: unstamped, the entry is new, one after the shown one. Left unknown, a later Back to it looked like
 * an address typed in, and was followed without asking about unsaved edits.
 */
function onPopState(): void {
  if (window.location.hash !== shownHash) return; // a hash change follows, which onHashChange takes
  let index = readIndex();
  if (index === undefined) {
    index = shownIndex + 1;
    window.history.replaceState(stateAt(index), '');
  }
  if (index === shownIndex) return;
  scrolls.set(shownIndex, window.scrollY);
  shownIndex = index;
}

/** A click on a link to another page of the app while its page has unsaved edits: held before the address changes. */
function onClick(event: MouseEvent): void {
  if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  const anchor = event.target instanceof Element ? event.target.closest('a[href]') : null;
  if (!(anchor instanceof HTMLAnchorElement) || (anchor.target && anchor.target !== '_self') || anchor.hasAttribute('download')) return;
  const href = anchor.getAttribute('href') ?? '';
  if (href.length > 1 && href.startsWith('#') && !href.startsWith('#/')) {
    // A link to a place on this page (`#details`): the address holds the page's route, so it stays, and
    // the target takes the focus (as the browser would move it) so the keyboard goes on from there.
    event.preventDefault();
    focusTarget(href.slice(1));
    return;
  }
  if (!href.startsWith('#/')) return;
  const message = lossFor(href);
  if (!message) return;
  event.preventDefault();
  setPending({
    message,
    stay: () => setPending(undefined),
    leave: () => {
      setPending(undefined);
      navigate(href);
    },
  });
}

/** Scrolls to the element with id `id` and focuses it (a heading or a section gets tabindex -1, taking the focus without becoming a Tab stop). */
function focusTarget(id: string): void {
  let decoded = id;
  try {
    decoded = decodeURIComponent(id);
  } catch {
    // A bad escape: the id as written.
  }
  const target = document.getElementById(decoded);
  if (!target) return;
  if (target.tabIndex < 0 && !target.hasAttribute('tabindex')) target.setAttribute('tabindex', '-1');
  target.scrollIntoView({ block: 'start' });
  target.focus({ preventScroll: true });
}

/** Starts following the address once (useRoute calls it): the hash listener and, after the app's own handlers, the link check. */
function installRouter(): void {
  if (installed) return;
  installed = true;
  shownHash = window.location.hash;
  const index = readIndex();
  if (index === undefined) window.history.replaceState(stateAt(0), '');
  shownIndex = index ?? 0;
  window.addEventListener('hashchange', onHashChange);
  window.addEventListener('popstate', onPopState);
  if ('scrollRestoration' in window.history) window.history.scrollRestoration = 'manual';
  window.addEventListener('scroll', () => scrolls.set(shownIndex, window.scrollY), { passive: true });
  // Bubbling on window: runs after the page's own click handlers, which may have handled the link.
  window.addEventListener('click', onClick);
}

/**
 * Keeps the user from losing unsaved edits by moving to another page of the app: while `message` is
 * set, such a move asks first (the dialog shows `message`, which says what would be lost); staying
 * keeps the address and the page as they were. A reload or a closed tab is the browser's own
 * question (beforeunload), which the page asks for itself.
 */
export function useLeaveGuard(message: string | undefined): void {
  const current = useRef(message);
  useEffect(() => {
    current.current = message;
  });
  useEffect(() => {
    const check = () => current.current;
    leaveChecks.add(check);
    return () => {
      leaveChecks.delete(check);
      if (pending) setPending(undefined);
    };
  }, []);
}

/** Builds `#/path?query` (in routes.ts, which has no DOM or React, so pure helpers build addresses too). */
export { toHref } from './routes.js';

/** Goes to a route; `replace` keeps the history entry (for filter edits). */
export function navigate(href: string, replace = false): void {
  if (replace) {
    window.history.replaceState(stateAt(shownIndex), '', href);
    allowedHash = window.location.hash;
    window.dispatchEvent(new HashChangeEvent('hashchange'));
  } else {
    const before = window.location.hash;
    window.location.hash = href.replace(/^#/, '');
    // The hash change comes a task later (none for the same hash); the address reads the new hash at once.
    if (window.location.hash !== before) allowedHash = window.location.hash;
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
  window.history.pushState(stateAt(shownIndex + 1, null), '', href);
  allowedHash = window.location.hash;
  pushedHash = allowedHash;
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
  window.history.replaceState(stateAt(shownIndex), '', before);
  window.history.pushState(stateAt(shownIndex + 1, null), '', now);
  shownIndex += 1;
  scrolls.set(shownIndex, window.scrollY);
}
