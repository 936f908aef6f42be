import type { ReactNode } from 'react';
import { ApiError, type RuleIssue } from '../api/client.js';

/** A polite loading indicator; `label` says what is loading. */
export function Loading({ label = 'Loading…' }: { label?: string }) {
  return (
    <div className="state state-loading" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" /> {label}
    </div>
  );
}

/** An error the user can act on, with an optional retry. */
export function ErrorMessage({ error, onRetry }: { error: Error; onRetry?: () => void }) {
  const code = error instanceof ApiError ? error.code : undefined;
  return (
    <div className="state state-error" role="alert">
      <strong>Something went wrong.</strong> {error.message}
      {code ? <span className="muted"> ({code})</span> : null}
      {onRetry ? (
        <button type="button" className="button-link" onClick={onRetry}>
          Try again
        </button>
      ) : null}
    </div>
  );
}

/** True for the API's answer that the thing asked for does not exist (or is not yours to see): 404. */
export function isNotFound(error: unknown): boolean {
  return error instanceof ApiError && error.status === 404;
}

/**
 * The page for an address whose customer or entitlement does not exist (an id the API answers 404
 * for, or one that is not an id at all): a heading and a way back, no retry (retrying changes nothing).
 */
export function NotFoundState({ what }: { what: string }) {
  return (
    <div className="page">
      <h1>Not found</h1>
      <Empty>
        There is no {what} at this address, or it is not one you can see. Go to the <a href="#/portfolio">portfolio</a>.
      </Empty>
    </div>
  );
}

/**
 * The page for an address that is no page of the app (a mistyped or outdated link): the same frame as
 * {@link NotFoundState}, saying which address it was (the address bar keeps it as typed) and linking to
 * `pages`, the user's own main pages.
 */
export function PageNotFound({ address, pages }: { address: string; pages: { path: string; label: string }[] }) {
  return (
    <div className="page">
      <h1>Page not found</h1>
      <Empty>
        <p>
          The address <code>{address}</code> does not lead to any page of Unblock. It may have been typed with a mistake, or come from a link
          to a page that has moved.
        </p>
        <p>Where would you like to go?</p>
        <ul aria-label="Your pages">
          {pages.map((page) => (
            <li key={page.path}>
              <a href={`#${page.path}`}>{page.label}</a>
            </li>
          ))}
        </ul>
      </Empty>
    </div>
  );
}

/** What to show when a list has nothing in it. */
export function Empty({ children }: { children: ReactNode }) {
  return <div className="state state-empty">{children}</div>;
}

/** A save the server refused: its message and each broken rule. Renders nothing without an error. */
export function ServerRefusal({ error, children }: { error: { message: string; issues: RuleIssue[] } | undefined; children?: ReactNode }) {
  if (!error) return null;
  return (
    <div role="alert" className="state state-error">
      {error.message}
      {children}
      {error.issues.length ? (
        <ul>
          {error.issues.map((i, n) => (
            <li key={n}>{i.message}</li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

/** A status line with a Dismiss button (what an action did, or why the address was corrected). */
export function Notice({ className = 'notice', text, onDismiss }: { className?: string; text: string; onDismiss: () => void }) {
  return (
    <p className={className} role="status">
      {text}{' '}
      <button type="button" className="button-link" onClick={onDismiss}>
        Dismiss
      </button>
    </p>
  );
}
