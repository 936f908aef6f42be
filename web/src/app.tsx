import { Activity, Fragment, lazy, Suspense, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { api, ApiError, FORBIDDEN_EVENT, PASSWORD_CHANGE_REQUIRED_EVENT, SESSION_CHANGED_EVENT, setActingUser, UNAUTHENTICATED_EVENT, type Me } from './api/client.js';
import { Layout, listMenu } from './components/layout.js';
import { FlashNotice, setPageKept, showFlash } from './components/flash.js';
import { LeaveDialog } from './components/leave-dialog.js';
import { SessionEndedDialog } from './components/session-ended.js';
import { SessionContext } from './components/session.js';
import { ErrorMessage, Loading, NotFoundState, PageNotFound } from './components/states.js';
import { requestContentFocus } from './lib/focus.js';
import { clearReferenceData } from './lib/reference-data.js';
import { describeUnsaved, navigate, useRoute, type Route } from './lib/router.js';
import { matchPage, type PlainPage } from './lib/routes.js';
import { ChoosePasswordPage } from './pages/choose-password.js';
import { SignInPage } from './pages/sign-in.js';

const TriagePage = lazy(() => import('./pages/triage.js'));
const PortfolioPage = lazy(() => import('./pages/portfolio.js'));
const CustomerPage = lazy(() => import('./pages/customer.js'));
const NewCustomerPage = lazy(() => import('./pages/new-customer.js'));
const EntitlementPage = lazy(() => import('./pages/entitlement.js'));
const ReportsPage = lazy(() => import('./pages/reports.js'));
const PlaybookPage = lazy(() => import('./pages/playbook.js'));
const UsersPage = lazy(() => import('./pages/users.js'));
const AccountPage = lazy(() => import('./pages/account.js'));
const ImportPage = lazy(() => import('./pages/import.js'));
const TokensPage = lazy(() => import('./pages/tokens.js'));

const SESSION_HINT = 'unblock.signedIn';

/**
 * Whether this browser signed in before. The session cookie is httpOnly, so the app keeps this hint to
 * skip the /api/me probe (and its 401 in the console) for visitors who never signed in. Its value is the
 * id of the user signed in last (`1` before the id was kept): the browser's tabs share one session
 * cookie, so a sign-in or sign-out in one tab changes who the others act as, and they learn it from
 * this key's `storage` event (see App).
 */
function hasSessionHint(): boolean {
  const hint = readSessionHint();
  return hint !== null && hint !== SESSION_ENDED;
}

/** The hint's value: a user's id, `1` (older builds), {@link SESSION_ENDED}, or null; `?` when storage is disabled. */
function readSessionHint(): string | null {
  try {
    return localStorage.getItem(SESSION_HINT);
  } catch {
    return '?';
  }
}

/** The hint once the server answered 401: no session (a reload shows the sign-in page without probing). */
const SESSION_ENDED = 'ended';

/**
 * The least time between two reads of the user when the tab is shown again or gets the focus back (a
 * role a manager changed meanwhile then shows without a reload; see App).
 */
const REREAD_ON_RETURN_MS = 30_000;

/**
 * Writes the hint: the user signed in, `ended` after a 401, false after signing out. `ended` is written
 * only while the hint is still `expected` (what this tab knew), so a late 401 of a request sent before
 * another tab signed in does not end that tab's new session.
 */
function setSessionHint(value: Me | typeof SESSION_ENDED | false, expected?: string | null): void {
  try {
    if (value === SESSION_ENDED) {
      const now = localStorage.getItem(SESSION_HINT);
      if (expected === undefined || now === expected || now === '1') localStorage.setItem(SESSION_HINT, SESSION_ENDED);
    } else if (value) localStorage.setItem(SESSION_HINT, String(value.id));
    else localStorage.removeItem(SESSION_HINT);
  } catch {
    // Storage may be disabled; the app then always probes /api/me.
  }
}

/** What "Your session has ended" says first when another tab of the browser changed the session. */
const ENDED_IN_ANOTHER_TAB = {
  signedOut: 'You signed out in another tab or window of this browser, which ends this one’s session too.',
  otherUser: 'Someone signed in as another user in another tab or window of this browser: this tab would now act as them, so it stops until you sign in again.',
};

/**
 * What this tab shows once it learns that the browser's session is no longer its user's (another tab
 * signed out, or in as someone else): the page stays under "Your session has ended", which says why; a
 * user choosing their own password has no page to keep, so they get the sign-in page, told that the
 * password was not changed.
 */
function endByAnotherTab(prev: SessionState, reason: string): SessionState {
  if (prev.status !== 'signed-in') return prev;
  if (prev.me.mustChangePassword) return { status: 'signed-out', notice: `${reason} Your password was not changed.` };
  return { status: 'expired', me: prev.me, reason };
}

/**
 * `expired`: the session ended while a page was open (a request answered 401). The page stays, under a
 * dialog asking to sign in again, so nothing typed on it is lost. `kept` (while `me.mustChangePassword`):
 * the page the same user was working on when the server began to ask for their own password stays
 * mounted, hidden, under "Choose your own password", and shows again, as it was, once they have chosen
 * it; `unsaved` says what its forms had not saved then (a reload asks before dropping it).
 */
type SessionState =
  | { status: 'checking' }
  | { status: 'signed-out'; error?: Error; notice?: string }
  | { status: 'signed-in'; me: Me; kept?: KeptPage }
  | { status: 'expired'; me: Me; reason?: string };

/** The page kept under "Choose your own password" (see SessionState). */
interface KeptPage {
  unsaved?: string;
}

/** What the sign-in page says when the session ended while its user was choosing their own password. */
const CHOOSE_SESSION_ENDED =
  'Your session ended before your new password was saved, so it was not changed: a manager or an admin may have set your password again or disabled your account. Sign in with the password you were given last.';

const TITLES: Record<PlainPage, string> = {
  triage: 'Triage',
  portfolio: 'Portfolio',
  reports: 'Reports',
  playbook: 'Playbook',
  users: 'Users',
  account: 'My account',
  import: 'Import',
  tokens: 'API tokens',
};

/**
 * The page for `route`, or undefined for the home address (`/`, which goes to the role's first page).
 * An address that is no page of the app shows "Page not found" with the address as typed and links to
 * the role's pages; it is not sent to the first page, so a mistyped or outdated link says what was wrong.
 */
function renderPage(route: Route, role: Me['role']) {
  const match = matchPage(route.path);
  switch (match.kind) {
    case 'home':
      return undefined;
    case 'unknown':
      return <PageNotFound address={window.location.hash || '#/'} pages={listMenu(role)} />;
    // Keyed by id, as the entitlement page: another customer's address is a new page, with nothing of the previous one.
    case 'customer':
      return match.id ? <CustomerPage key={match.id} id={match.id} /> : <NotFoundState what="customer" />;
    case 'new-customer':
      return <NewCustomerPage />;
    case 'entitlement':
      return match.id ? <EntitlementPage key={match.id} id={match.id} route={route} /> : <NotFoundState what="entitlement" />;
    case 'page':
      switch (match.page) {
        case 'triage':
          // A link to Triage with another note or entitlement (followed while on Triage) starts it afresh, as opening it does.
          return <TriagePage key={route.query.toString()} route={route} />;
        case 'portfolio':
          return <PortfolioPage route={route} />;
        case 'reports':
          return <ReportsPage route={route} />;
        case 'playbook':
          return <PlaybookPage route={route} />;
        case 'users':
          return <UsersPage />;
        case 'account':
          return <AccountPage />;
        case 'import':
          return <ImportPage />;
        case 'tokens':
          return <TokensPage />;
      }
  }
}

/** Sends the empty address (`/`) to the role's first page. */
function GoHome({ role }: { role: Me['role'] }) {
  useEffect(() => {
    const first = listMenu(role)[0];
    if (first) navigate(`#${first.path}`, true);
  }, [role]);
  return <Loading />;
}

/**
 * Counts the visits to pages: each move to another page (path; a change of query on the same page is
 * the same visit) is a new one. The page frame is keyed by it, so a page opened again is a new instance.
 * While the next page's code loads, Suspense keeps the page left mounted (hidden, with its state): a
 * quick Triage, Portfolio, Triage found that Triage again, with the note typed on it, instead of the
 * new, empty page the menu opens (what a page brings back after Back it keeps in its history entry).
 */
function useVisit(path: string): number {
  const [visit, setVisit] = useState({ path, count: 0 });
  // Derived while rendering (React's pattern for state that follows a prop): no frame shows the old key.
  if (visit.path !== path) {
    const next = { path, count: visit.count + 1 };
    setVisit(next);
    return next.count;
  }
  return visit.count;
}

/** Root: checks the cookie session, gates every page behind sign-in, and routes by hash. */
export function App() {
  const route = useRoute();
  const visit = useVisit(route.path);
  const [session, setSession] = useState<SessionState>({ status: 'checking' });
  /** The session as last rendered, for the `storage` listener below. */
  const sessionRef = useRef(session);
  sessionRef.current = session;
  // Every request names the user this tab shows (X-Unblock-User), so a cookie that became another user's
  // is refused instead of acted on. Set while rendering, not in an effect: a new user's pages send their
  // first requests from their own effects, which run before this component's.
  setActingUser(session.status === 'signed-in' || session.status === 'expired' ? session.me.id : undefined);
  // The page kept hidden under "Choose your own password" has not been left: work it started that ends
  // meanwhile is said on it when it shows again, not in the app's notice. Set while rendering too.
  setPageKept(session.status === 'signed-in' && session.me.mustChangePassword && session.kept !== undefined);
  /** Who was signed in last in this tab: the address they left behind (Back after signing out) is theirs. */
  const lastUserRef = useRef<number | null>(undefined);
  useEffect(() => {
    if (session.status === 'signed-in' || session.status === 'expired') lastUserRef.current = session.me.id;
  }, [session]);

  useEffect(() => {
    if (!hasSessionHint()) {
      setSession({ status: 'signed-out' });
      return;
    }
    const hint = readSessionHint();
    api.getMe().then(
      (me) => {
        setSessionHint(me);
        setSession({ status: 'signed-in', me });
      },
      (error: unknown) => {
        if (error instanceof ApiError && error.status === 401) setSessionHint(SESSION_ENDED, hint);
        setSession({ status: 'signed-out', error: error instanceof ApiError && error.status === 401 ? undefined : (error as Error) });
      },
    );
  }, []);

  useEffect(() => {
    const onExpired = () => {
      if (lastUserRef.current !== undefined) setSessionHint(SESSION_ENDED, String(lastUserRef.current));
      // Choosing a password keeps no page to return to: its session ending is a sign-out, which says why
      // (the only request of that page is the change, so the password was not changed).
      setSession((prev) =>
        prev.status === 'signed-in' ? (prev.me.mustChangePassword ? { status: 'signed-out', notice: CHOOSE_SESSION_ENDED } : { status: 'expired', me: prev.me }) : prev,
      );
    };
    // The browser's session is now one that must choose its password first (this tab's cookie was
    // replaced by a sign-in in another tab with a password a manager set): the choose page, not the
    // refusal, for whoever that session is (it may be another user than this tab showed).
    const onMustChoose = () => {
      api.getMe().then(
        (me) =>
          setSession((prev) => {
            if (prev.status !== 'signed-in' || !me.mustChangePassword) return prev;
            // The same user's page is kept under the question (another user's never is).
            if (prev.me.id !== me.id) return { status: 'signed-in', me };
            if (prev.me.mustChangePassword) return { ...prev, me };
            requestContentFocus();
            return { status: 'signed-in', me, kept: { unsaved: describeUnsaved() } };
          }),
        () => undefined,
      );
    };
    // Another tab signed out, or signed in as someone else: the cookie this tab sends is no longer its
    // user's, so a save here would be refused in words about another user's role, or, worse, be made as
    // that user. The page stays under "Your session has ended", which says why, as for a 401.
    const onStorage = (event: StorageEvent) => {
      if (event.key !== SESSION_HINT && event.key !== null) return;
      const now = event.key === null ? null : event.newValue;
      // `ended`: a request of another tab was answered 401. This tab learns it from its own next request,
      // as before (the same user may sign in again there meanwhile, with a password a manager set, which
      // this tab's next request then finds: "Choose your own password" over the page kept).
      // `1`: a tab still running an older build signed in; who it is is unknown, so nothing is assumed.
      if (now === SESSION_ENDED || now === '1') return;
      // The same user signed in again in another tab: the session is theirs again, so the dialog goes
      // (unless the server now asks for a password of their own, which the dialog's sign-in handles).
      const shown = sessionRef.current;
      if (shown.status === 'expired' && now === String(shown.me.id)) {
        api.getMe().then(
          (me) => setSession((prev) => (prev.status === 'expired' && prev.me.id === me.id && !me.mustChangePassword ? { status: 'signed-in', me } : prev)),
          () => undefined,
        );
        return;
      }
      setSession((prev) => (prev.status !== 'signed-in' || now === String(prev.me.id) ? prev : endByAnotherTab(prev, now === null ? ENDED_IN_ANOTHER_TAB.signedOut : ENDED_IN_ANOTHER_TAB.otherUser)));
    };
    // The server refused a request because the cookie it came with is another user's (401 SESSION_CHANGED):
    // another tab signed in as someone else, and this one had not heard of it yet. Nothing was done; the
    // tab stops as when it hears of it from the other tab.
    const onSessionChanged = () => setSession((prev) => endByAnotherTab(prev, ENDED_IN_ANOTHER_TAB.otherUser));
    // A request was refused for the user's role (403 FORBIDDEN): a manager may have lowered it meanwhile.
    // The user is read again, so the header and the pages show the role the server holds now (an editor
    // made a viewer sees the form turn read-only at once). One read at a time, however many refusals.
    let readingAgain = false;
    /** When the user was last read again (`performance.now()`), for the throttle of {@link onReturn}. */
    let lastReadAgain = Number.NEGATIVE_INFINITY;
    const readAgain = () => {
      const shown = sessionRef.current;
      if (readingAgain || shown.status !== 'signed-in' || shown.me.mustChangePassword) return;
      readingAgain = true;
      lastReadAgain = performance.now();
      api
        .getMe()
        .then(
          (me) => setSession((prev) => (prev.status === 'signed-in' && prev.me.id === me.id && (prev.me.role !== me.role || prev.me.partnerId !== me.partnerId) ? { ...prev, me } : prev)),
          () => undefined,
        )
        .finally(() => {
          readingAgain = false;
        });
    };
    const onForbidden = readAgain;
    // The user comes back to the tab (shown again, or focused): a manager may have changed the role
    // meanwhile, raised as well as lowered, which no refusal would reveal. Read again at most once per
    // REREAD_ON_RETURN_MS, so switching windows back and forth costs one request, not one each time.
    const onReturn = () => {
      if (document.visibilityState !== 'visible' || performance.now() - lastReadAgain < REREAD_ON_RETURN_MS) return;
      readAgain();
    };
    window.addEventListener(UNAUTHENTICATED_EVENT, onExpired);
    window.addEventListener(PASSWORD_CHANGE_REQUIRED_EVENT, onMustChoose);
    window.addEventListener('storage', onStorage);
    window.addEventListener(SESSION_CHANGED_EVENT, onSessionChanged);
    window.addEventListener(FORBIDDEN_EVENT, onForbidden);
    document.addEventListener('visibilitychange', onReturn);
    window.addEventListener('focus', onReturn);
    return () => {
      document.removeEventListener('visibilitychange', onReturn);
      window.removeEventListener('focus', onReturn);
      window.removeEventListener(SESSION_CHANGED_EVENT, onSessionChanged);
      window.removeEventListener(FORBIDDEN_EVENT, onForbidden);
      window.removeEventListener(UNAUTHENTICATED_EVENT, onExpired);
      window.removeEventListener(PASSWORD_CHANGE_REQUIRED_EVENT, onMustChoose);
      window.removeEventListener('storage', onStorage);
    };
  }, []);

  const signOut = useCallback(() => {
    // Refused with SESSION_CHANGED: the browser's session is another user's now (signed in in another
    // tab), and it lives on; this tab only stops showing its own user, and leaves the other tab's mark.
    let othersSession = false;
    api.logout().catch((err: unknown) => {
      othersSession = err instanceof ApiError && err.code === 'SESSION_CHANGED';
    }).finally(() => {
      if (!othersSession) setSessionHint(false);
      clearReferenceData();
      setSession({ status: 'signed-out' });
      navigate('#/');
    });
  }, []);

  const sessionValue = useMemo(() => (session.status === 'signed-in' || session.status === 'expired' ? { me: session.me, signOut } : undefined), [session, signOut]);

  const signedIn = session.status === 'signed-in' || session.status === 'expired';
  const choosingPassword = session.status === 'signed-in' && session.me.mustChangePassword;
  useEffect(() => {
    const match = matchPage(route.path);
    const title = choosingPassword
      ? 'Choose your own password'
      : match.kind === 'page'
        ? TITLES[match.page]
        : match.kind === 'customer'
          ? 'Customer'
          : match.kind === 'new-customer'
            ? 'New customer'
            : match.kind === 'entitlement'
              ? 'Entitlement'
              : match.kind === 'unknown' && signedIn
                ? 'Page not found'
                : 'Sign in';
    document.title = `${title} · Unblock`;
  }, [route.path, signedIn, choosingPassword]);

  if (session.status === 'checking') return <Loading label="Checking your session…" />;
  if (session.status === 'signed-out')
    return (
      <>
        {session.error ? <ErrorMessage error={session.error} /> : null}
        {session.notice ? (
          <p className="state state-error" role="alert">
            {session.notice}
          </p>
        ) : null}
        <SignInPage
          onSignedIn={(me) => {
            setSessionHint(me);
            // Another user signing in where someone else left off starts on their own first page, not
            // on the previous user's address (often another partner's entitlement: Not found).
            if (lastUserRef.current !== undefined && lastUserRef.current !== me.id) navigate('#/', true);
            setSession({ status: 'signed-in', me });
          }}
        />
      </>
    );

  // A password someone else chose: the server answers nothing but this change until it is made (403
  // PASSWORD_CHANGE_REQUIRED), so the app waits behind it, at the address the user came to. A page the
  // user was working on stays under it, hidden (React's Activity keeps its state and what was typed,
  // and runs none of its effects, so it sends nothing meanwhile), and shows again once the password is
  // chosen; the elements keep their places, so React keeps the page across the switch.
  const kept = choosingPassword ? session.kept : undefined;
  const chooser =
    choosingPassword ? (
      <ChoosePasswordPage
        me={session.me}
        kept={kept}
        onSignOut={signOut}
        onChosen={() => {
          const me = session.me;
          const match = matchPage(route.path);
          const landing = match.kind === 'home' ? (listMenu(me.role)[0]?.path ?? route.path) : route.path;
          // The notice takes the focus (and is read out) on the page the app opens with.
          showFlash(
            kept
              ? 'Your password is now your own; use it from now on. The page is as you left it: what it was saving or loading when you were asked for a new password was not done, so do that again, unless the page says it was done meanwhile.'
              : 'Your password is now your own; use it from now on.',
            landing,
          );
          setSession({ status: 'signed-in', me: { ...me, mustChangePassword: false } });
        }}
      />
    ) : null;
  if (chooser && !kept) return <>{chooser}</>;

  const page = renderPage(route, session.me.role);
  const expiredMe = session.status === 'expired' ? session.me : undefined;
  return (
    <>
      {chooser}
      <Activity mode={chooser ? 'hidden' : 'visible'}>
        {/* Keyed by user: another user signing in over an ended session gets fresh pages, nothing of the previous user's. */}
        <SessionContext.Provider value={sessionValue} key={session.me.id ?? 'system'}>
          <Layout currentPath={route.path} routeHash={window.location.hash}>
            <FlashNotice path={route.path} />
            <Suspense fallback={<Loading />}>
              <Fragment key={visit}>{page ?? <GoHome role={session.me.role} />}</Fragment>
            </Suspense>
          </Layout>
          <LeaveDialog />
          {expiredMe ? (
            <SessionEndedDialog
              me={expiredMe}
              reason={session.status === 'expired' ? session.reason : undefined}
              onSignOut={signOut}
              onSignedIn={(me) => {
                setSessionHint(me);
                if (me.id !== expiredMe.id) {
                  clearReferenceData();
                  requestContentFocus();
                  navigate('#/', true);
                } else if (me.mustChangePassword) {
                  // A manager or admin set the password meanwhile: the page that asks for a new one shows
                  // instead of this one, which is kept under it, and its heading takes the focus (the dialog
                  // that had it is gone).
                  requestContentFocus();
                  setSession({ status: 'signed-in', me, kept: { unsaved: describeUnsaved() } });
                  return;
                }
                setSession({ status: 'signed-in', me });
              }}
            />
          ) : null}
        </SessionContext.Provider>
      </Activity>
    </>
  );
}
