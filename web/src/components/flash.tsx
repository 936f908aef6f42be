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
  /** A failure, read out at once (role alert) where it shows, without moving the focus: see {@link showFailure}. */
  failure?: boolean;
  /** The user the notice is for, when it must not show to another (signed in meanwhile in this tab). */
  userId?: Id | null;
}

let current: Flash | undefined;
const listeners = new Set<() => void>();

function emit(next: Flash | undefined): void {
  current = next;
  for (const listener of listeners) listener();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Shows `message` on the page at `path` (a route path, `/portfolio`), which the caller then goes to. */
export function showFlash(message: string, path: string): void {
  emit({ message, path, seen: false });
}

/**
 * Says `message` above the page shown now, at once (role alert), without moving the focus: for work a
 * page started and the user left it to (a download under way when they went to another page), which then
 * failed. The page that would have said it is gone, and the user is busy with another, so their focus
 * stays where it is; the notice goes, as the others, once they go on to another page. Shown to `userId`
 * only: dropped if someone else is signed in by the time it would show.
 */
export function showFailure(message: string, userId: Id | null): void {
  emit({ message, path: parseHash(window.location.hash).path, seen: false, failure: true, userId });
}

/** Drops the notice (the page says something newer, which would make it stale: "with 0 workload(s)" once one is added). */
export function dismissFlash(): void {
  if (current) emit(undefined);
}

const FLASH_ID = 'flash-notice';

/** The notice for the page at `path`, when there is one (rendered by the app, above the page). */
export function FlashNotice({ path }: { path: string }) {
  const stored = useSyncExternalStore(subscribe, () => current);
  const userId = useContext(SessionContext)?.me.id;
  const forAnother = stored?.userId !== undefined && stored.userId !== userId;
  const flash = forAnother ? undefined : stored;
  useEffect(() => {
    if (forAnother) emit(undefined);
  }, [forAnother]);
  useEffect(() => {
    if (!flash) return;
    if (flash.path === path && !flash.seen) {
      // Marked in place: the notice stays the same, only its next page change drops it.
      flash.seen = true;
      if (!flash.failure) focusWhenShown(FLASH_ID);
    } else if (flash.path !== path && flash.seen) {
      emit(undefined);
    }
  }, [flash, path]);
  if (!flash || flash.path !== path) return null;
  return (
    <p id={FLASH_ID} className={flash.failure ? 'state state-error flash-notice' : 'notice flash-notice'} role={flash.failure ? 'alert' : 'status'}>
      {flash.message}{' '}
      <button type="button" className="button-link" onClick={() => {
          emit(undefined);
          // The button goes with the notice: the page itself is where to go on.
          document.getElementById('main')?.focus();
        }}>
        Dismiss
      </button>
    </p>
  );
}
