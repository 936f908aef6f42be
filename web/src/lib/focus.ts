import { useEffect, useRef } from 'react';
import { getLastMove, parseHash } from './router.js';

/** Set by sign-in: the next page frame moves focus to the page's heading once it shows. */
let focusPending = false;
/** How long the frame waits for the (lazily loaded) page's heading before giving up. */
const WAIT_MS = 5_000;

/**
 * Asks the page frame about to mount to put focus on the page's main heading. After sign-in the form
 * that had focus is gone, so focus would fall to the document and the first Tab would land nowhere.
 */
export function requestContentFocus(): void {
  focusPending = true;
}

/**
 * Used by the page frame: when sign-in asked for it, focuses the first heading inside `main` as soon as
 * it exists (pages load lazily), unless the user has put focus somewhere meanwhile. The heading gets
 * tabindex -1 so it can take focus without becoming a Tab stop.
 */
export function useContentFocus(): void {
  useEffect(() => {
    if (!focusPending) return;
    const started = Date.now();
    let frame = 0;
    // The flag is cleared once settled (not on mount), so a remount in development's strict mode still focuses.
    const tryFocus = () => {
      const active = document.activeElement;
      if (active && active !== document.body && active !== document.documentElement) {
        focusPending = false;
        return;
      }
      const heading = document.querySelector<HTMLElement>('main h1');
      if (heading) {
        focusHeading(heading, false);
        focusPending = false;
        return;
      }
      if (Date.now() - started < WAIT_MS) frame = requestAnimationFrame(tryFocus);
      else focusPending = false;
    };
    frame = requestAnimationFrame(tryFocus);
    return () => cancelAnimationFrame(frame);
  }, []);
}

/** How long {@link focusWhenShown} waits for its element to be rendered. */
const SHOWN_WAIT_MS = 2_000;
/** Counts {@link focusWhenShown}'s requests: only the latest one still waits. */
let focusRequests = 0;

/**
 * Moves focus to the element with `id` (or the one `target` finds) as soon as it is rendered (it may
 * appear only after the state change that asked for it). An element that is not focusable on its own (a
 * heading, a panel) gets tabindex -1, so it takes focus without becoming a Tab stop. Gives up silently
 * after two seconds, and also when the user has put focus somewhere else meanwhile: a click into the
 * form's second field in the frames before its first one showed keeps its focus, and what is typed next
 * goes where they clicked (a late move to the first field sent it there, into the wrong field). A later
 * request replaces an earlier one still waiting.
 */
export function focusWhenShown(target: string | (() => HTMLElement | null | undefined)): void {
  const find = typeof target === 'string' ? () => document.getElementById(target) : target;
  const started = Date.now();
  const before = document.activeElement;
  const request = ++focusRequests;
  shownWaiting = request;
  const settle = () => {
    if (shownWaiting === request) shownWaiting = 0;
  };
  const tryFocus = () => {
    if (request !== focusRequests) return;
    const active = document.activeElement;
    const element = find();
    // The heading a new page put the focus on is not the user's choice: this request still goes ahead.
    if (active && active !== before && active !== appHeading && active !== document.body && active !== document.documentElement && active !== element) return settle();
    if (element && !element.matches(':disabled')) {
      if (element.tabIndex < 0 && !element.hasAttribute('tabindex')) element.setAttribute('tabindex', '-1');
      element.focus();
      return settle();
    }
    if (Date.now() - started < SHOWN_WAIT_MS) requestAnimationFrame(tryFocus);
    else settle();
  };
  requestAnimationFrame(tryFocus);
}

/**
 * A link followed from an item of a list (a portfolio row, a board card), to give the focus back to
 * after Back: `from` the address it was followed from, `href` where it led, `item` the item that held it
 * (like links of other items, a customer's on each of its rows, are not it), and `scrollTop` where the
 * list's own scroll box was (a virtualised list renders only the rows in view).
 */
export interface FollowedLink {
  from: string;
  href: string;
  item: string;
  scrollTop: number;
}

/** The last link {@link rememberFollowedLink} was told of (one at a time: Back returns to one page). */
let followedLink: FollowedLink | undefined;

/** Remembers the link followed from `item` of the list shown at the current address (the page calls it as the link is clicked). */
export function rememberFollowedLink(link: Omit<FollowedLink, 'from'>): void {
  followedLink = { ...link, from: window.location.hash };
}

/**
 * The link followed from the page at `hash`, when that page shows again after Back or Forward (the last
 * move the router took); undefined when the page was opened afresh (a link, the menu), which starts on
 * its heading as any new page does.
 */
export function findFollowedLink(hash: string): FollowedLink | undefined {
  return followedLink && followedLink.from === hash && getLastMove()?.kind === 'traverse' ? followedLink : undefined;
}

/**
 * Gives the focus back to `link` (found by `find` once the list shows it again), unless the user has put
 * it somewhere meanwhile; the heading waits for it ({@link focusWhenShown}). Used once: a later return
 * to the page starts on its heading unless a link is followed again. `find` returning null for good (the
 * item is no longer listed) is the caller's to judge; it calls {@link forgetFollowedLink} then.
 */
export function focusFollowedLink(link: FollowedLink, find: () => HTMLElement | null | undefined): void {
  forgetFollowedLink(link);
  if (!focusIsIdle(document.activeElement)) return;
  focusWhenShown(find);
}

/** Forgets `link` (its item is gone, or the focus went back to it). */
export function forgetFollowedLink(link: FollowedLink): void {
  if (followedLink === link) followedLink = undefined;
}

