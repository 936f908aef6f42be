import { useEffect, useRef, useState, type FormEvent } from 'react';
import { api, type Me } from '../api/client.js';

interface Props {
  /** Who was signed in when the session ended: their email is filled in. */
  me: Me;
  /** Signed in again (the same user or another one). */
  onSignedIn: (me: Me) => void;
  /** Gives up on the page: the ordinary sign-out and sign-in page. */
  onSignOut: () => void;
  /** Why it ended, when the app knows (another tab signed out, or in as someone else): said first. */
  reason?: string | undefined;
}

/**
 * Asks to sign in again when the session ends while a page is open (a request answered 401), over the
 * page rather than instead of it: the page stays mounted under this modal dialog, so a note being
 * typed, a chosen file or a half-filled form is still there once the same user has signed in, and
 * the action the server refused can be done again. Escape does not close it (nothing works until
 * the user signs in or signs out). When it closes, focus goes back where it was.
 */
export function SessionEndedDialog({ me, onSignedIn, onSignOut, reason }: Props) {
  const ref = useRef<HTMLDialogElement>(null);
  const [email, setEmail] = useState(me.email ?? '');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    const dialog = ref.current;
    const returnTo = document.activeElement instanceof HTMLElement && document.activeElement !== document.body ? document.activeElement : null;
    if (dialog && !dialog.open) dialog.showModal();
    document.getElementById(me.email ? 'session-ended-password' : 'session-ended-email')?.focus();
    return () => {
      if (dialog?.open) dialog.close();
      if (returnTo?.isConnected) returnTo.focus();
    };
  }, [me.email]);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (busy) return;
    setBusy(true);
    setError(undefined);
    try {
      await api.login(email.trim(), password);
      const signedIn = await api.getMe({ anyUser: true });
      setBusy(false);
      onSignedIn(signedIn);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
      setBusy(false);
      document.getElementById('session-ended-password')?.focus();
    }
  }

  return (
    <dialog ref={ref} className="card session-ended" aria-labelledby="session-ended-title" aria-describedby="session-ended-text" onCancel={(e) => e.preventDefault()}>
      <form onSubmit={submit} className="sign-in-card">
        <h2 id="session-ended-title">Your session has ended</h2>
        <p id="session-ended-text">
          {reason ? `${reason} ` : ''}Sign in again to go on. The page behind stays as you left it, with what you typed; what you were saving or loading when the session ended was not done, so do it again once you are signed in.
        </p>
        <label htmlFor="session-ended-email">Email</label>
        <input id="session-ended-email" type="email" autoComplete="username" required value={email} onChange={(e) => setEmail(e.target.value)} />
        <label htmlFor="session-ended-password">Password</label>
        <input id="session-ended-password" type="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} />
        {error ? (
          <p className="field-error" role="alert">
            {error}
          </p>
        ) : null}
        <div className="actions">
          {/* aria-disabled, not disabled, while it works: a disabled button would lose the focus. */}
          <button type="submit" className="primary" aria-disabled={busy || undefined}>
            {busy ? 'Signing in…' : 'Sign in'}
          </button>
          <button type="button" onClick={onSignOut}>
            Sign out instead
          </button>
        </div>
        {me.email ? <p className="muted small">Signing in as someone else leaves this page and starts on their first page.</p> : null}
      </form>
    </dialog>
  );
}
