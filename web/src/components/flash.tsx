import { useContext, useEffect, useSyncExternalStore } from 'react';
import type { Id } from '../api/client.js';
import { focusWhenShown } from '../lib/focus.js';
import { parseHash } from '../lib/router.js';
import { SessionContext } from './session.js';

/**
 * A notice for the next page: a page that sends the user elsewhere once its work is done (a deleted
 * customer goes to the portfolio) says what happened there. The app's frame shows it above the page
 * whose path is `path`, moves the focus to it (so it is read out), and drops it once the user goes on
 * to another page.
 */
interface Flash {
  message: string;
  path: string;
  seen: boolean;
  /** The user the notice is for, when it must not show to another (signed in meanwhile in this tab). */
  userId?: Id | null;
}

/**
 * The app's two notices: one a page left for the next (`notice`, {@link showFlash}), and one failure of
 * work a page left behind (`failure`, {@link showFailure}). Each has its own place, so a failure coming
 * while a notice is still shown (a customer deleted, an export of the page before failing meanwhile)
 * shows beside it instead of replacing it; a newer notice replaces only an older one of its kind.
 */
type Slot = 'notice' | 'failure';
type Notices = Readonly<Partial<Record<Slot, Flash>>>;

let current: Notices = {};
const listeners = new Set<() => void>();

function emit(next: Notices): void {
  current = next;
  for (const listener of listeners) listener();
}

/** Drops the notice of `slot` when it is still `flash` (not one shown since). */
function drop(slot: Slot, flash: Flash): void {
  if (current[slot] === flash) emit({ ...current, [slot]: undefined });
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Shows `message` on the page at `path` (a route path, `/portfolio`), which the caller then goes to. */
export function showFlash(message: string, path: string): void {
  emit({ ...current, notice: { message, path, seen: false } });
}

/**
 * Says `message` above the page shown now, at once (role alert), without moving the focus: for work a
 * page started and the user left it to (a download under way when they went to another page), which then
 * failed. The page that would have said it is gone, and the user is busy with another, so their focus
 * stays where it is; the notice goes, as the others, once they go on to another page. It shows beside a
 * notice still shown (which keeps the focus), not instead of it. Shown to `userId` only: dropped if
 * someone else is signed in by the time it would show.
 */
export function showFailure(message: string, userId: Id | null): void {
  emit({ ...current, failure: { message, path: parseHash(window.location.hash).path, seen: false, userId } });
}

/** Drops the notice (the page says something newer, which would make it stale: "with 0 workload(s)" once one is added). */
export function dismissFlash(): void {
  if (current.notice) emit({ ...current, notice: undefined });
}

/**
 * Whether the app's page is kept, hidden, under another ("Choose your own password"): set by the app as
 * it renders. Its effects are cleaned up meanwhile as if it had gone, but it shows again as it was, so
 * work it started that ends meanwhile is said on the page itself, not in the app's notice.
 */
let pageKept = false;

/** Says whether the app's page is now kept hidden under another (see {@link isPageKept}); called by the app while rendering. */
export function setPageKept(kept: boolean): void {
  pageKept = kept;
}

/** True while the app's page is kept hidden under another, to show again: it has not been left. */
export function isPageKept(): boolean {
  return pageKept;
}

const IDS: Record<Slot, string> = { notice: 'flash-notice', failure: 'flash-failure' };

/** The notice of `slot` for the page at `path`, when there is one. */
function FlashLine({ slot, stored, path }: { slot: Slot; stored: Flash | undefined; path: string }) {
  const userId = useContext(SessionContext)?.me.id;
  const forAnother = stored?.userId !== undefined && stored.userId !== userId;
  const flash = forAnother ? undefined : stored;
  useEffect(() => {
    if (forAnother && stored) drop(slot, stored);
  }, [forAnother, stored, slot]);
  useEffect(() => {
    if (!flash) return;
    if (flash.path === path && !flash.seen) {
      // Marked in place: the notice stays the same, only its next page change drops it.
      flash.seen = true;
      // A failure is read out as an alert, where the user's focus is.
      if (slot === 'notice') focusWhenShown(IDS[slot]);
    } else if (flash.path !== path && flash.seen) {
      drop(slot, flash);
    }
  }, [flash, path, slot]);
  if (!flash || flash.path !== path) return null;
  const failure = slot === 'failure';
  return (
    <p id={IDS[slot]} className={failure ? 'state state-error flash-notice' : 'notice flash-notice'} role={failure ? 'alert' : 'status'}>
      {flash.message}{' '}
      <button
        type="button"
        className="button-link"
        onClick={() => {
          drop(slot, flash);
          // The button goes with the notice: the page itself is where to go on.
          document.getElementById('main')?.focus();
        }}
      >
        Dismiss
      </button>
    </p>
  );
}

/** The notices for the page at `path`, when there are any (rendered by the app, above the page). */
export function FlashNotice({ path }: { path: string }) {
  const notices = useSyncExternalStore(subscribe, () => current);
  return (
    <>
      <FlashLine slot="notice" stored={notices.notice} path={path} />
      <FlashLine slot="failure" stored={notices.failure} path={path} />
    </>
  );
}
