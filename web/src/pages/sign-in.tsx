import { useEffect, useState, type FormEvent } from 'react';
import { api, type Me } from '../api/client.js';
import { requestContentFocus } from '../lib/focus.js';

/**
 * Whether the server holds the `npm start` demo data (`demoData` of GET /api/health), so that the page
 * can point to the demo logins; false when it does not say or cannot be asked.
 */
function useDemoData(): boolean {
  const [demo, setDemo] = useState(false);
  useEffect(() => {
    let alive = true;
    api.getHealth().then(
      (health) => {
        if (alive) setDemo((health as { demoData?: unknown }).demoData === true);
      },
      () => undefined,
    );
    return () => {
      alive = false;
    };
  }, []);
  return demo;
}

/** The sign-in form; starts a cookie session and reports the user back. */
export function SignInPage({ onSignedIn }: { onSignedIn: (me: Me) => void }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const demo = useDemoData();

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (busy) return;
    setBusy(true);
    setError(undefined);
    try {
      await api.login(email.trim(), password);
      const me = await api.getMe({ anyUser: true });
      // The form goes with sign-in: focus moves to the first page's heading instead of the document.
      requestContentFocus();
      onSignedIn(me);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
      // To type the password again at once (the button would keep the focus, or drop it to the page).
      document.getElementById('password')?.focus();
    } finally {
      setBusy(false);
    }
  }

  return (
    <main id="main" className="sign-in">
      <form className="card sign-in-card" onSubmit={submit} aria-labelledby="sign-in-title">
        <h1 id="sign-in-title">Sign in to Unblock</h1>
        <p className="muted">Keep every customer&apos;s rollout status right.</p>
        {demo ? (
          <p className="muted demo-hint">
            This server runs with the demo data: the command that started it (<code>npm start</code> or <code>unblock serve --demo</code>) printed its logins.
          </p>
        ) : null}
        <label htmlFor="email">Email</label>
        <input id="email" name="email" type="email" autoComplete="username" required value={email} onChange={(e) => setEmail(e.target.value)} autoFocus />
        <label htmlFor="password">Password</label>
        <input id="password" name="password" type="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} aria-describedby={error ? 'sign-in-error' : undefined} />
        {error ? (
          <p id="sign-in-error" className="field-error" role="alert">
            {error}
          </p>
        ) : null}
        {/* aria-disabled while it works: a disabled button would drop the focus to the page. */}
        <button type="submit" className="primary" aria-disabled={busy || undefined}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