/** The request of {@link focusWhenShown} still waiting for its element (0: none): a new page's heading waits for it. */
let shownWaiting = 0;
/** The heading the app put the focus on last (after sign-in or a move to another page): focus there is nobody's choice. */
let appHeading: Element | null = null;

/** Focuses a page's main heading without making it a Tab stop; `keepScroll`: without scrolling it into view. */
function focusHeading(heading: HTMLElement, keepScroll: boolean): void {
  if (!heading.hasAttribute('tabindex')) heading.setAttribute('tabindex', '-1');
  heading.focus({ preventScroll: keepScroll });
  appHeading = heading;
}

/** True when no control has the focus: it is on the document (the focused element went with its page), or on a heading the app chose. */
function focusIsIdle(active: Element | null): boolean {
  return !active || active === document.body || active === document.documentElement || active === appHeading || !active.isConnected;
}

/**
 * After Back or Forward: scrolls the window to `y` (where the entry returned to was left, see RouteMove)
 * once the page is shown (its frame renders `routeHash` and its heading is there: pages load lazily, and
 * many show their heading with their data), again on the next frames while the page grows (a chart, a
 * list coming after), until it is there. Stops at once when the user scrolls, types or clicks, when
 * `current` says a newer move came, or after five seconds.
 */
function restoreScroll(y: number, current: () => boolean, routeHash: string, started: number): void {
  let userMoved = false;
  const stop = () => {
    userMoved = true;
  };
  const events = ['wheel', 'touchstart', 'keydown', 'mousedown'] as const;
  for (const event of events) window.addEventListener(event, stop, { passive: true, capture: true });
  const done = () => {
    for (const event of events) window.removeEventListener(event, stop, { capture: true });
  };
  const step = () => {
    if (userMoved || !current() || Date.now() - started >= WAIT_MS) return done();
    if (shownHeading(routeHash)) {
      if (Math.abs(window.scrollY - y) >= 1) window.scrollTo(0, y);
      if (Math.abs(window.scrollY - y) < 1) return done();
    }
    requestAnimationFrame(step);
  };
  requestAnimationFrame(step);
}

/** The main heading of the page frame once it shows `routeHash` and the heading is on screen; else null. */
function shownHeading(routeHash: string): HTMLElement | null {
  const main = document.querySelector<HTMLElement>('main[data-route]');
  if (main?.getAttribute('data-route') !== routeHash) return null;
  const heading = main.querySelector<HTMLElement>('h1');
  return heading && heading.getClientRects().length > 0 ? heading : null;
}

/** Counts the moves {@link usePageFocus} handles: a newer move stops the wait of an older one. */
let pageMoves = 0;

/**
 * Used by the page frame (with the hash it shows): after a move to another page of the app (a link in
 * the menu or in a page, Back or Forward, a move the app makes), the focus goes to the new page's main
 * heading (the first h1 inside the frame's main), as soon as it is shown (pages load lazily, and some
 * show their heading only with their data), so a keyboard user goes on from the top of the new page and
 * a screen reader reads its name. Without this the focus stayed on the menu link, or fell to the
 * document when the link went with its page. The heading takes it only while nobody has chosen another
 * place: a page that puts the focus somewhere on purpose ({@link focusWhenShown}, which this waits for,
 * a card or link the page focuses itself) and a user who clicked or tabbed meanwhile keep theirs. A move
 * on the same page (its filters, a tab) leaves the focus alone, unless the control that had it went
 * with the change (a page started afresh, a button that is no longer shown): then the heading takes it.
 * A link or a move of the app shows the new page from its top, as a page load would; Back and Forward
 * put back where the page was scrolled ({@link restoreScroll}, from the position the router kept) and
 * focus without scrolling.
 * Gives up after five seconds (a page that failed to load has no heading; its error is read out).
 */
export function usePageFocus(routeHash: string): void {
  const shownPath = useRef(parseHash(routeHash).path);
  const handled = useRef(getLastMove()?.seq ?? 0);
  useEffect(() => {
    const move = getLastMove();
    const path = parseHash(routeHash).path;
    const newPage = path !== shownPath.current;
    shownPath.current = path;
    if (!move || move.seq <= handled.current) return;
    handled.current = move.seq;
    // Sign-in asked for the heading already ({@link useContentFocus}).
    if (focusPending) return;
    const moveId = ++pageMoves;
    const before = move.focusBefore;
    const traverse = move.kind === 'traverse';
    if (newPage && !traverse) window.scrollTo(0, 0);
    const started = Date.now();
    if (traverse && move.scrollY !== undefined) restoreScroll(move.scrollY, () => moveId === pageMoves, routeHash, started);
    const tryFocus = () => {
      if (moveId !== pageMoves) return;
      const active = document.activeElement;
      // Someone chose where the focus goes: the user (a click, a Tab) or the page.
      if (!focusIsIdle(active) && !(newPage && active === before)) return;
      const heading = shownHeading(routeHash);
      if (heading && !shownWaiting) {
        if (active !== heading) focusHeading(heading, traverse || !newPage);
        return;
      }
      // On the same page only a lost focus is put back, at once or not at all.
      if (!newPage && !shownWaiting) return;
      if (Date.now() - started < WAIT_MS) requestAnimationFrame(tryFocus);
    };
    requestAnimationFrame(tryFocus);
  }, [routeHash]);
  // The frame goes (a sign-out): its wait ends with it.
  useEffect(
    () => () => {
      pageMoves += 1;
    },
    [],
  );
}
