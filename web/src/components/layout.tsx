import { useLayoutEffect, useRef, type ReactNode } from 'react';
import { useSession, canEdit, canReadReports } from './session.js';
import { useContentFocus, usePageFocus } from '../lib/focus.js';
import type { Role } from '../api/client.js';

interface MenuItem {
  path: string;
  label: string;
  allowed: (role: Role) => boolean;
}

const MENU: MenuItem[] = [
  { path: '/triage', label: 'Triage', allowed: () => true },
  { path: '/portfolio', label: 'Portfolio', allowed: () => true },
  { path: '/import', label: 'Import', allowed: canEdit },
  { path: '/reports', label: 'Reports', allowed: canReadReports },
  { path: '/playbook', label: 'Playbook', allowed: () => true },
  { path: '/users', label: 'Users', allowed: canManageUsers },
];

/** Roles that add users and set their passwords (managers: their own partner's users; admins: anyone's). */
export function canManageUsers(role: Role): boolean {
  return role === 'admin' || role === 'manager';
}

/** The menu items a role sees, in order. */
export function listMenu(role: Role): MenuItem[] {
  return MENU.filter((item) => item.allowed(role));
}

/**
 * The frame's <main> is `#main` (the skip link's target) only while it is shown. A page kept under
 * "Choose your own password" waits hidden (React's Activity: display none, its effects cleaned up) while
 * that page shows its own `<main id="main">`; the kept one then gives up its id and is marked `hidden`,
 * so the document has one #main and one main landmark, not two. A layout effect, as Activity cleans those
 * up in the same commit that shows the chooser (a prop would reach a hidden subtree only later).
 */
function useShownMain() {
  const ref = useRef<HTMLElement>(null);
  useLayoutEffect(() => {
    const main = ref.current;
    if (!main) return;
    main.id = 'main';
    main.hidden = false;
    return () => {
      main.removeAttribute('id');
      main.hidden = true;
    };
  }, []);
  return ref;
}

/** Page chrome: skip link, header with the role-aware menu and the user (whose name opens My account), and the main landmark. */
/**
 * The page frame. `routeHash` (the location hash the page was rendered for) is written on <main> as
 * `data-route`, so that a browser test can tell the page it navigated to from the one still shown.
 */
export function Layout({ currentPath, routeHash, children }: { currentPath: string; routeHash: string; children: ReactNode }) {
  const { me, signOut } = useSession();
  useContentFocus();
  // After a move to another page, its heading takes the focus (see usePageFocus).
  usePageFocus(routeHash);
  const mainRef = useShownMain();
  return (
    <>
      <a className="skip-link" href="#main" onClick={(e) => { e.preventDefault(); document.getElementById('main')?.focus(); }}>
        Skip to content
      </a>
      <header className="app-header">
        <a className="brand" href="#/triage">
          Unblock
        </a>
        <nav aria-label="Main">
          <ul className="menu">
            {listMenu(me.role).map((item) => {
              const active = currentPath === item.path || currentPath.startsWith(`${item.path}/`);
              return (
                <li key={item.path}>
                  <a href={`#${item.path}`} aria-current={active ? 'page' : undefined} className={active ? 'active' : undefined}>
                    {item.label}
                  </a>
                </li>
              );
            })}
          </ul>
        </nav>
        <div className="user-box">
          <span className="user-name">
            <a
              href="#/account"
              className={currentPath === '/account' ? 'account-link active' : 'account-link'}
              aria-current={currentPath === '/account' ? 'page' : undefined}
              title="My account: your details and password"
            >
              {me.name}
            </a>{' '}
            <span className="badge">{me.role}</span>
            {!canEdit(me.role) ? <span className="muted"> read-only</span> : null}
          </span>
          <a
            href="#/tokens"
            className={currentPath === '/tokens' ? 'account-link active' : 'account-link'}
            aria-current={currentPath === '/tokens' ? 'page' : undefined}
            title="API tokens for your scripts"
          >
            API tokens
          </a>
          <button type="button" onClick={signOut}>
            Sign out
          </button>
        </div>
      </header>
      <main ref={mainRef} tabIndex={-1} data-route={routeHash}>
        {children}
      </main>
    </>
  );
}
