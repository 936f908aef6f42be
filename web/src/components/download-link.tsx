import { useCallback, useEffect, useRef, useState, type KeyboardEvent as ReactKeyboardEvent, type MouseEvent as ReactMouseEvent, type ReactNode } from 'react';
import { ApiError, fetchFile } from '../api/client.js';
import { filenameFromDisposition } from '../lib/content-disposition.js';
import { downloadBlob } from '../lib/download.js';
import { isPageKept, showFailure } from './flash.js';
import { useSession } from './session.js';

/** A download started from a {@link DownloadLink}: whether it is on its way, and why the last one failed. */
export interface Download {
  busy: boolean;
  /** What the page says about the last download that failed; undefined once one worked or it was dismissed. */
  error: string | undefined;
  /**
   * What the page says about a download saved while it was kept hidden under "Choose your own password"
   * (the user saw nothing of it, and the app's notice then says what the page was doing was not done);
   * undefined otherwise, and once dismissed or another download starts.
   */
  savedMeanwhile: string | undefined;
  start: (href: string) => void;
  dismiss: () => void;
}

/**
 * Downloads files of the API as requests of this tab (see `fetchFile`): a plain link could not name the
 * user the tab acts as, so after another user signed in elsewhere in the browser it downloaded their
 * data, and a refusal came as a failed download with nothing said on the page. The file keeps the name
 * the server gives it (`Content-Disposition`), else `fallbackName`. `what` names the file in the error
 * ("The CSV export failed: …"). A download under way when the page goes (the user moved to another page
 * of the app) goes on, as a plain link's did, and saves its file when it comes; if it fails, the page that
 * would have said so is gone, so the app's notice says it above the page the user is on now, read out
 * without taking their focus ({@link showFailure}), always naming the file (a refusal's own words, "This
 * was not done", would not say what was not done there). A page kept hidden under "Choose your own
 * password" has not gone, though its effects are cleaned up as if it had ({@link isPageKept}): what ends
 * meanwhile is said on the page, and its link is free, when it shows again: a failure, and a file saved
 * meanwhile too ("… was saved while you chose your password"), so the user does not export it twice.
 * Whether the page went or is kept is read per page, when its effects are cleaned up (the app sets the
 * flag while rendering, before that): a page left before another was kept still says its failure in the
 * app's notice.
 */
export function useDownload(what: string, fallbackName: string): Download {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const [savedMeanwhile, setSavedMeanwhile] = useState<string>();
  const running = useRef(false);
  const userId = useSession().me.id;
  /** False once the page went, or while it is kept hidden (its effects cleaned up): see {@link isPageKept}. */
  const mounted = useRef(true);
  /** True while this page is kept hidden (its effects cleaned up as it was hidden), false once it went. */
  const keptHidden = useRef(false);
  useEffect(() => {
    mounted.current = true;
    keptHidden.current = false;
    // Shown again after being kept hidden: the link is free unless a download is still on its way.
    setBusy(running.current);
    return () => {
      mounted.current = false;
      // Cleaned up in the commit of the render that hid the page (flag set) or took it away (flag clear).
      keptHidden.current = isPageKept();
    };
  }, []);

  const start = useCallback(
    (href: string) => {
      if (running.current) return;
      running.current = true;
      setBusy(true);
      setError(undefined);
      setSavedMeanwhile(undefined);
      fetchFile(href)
        .then((file) => {
          downloadBlob(file.blob, filenameFromDisposition(file.disposition, fallbackName));
          // Saved while the page was hidden: it says so when it shows again.
          if (!mounted.current && keptHidden.current) setSavedMeanwhile(`${what} was saved while you chose your password.`);
        })
        .catch((err: unknown) => {
          const message = err instanceof Error ? err.message : String(err);
          // The page the user left cannot say it: the app's notice does. A page kept hidden will say it itself.
          if (!mounted.current && !keptHidden.current) {
            showFailure(`${what} failed: ${message}`, userId);
            return;
          }
          // A refusal for the session (ended, now another user's, or held until its password is changed)
          // says what happened in its own words, as the dialog or page the app shows over this one does.
          const forSession = err instanceof ApiError && (err.status === 401 || err.code === 'PASSWORD_CHANGE_REQUIRED');
          setError(forSession ? message : `${what} failed: ${message}`);
        })
        .finally(() => {
          running.current = false;
          // Kept for a page kept hidden, which shows it again; nothing for a page gone.
          setBusy(false);
        });
    },
    [what, fallbackName, userId],
  );
  const dismiss = useCallback(() => {
    setError(undefined);
    setSavedMeanwhile(undefined);
  }, []);
  return { busy, error, savedMeanwhile, start, dismiss };
}

/** The id of the message a {@link DownloadLink} points to with aria-describedby while it is shown. */
const errorId = (id: string) => `${id}-error`;

/**
 * A link to a file of the API, styled as a button, that downloads it through {@link useDownload}. It
 * stays a link (`href` is the file's address, so a keyboard user reaches and starts it as any link,
 * with Enter): every activation, a click with a modifier key or the middle button included, goes
 * through the request instead of the browser's own download. Space starts it too: it looks like a button,
 * and a button starts on Space (a link would scroll the page); it stays a link all the same, so a screen
 * reader names it as what it is, the address of a file. While it runs the link is `aria-disabled` and
 * says so in its status line (kept in the page, empty, so the words put in it are read out); a failure is
 * said under it ({@link DownloadError}).
 */
export function DownloadLink({ id, href, state, children }: { id: string; href: string; state: Download; children: ReactNode }) {
  const follow = (event: ReactMouseEvent<HTMLAnchorElement>) => {
    event.preventDefault();
    if (!state.busy) state.start(href);
  };
  const onKeyDown = (event: ReactKeyboardEvent<HTMLAnchorElement>) => {
    if (event.key !== ' ' || event.altKey || event.ctrlKey || event.metaKey) return;
    event.preventDefault();
    if (!state.busy) state.start(href);
  };
  return (
    <>
      <a
        id={id}
        className="button"
        href={href}
        download
        onClick={follow}
        onKeyDown={onKeyDown}
        onAuxClick={(event) => {
          if (event.button === 1) follow(event);
        }}
        aria-disabled={state.busy || undefined}
        aria-describedby={state.error ? errorId(id) : undefined}
      >
        {children}
      </a>
      {/* Empty (and out of the toolbar's flow) while nothing is under way. */}
      <span className={state.busy ? 'muted small' : 'visually-hidden'} role="status">
        {state.busy ? 'Preparing the file…' : ''}
      </span>
    </>
  );
}

/**
 * Why the last download of a {@link DownloadLink} `id` failed, read out at once, with Dismiss; or, in a
 * status line, that it was saved while the page was kept hidden ({@link Download.savedMeanwhile}).
 */
export function DownloadError({ id, state }: { id: string; state: Download }) {
  if (state.savedMeanwhile && !state.error) {
    return (
      <p className="notice download-saved" role="status">
        {state.savedMeanwhile}{' '}
        <button type="button" className="button-link" onClick={state.dismiss}>
          Dismiss
        </button>
      </p>
    );
  }
  if (!state.error) return null;
  return (
    <p className="state state-error download-error" id={errorId(id)} role="alert">
      {state.error}{' '}
      <button type="button" className="button-link" onClick={state.dismiss}>
        Dismiss
      </button>
    </p>
  );
}
