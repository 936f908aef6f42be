import { useEffect } from 'react';

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
        if (!heading.hasAttribute('tabindex')) heading.setAttribute('tabindex', '-1');
        heading.focus();
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
 * Moves focus to the element with `id` as soon as it is rendered (it may appear only after the state
 * change that asked for it). An element that is not focusable on its own (a heading, a panel) gets
 * tabindex -1, so it takes focus without becoming a Tab stop. Gives up silently after two seconds, and
 * also when the user has put focus somewhere else meanwhile: a click into the form's second field in
 * the frames before its first one showed keeps its focus, and what is typed next goes where they
 * clicked (a late move to the first field sent it there, into the wrong field). A later request
 * replaces an earlier one still waiting.
 */
export function focusWhenShown(id: string): void {
  const started = Date.now();
  const before = document.activeElement;
  const request = ++focusRequests;
  const tryFocus = () => {
    if (request !== focusRequests) return;
    const active = document.activeElement;
    if (active && active !== before && active !== document.body && active !== document.documentElement && active.id !== id) return;
    const element = document.getElementById(id);
    if (element && !element.matches(':disabled')) {
      if (element.tabIndex < 0 && !element.hasAttribute('tabindex')) element.setAttribute('tabindex', '-1');
      element.focus();
      return;
    }
    if (Date.now() - started < SHOWN_WAIT_MS) requestAnimationFrame(tryFocus);
  };
  requestAnimationFrame(tryFocus);
}
