import { lazy, Suspense, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { api, ApiError, UNAUTHENTICATED_EVENT, type Me } from './api/client.js';
import { Layout, listMenu } from './components/layout.js';
import { LeaveDialog } from './components/leave-dialog.js';
import { SessionEndedDialog } from './components/session-ended.js';
import { SessionContext } from './components/session.js';
import { Empty, ErrorMessage, Loading } from './components/states.js';
import { requestContentFocus } from './lib/focus.js';
import { clearReferenceData } from './lib/reference-data.js';
import { navigate, useRoute, type Route } from './lib/router.js';
import { SignInPage } from './pages/sign-in.js';

const TriagePage = lazy(() => import('./pages/triage.js'));
const PortfolioPage = lazy(() => import('./pages/portfolio.js'));
const CustomerPage = lazy(() => import('./pages/customer.js'));
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
 * skip the /api/me probe (and its 401 in the console) for visitors who never signed in.
 */
function hasSessionHint(): boolean {
  try {
    return localStorage.getItem(SESSION_HINT) === '1';
  } catch {
    return true;
  }
}

function setSessionHint(on: boolean): void {
  try {
    if (on) localStorage.setItem(SESSION_HINT, '1');
    else localStorage.removeItem(SESSION_HINT);
  } catch {
    // Storage may be disabled; the app then always probes /api/me.
  }
}

/**
 * `expired`: the session ended while a page was open (a request answered 401). The page stays, under a
 * dialog asking to sign in again, so nothing typed on it is lost.
 */
type SessionState = { status: 'checking' } | { status: 'signed-out'; error?: Error } | { status: 'signed-in'; me: Me } | { status: 'expired'; me: Me };

const TITLES: Record<string, string> = {
  '/triage': 'Triage',
  '/portfolio': 'Portfolio',
  '/reports': 'Reports',
  '/playbook': 'Playbook',
  '/users': 'Users',
  '/account': 'My account',
  '/import': 'Import',
  '/tokens': 'API tokens',
};

/** A positive integer id from a path segment, or undefined. */
function toId(segment: string | undefined): number | undefined {
  const id = Number(segment);
  return Number.isInteger(id) && id > 0 ? id : undefined;
}

function NotFound({ what }: { what: string }) {
  return (
    <div className="page">
      <h1>Not found</h1>
      <Empty>
        That {what} address is not valid. Go to the <a href="#/portfolio">portfolio</a>.
      </Empty>
    </div>
  );
}

function renderPage(route: Route) {
  const [, first = '', second] = route.path.split('/');
  switch (first) {
    case 'triage':
      // A link to Triage with another note or entitlement (followed while on Triage) starts it afresh, as opening it does.
      return <TriagePage key={route.query.toString()} route={route} />;
    case 'portfolio':
      return <PortfolioPage route={route} />;
    case 'customers':
      // Keyed by id, as the entitlement page: another customer's address is a new page, with nothing of the previous one.
      return toId(second) ? <CustomerPage key={second} id={toId(second) as number} /> : <NotFound what="customer" />;
    case 'entitlements':
      return toId(second) ? <EntitlementPage key={second} id={toId(second) as number} route={route} /> : <NotFound what="entitlement" />;
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
    default:
      return undefined;
  }
}

/** Sends an unknown or empty address to the role's first page. */
function GoHome({ role }: { role: Me['role'] }) {
  useEffect(() => {
    const first = listMenu(role)[0];
    if (first) navigate(`#${first.path}`, true);
  }, [role]);
  return <Loading />;
}

/** Root: checks the cookie session, gates every page behind sign-in, and routes by hash. */
export function App() {
  const route = useRoute();
  const [session, setSession] = useState<SessionState>({ status: 'checking' });
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
    api.getMe().then(
      (me) => setSession({ status: 'signed-in', me }),
      (error: unknown) => {
        if (error instanceof ApiError && error.status === 401) setSessionHint(false);
        setSession({ status: 'signed-out', error: error instanceof ApiError && error.status === 401 ? undefined : (error as Error) });
      },
    );
  }, []);

  useEffect(() => {
    const onExpired = () => {
      setSessionHint(false);
      setSession((prev) => (prev.status === 'signed-in' ? { status: 'expired', me: prev.me } : prev));
    };
    window.addEventListener(UNAUTHENTICATED_EVENT, onExpired);
    return () => window.removeEventListener(UNAUTHENTICATED_EVENT, onExpired);
  }, []);

  const signOut = useCallback(() => {
    api.logout().catch(() => undefined).finally(() => {
      setSessionHint(false);
      clearReferenceData();
      setSession({ status: 'signed-out' });
      navigate('#/');
    });
  }, []);

  const sessionValue = useMemo(() => (session.status === 'signed-in' || session.status === 'expired' ? { me: session.me, signOut } : undefined), [session, signOut]);

  useEffect(() => {
    const [, first = ''] = route.path.split('/');
    const title = TITLES[`/${first}`] ?? (first === 'customers' ? 'Customer' : first === 'entitlements' ? 'Entitlement' : 'Sign in');
    document.title = `${title} · Unblock`;
  }, [route.path]);

  if (session.status === 'checking') return <Loading label="Checking your session…" />;
  if (session.status === 'signed-out')
    return (
      <>
        {session.error ? <ErrorMessage error={session.error} /> : null}
        <SignInPage
          onSignedIn={(me) => {
            setSessionHint(true);
            // Another user signing in where someone else left off starts on their own first page, not
            // on the previous user's address (often another partner's entitlement: Not found).
            if (lastUserRef.current !== undefined && lastUserRef.current !== me.id) navigate('#/', true);
            setSession({ status: 'signed-in', me });
          }}
        />
      </>
    );

  const page = renderPage(route);
  const expiredMe = session.status === 'expired' ? session.me : undefined;
  return (
    // Keyed by user: another user signing in over an ended session gets fresh pages, nothing of the previous user's.
    <SessionContext.Provider value={sessionValue} key={session.me.id ?? 'system'}>
      <Layout currentPath={route.path} routeHash={window.location.hash}>
        <Suspense fallback={<Loading />}>{page ?? <GoHome role={session.me.role} />}</Suspense>
      </Layout>
      <LeaveDialog />
      {expiredMe ? (
        <SessionEndedDialog
          me={expiredMe}
          onSignOut={signOut}
          onSignedIn={(me) => {
            setSessionHint(true);
            if (me.id !== expiredMe.id) {
              clearReferenceData();
              requestContentFocus();
              navigate('#/', true);
            }
            setSession({ status: 'signed-in', me });
          }}
        />
      ) : null}
    </SessionContext.Provider>
  );
}
