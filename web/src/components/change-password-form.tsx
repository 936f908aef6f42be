import { useEffect, useState, type FormEvent } from 'react';
import { api, ApiError } from '../api/client.js';
import { BusyButton } from './busy-button.js';
import { ErrorMessage } from './states.js';
import { checkNewPassword, describeRetry, readRetryAfter } from '../lib/password.js';

type FieldErrors = Partial<Record<'current' | 'next' | 'repeat', string>>;

/** What the API's refusal means for the form: a message under a field, or one for the whole form. */
function readRefusal(error: unknown): { fields: FieldErrors; form?: Error; retryAfter?: number; limited?: boolean } {
  if (!(error instanceof ApiError)) return { fields: {}, form: error instanceof Error ? error : new Error(String(error)) };
  if (error.code === 'FORBIDDEN') return { fields: { current: 'The current password is wrong.' } };
  if (error.code === 'RATE_LIMITED') return { fields: {}, limited: true, retryAfter: readRetryAfter(error.details) };
  if (error.code === 'VALIDATION_FAILED') {
    const details = Array.isArray(error.details) ? (error.details as { path?: string; message?: string }[]) : [];
    const next = details.find((d) => d.path === '/newPassword');
    if (next) return { fields: { next: `The new password ${next.message ?? 'is not accepted'}.` } };
    if (/password must be/i.test(error.message)) return { fields: { next: error.message } };
  }
  return { fields: {}, form: error };
}

/** The words that differ between the account page's form and the first sign-in's. */
export interface ChangePasswordWords {
  /** The form's heading, and so its accessible name. */
  title: string;
  /** A line under the heading. */
  intro: string;
  /** The label of the current password's field. */
  currentLabel: string;
  /** What an empty current password field says. */
  currentMissing: string;
  /** The button, and what it says while it works. */
  submit: string;
  busy: string;
}

const ACCOUNT_WORDS: ChangePasswordWords = {
  title: 'Change password',
  intro: 'Changing it signs you out of your other sessions; this one stays signed in.',
  currentLabel: 'Current password',
  currentMissing: 'Type your current password.',
  submit: 'Change password',
  busy: 'Changing…',
};

/**
 * Changes your own password (PUT /api/me/password): the current one, the new one and the new one again,
 * checked here as the server checks them, each problem under its field. Without `onChanged` the form
 * stays and says the password has been changed; with it, `onChanged` is called instead. `pageHeading`:
 * the form is the page, so its title is the page's h1 (else an h2 under the page's own). `idPrefix` goes
 * before each id of the form: My account's form may wait, hidden, under "Choose your own password" (a
 * page kept while its user must choose a password), and ids must not repeat in the document.
 */
export function ChangePasswordForm({ words = ACCOUNT_WORDS, onChanged, pageHeading = false, idPrefix = '' }: { words?: ChangePasswordWords; onChanged?: () => void; pageHeading?: boolean; idPrefix?: string }) {
  const Heading = pageHeading ? 'h1' : 'h2';
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [repeat, setRepeat] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<Error>();
  const [limit, setLimit] = useState<{ message: string; until: number }>();
  const [done, setDone] = useState(false);
  const [busy, setBusy] = useState(false);

  // After a refusal, the first field with a problem gets the focus, so its message is read out with it.
  useEffect(() => {
    const first = (['current', 'next', 'repeat'] as const).find((id) => errors[id]);
    if (first) document.getElementById(`${idPrefix}password-${first}`)?.focus();
  }, [errors, idPrefix]);

  // After a rate limit with a known wait, the button comes back when the wait is over.
  useEffect(() => {
    if (!limit || !Number.isFinite(limit.until)) return;
    const timer = setTimeout(() => setLimit(undefined), Math.max(0, limit.until - Date.now()));
    return () => clearTimeout(timer);
  }, [limit]);

  async function submit(event: FormEvent) {
    event.preventDefault();
    // Paused by a rate limit: the button says so (aria-disabled) and sends nothing until the wait is over.
    if (busy || limit) return;
    setDone(false);
    setFormError(undefined);
    const found: FieldErrors = {};
    if (!current) found.current = words.currentMissing;
    const problem = checkNewPassword(next);
    if (problem) found.next = problem;
    // The server refuses it too: the current password again is no new one (and may be one someone else chose).
    else if (current && next === current) found.next = 'This is the current password: choose another.';
    else if (repeat !== next) found.repeat = 'This is not the same as the new password.';
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    setBusy(true);
    try {
      await api.changeMyPassword(current, next);
      setCurrent('');
      setNext('');
      setRepeat('');
      setLimit(undefined);
      if (onChanged) onChanged();
      else setDone(true);
    } catch (error) {
      const refusal = readRefusal(error);
      setErrors(refusal.fields);
      setFormError(refusal.form);
      if (refusal.limited) {
        const message = `Too many wrong passwords, so changing it is paused. ${describeRetry(refusal.retryAfter)}`;
        setLimit({ message, until: refusal.retryAfter === undefined ? Number.POSITIVE_INFINITY : Date.now() + refusal.retryAfter * 1000 });
      }
    } finally {
      setBusy(false);
    }
  }

  const field = (id: keyof FieldErrors, label: string, value: string, set: (v: string) => void, autoComplete: string, hint?: string) => {
    const error = errors[id];
    const describedBy = [hint ? `${idPrefix}${id}-hint` : '', error ? `${idPrefix}${id}-error` : ''].filter(Boolean).join(' ') || undefined;
    return (
      <div className="field">
        <label htmlFor={`${idPrefix}password-${id}`}>{label}</label>
        <input
          id={`${idPrefix}password-${id}`}
          type="password"
          autoComplete={autoComplete}
          value={value}
          aria-invalid={error ? true : undefined}
          aria-describedby={describedBy}
          onChange={(e) => {
            set(e.target.value);
            setDone(false);
          }}
        />
        {hint ? (
          <p id={`${idPrefix}${id}-hint`} className="muted small">
            {hint}
          </p>
        ) : null}
        {error ? (
          <p id={`${idPrefix}${id}-error`} className="field-error">
            {error}
          </p>
        ) : null}
      </div>
    );
  };

  return (
    <form className="card password-form" aria-labelledby={`${idPrefix}change-password-title`} onSubmit={submit} noValidate>
      <Heading id={`${idPrefix}change-password-title`}>{words.title}</Heading>
      <p className="muted">{words.intro}</p>
      {field('current', words.currentLabel, current, setCurrent, 'current-password')}
      {field('next', 'New password', next, setNext, 'new-password', 'At least 8 characters, not only spaces.')}
      {field('repeat', 'Repeat the new password', repeat, setRepeat, 'new-password')}
      <div role="alert">{limit ? <p className="state state-error">{limit.message}</p> : null}</div>
      {formError ? <ErrorMessage error={formError} /> : null}
      <div className="actions">
        {/* BusyButton: disabled while sending, or once paused by a rate limit, it would drop the focus to the page. */}
        <BusyButton type="submit" className="primary" busy={busy} aria-disabled={limit ? true : undefined}>
          {busy ? words.busy : words.submit}
        </BusyButton>
      </div>
      <p role="status" className={done ? 'notice password-changed' : undefined}>
        {done ? 'Your password has been changed. Use the new one next time you sign in.' : ''}
      </p>
    </form>
  );
}
