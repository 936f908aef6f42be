import { useEffect, useSyncExternalStore } from 'react';
import { focusWhenShown } from '../lib/focus.js';

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

/** Drops the notice (the page says something newer, which would make it stale: "with 0 workload(s)" once one is added). */
export function dismissFlash(): void {
  if (current) emit(undefined);
}

const FLASH_ID = 'flash-notice';

/** The notice for the page at `path`, when there is one (rendered by the app, above the page). */
export function FlashNotice({ path }: { path: string }) {
  const flash = useSyncExternalStore(subscribe, () => current);
  useEffect(() => {
    if (!flash) return;
    if (flash.path === path && !flash.seen) {
      // Marked in place: the notice stays the same, only its next page change drops it.
      flash.seen = true;
      focusWhenShown(FLASH_ID);
    } else if (flash.path !== path && flash.seen) {
      emit(undefined);
    }
  }, [flash, path]);
  if (!flash || flash.path !== path) return null;
  return (
    <p id={FLASH_ID} className="notice flash-notice" role="status">
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
