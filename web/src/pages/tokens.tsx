import { useState, type FormEvent } from 'react';
import { api, ApiError, type CreatedToken, type Me, type NewToken, type Token, type User } from '../api/client.js';
import { BusyButton } from '../components/busy-button.js';
import { OneTimePassword } from '../components/one-time-password.js';
import { useSession } from '../components/session.js';
import { Empty, ErrorMessage, Loading, Notice } from '../components/states.js';
import { focusWhenShown } from '../lib/focus.js';
import { formatDateTime } from '../lib/format.js';
import { boundDescendants } from '../lib/tokens.js';
import { useAsync } from '../lib/use-async.js';

/** The API's limits on a token's life (src/http/schemas/accounts.ts: 1 to 3650 days, or none). */
const MIN_DAYS = 1;
const MAX_DAYS = 3650;
const DEFAULT_DAYS = 90;

/** Expiry choices: a number of days, `custom` (typed) or `never`. */
const EXPIRY_CHOICES: { value: string; label: string }[] = [
  { value: '7', label: '7 days' },
  { value: '30', label: '30 days' },
  { value: String(DEFAULT_DAYS), label: `${DEFAULT_DAYS} days` },
  { value: '180', label: '180 days' },
  { value: '365', label: '1 year' },
  { value: 'custom', label: 'Another number of days…' },
  { value: 'never', label: 'Never' },
];

const DAY_MS = 86_400_000;

type TokenState = 'active' | 'expired' | 'revoked';

function stateOf(token: Token, now: number): TokenState {
  if (token.revokedAt) return 'revoked';
  if (token.expiresAt && Date.parse(token.expiresAt) <= now) return 'expired';
  return 'active';
}

/** `in 3 days`, `today`, `5 days ago`, for an ISO time. */
function relativeDays(iso: string, now: number): string {
  const days = Math.round((Date.parse(iso) - now) / DAY_MS);
  if (days === 0) return 'today';
  if (days > 0) return `in ${days} day${days === 1 ? '' : 's'}`;
  return `${-days} day${days === -1 ? '' : 's'} ago`;
}

/** Why the form cannot be sent, or undefined: a name, and a whole number of days within the API's limits. */
function checkNewToken(name: string, expiry: string, customDays: string): { field: 'name' | 'days'; message: string } | undefined {
  if (!name.trim()) return { field: 'name', message: 'Give the token a name that says where it is used, for example “nightly export”.' };
  if (name.trim().length > 200) return { field: 'name', message: 'Keep the name to 200 characters or fewer.' };
  if (expiry === 'custom') {
    const days = Number(customDays);
    if (!/^\d+$/.test(customDays.trim()) || !Number.isInteger(days) || days < MIN_DAYS || days > MAX_DAYS) {
      return { field: 'days', message: `Type a whole number of days from ${MIN_DAYS} to ${MAX_DAYS}.` };
    }
  }
  return undefined;
}

/**
 * True for the API's refusal of a name one of the user's active tokens has: 409 `CONFLICT` with details
 * `{field: "name", reason: "TOKEN_NAME_TAKEN"}`, or the code `TOKEN_NAME_TAKEN` itself.
 */
function isNameTaken(error: unknown): boolean {
  if (!(error instanceof ApiError)) return false;
  if (error.code === 'TOKEN_NAME_TAKEN') return true;
  const details = error.details as { field?: unknown; reason?: unknown } | null | undefined;
  return error.code === 'CONFLICT' && details?.reason === 'TOKEN_NAME_TAKEN';
}

/** The request body; `userId` only for a token for someone else (the API then checks for the admin role). */
function toNewToken(name: string, expiry: string, customDays: string, userId: number, me: Me): NewToken {
  const expiresInDays = expiry === 'never' ? null : expiry === 'custom' ? Number(customDays.trim()) : Number(expiry);
  return { name: name.trim(), expiresInDays, ...(userId !== me.id ? { userId } : {}) };
}

/** `Eddie Ramires (eddie@…)`: names can repeat, emails cannot. */
function describeUser(user: Pick<User, 'name' | 'email'>): string {
  return `${user.name} (${user.email})`;
}

/**
 * Whom an admin may issue a token for: yourself first, then every enabled user by name. Disabled users
 * are left out, as their tokens are refused (401 ACCOUNT_DISABLED) until they are enabled again.
 */
function listTokenOwners(me: Me, users: readonly User[]): { id: number; label: string }[] {
  const others = users
    .filter((u) => u.id !== me.id && !u.disabled)
    .sort((a, b) => a.name.localeCompare(b.name) || a.email.localeCompare(b.email))
    .map((u) => ({ id: u.id, label: describeUser(u) }));
  return me.id === null ? others : [{ id: me.id, label: `You (${me.name})` }, ...others];
}

/**
 * Issues a token for the signed-in user or, for an admin, for the user chosen under For user; its
 * secret is handed to `onCreated`, to be shown once. `users` is undefined for everyone but admins.
 */
function NewTokenForm({ me, users, onCreated }: { me: Me; users: { data: User[] | undefined; error: Error | undefined } | undefined; onCreated: (created: CreatedToken) => void }) {
  const owners = users ? listTokenOwners(me, users.data ?? []) : [];
  const [ownerId, setOwnerId] = useState(me.id ?? 0);
  const owner = owners.find((o) => o.id === ownerId);
  const forSomeoneElse = ownerId !== me.id;
  const [name, setName] = useState('');
  const [expiry, setExpiry] = useState(String(DEFAULT_DAYS));
  const [customDays, setCustomDays] = useState('');
  const [problem, setProblem] = useState<{ field: 'name' | 'days'; message: string }>();
  const [error, setError] = useState<Error>();
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (busy) return;
    setError(undefined);
    const found = checkNewToken(name, expiry, customDays);
    setProblem(found);
    if (found) {
      focusWhenShown(found.field === 'name' ? 'new-token-name' : 'new-token-days');
      return;
    }
    setBusy(true);
    try {
      const created = await api.createToken(toNewToken(name, expiry, customDays, ownerId, me));
      setName('');
      setCustomDays('');
      setExpiry(String(DEFAULT_DAYS));
      // Back to yourself, so the next token is not issued for someone else by mistake.
      if (me.id !== null) setOwnerId(me.id);
      onCreated(created);
    } catch (err) {
      const taken = isNameTaken(err);
      if (taken || (err instanceof ApiError && err.code === 'VALIDATION_FAILED')) {
        // The name is what to change: said under it, with the focus on it (the rest of the form kept).
        const whose = forSomeoneElse && owner ? `${owner.label} already has` : 'You already have';
        setProblem({
          field: 'name',
          message: taken
            ? `${whose} an active token named “${name.trim()}” (names are compared ignoring case). Choose another name, or revoke that token first.`
            : (err as Error).message,
        });
        focusWhenShown('new-token-name');
      } else setError(err instanceof Error ? err : new Error(String(err)));
    } finally {
      setBusy(false);
    }
  }

  const invalid = (field: 'name' | 'days') => (problem?.field === field ? { 'aria-invalid': true, 'aria-describedby': 'new-token-problem' } : {});
  return (
    <form className="card new-token" aria-labelledby="new-token-title" onSubmit={submit} noValidate>
      <h2 id="new-token-title">Create a token</h2>
      <div className="filters inline">
        {users ? (
          <div className="field">
            <label htmlFor="new-token-owner">For user</label>
            <select id="new-token-owner" value={ownerId} onChange={(e) => setOwnerId(Number(e.target.value))} aria-describedby={users.error ? 'new-token-owner-problem' : undefined}>
              {owners.map((o) => (
                <option key={o.id} value={o.id}>
                  {o.label}
                </option>
              ))}
            </select>
          </div>
        ) : null}
        <div className="field">
          <label htmlFor="new-token-name">Name</label>
          <input id="new-token-name" autoComplete="off" maxLength={200} value={name} onChange={(e) => setName(e.target.value)} {...invalid('name')} />
        </div>
        <div className="field">
          <label htmlFor="new-token-expiry">Expires after</label>
          <select id="new-token-expiry" value={expiry} onChange={(e) => setExpiry(e.target.value)}>
            {EXPIRY_CHOICES.map((choice) => (
              <option key={choice.value} value={choice.value}>
                {choice.label}
              </option>
            ))}
          </select>
        </div>
        {expiry === 'custom' ? (
          <div className="field narrow">
            <label htmlFor="new-token-days">Days</label>
            <input id="new-token-days" inputMode="numeric" autoComplete="off" value={customDays} onChange={(e) => setCustomDays(e.target.value)} {...invalid('days')} />
          </div>
        ) : null}
      </div>
      {users?.error ? (
        <p id="new-token-owner-problem" className="field-warning">
          The list of users could not be loaded ({users.error.message}), so a token can be made for you only. Reload the page to try again.
        </p>
      ) : null}
      <p className="muted small">
        {forSomeoneElse && owner
          ? `This token acts as ${owner.label}, with their role, for scripts that call the API (`
          : 'A token acts as you, with your role, for scripts that call the API ('}
        <code>Authorization: Bearer …</code>). It expires after {MIN_DAYS} to {MAX_DAYS} days, as you choose, or never; revoking it ends it at once.
      </p>
      {problem ? (
        <p id="new-token-problem" className="field-error" role="alert">
          {problem.message}
        </p>
      ) : null}
      {error ? <ErrorMessage error={error} /> : null}
      <div className="actions">
        <BusyButton type="submit" className="primary" busy={busy}>
          {busy ? 'Creating…' : 'Create token'}
        </BusyButton>
      </div>
    </form>
  );
}

/** Every signed-in user: their API tokens (admins: everyone's), creating one shown once (admins: for any user), and revoking. */
export default function TokensPage() {
  const { me } = useSession();
  const admin = me.role === 'admin';
  const tokens = useAsync(() => api.listTokens(), []);
  const users = useAsync(async () => (admin ? (await api.listUsers()).items : []), [admin]);
  const [revealed, setRevealed] = useState<CreatedToken[]>([]);
  const [confirming, setConfirming] = useState<number>();
  const [revoking, setRevoking] = useState(false);
  const [revokeError, setRevokeError] = useState<Error>();
  const [notice, setNotice] = useState<string>();
  const now = Date.now();

  async function revoke(token: Token) {
    setRevoking(true);
    setRevokeError(undefined);
    const bound = boundDescendants(tokens.data?.items ?? [], token.id).length;
    try {
      await api.revokeToken(token.id);
      setConfirming(undefined);
      setNotice(
        bound > 0
          ? `“${token.name}” is revoked, with the ${bound} token${bound === 1 ? '' : 's'} issued with it: requests that send them are now refused.`
          : `“${token.name}” is revoked: requests that send it are now refused.`,
      );
      setRevealed((list) => list.filter((r) => r.info.id !== token.id));
      tokens.reload();
    } catch (err) {
      setRevokeError(err instanceof Error ? err : new Error(String(err)));
    } finally {
      setRevoking(false);
    }
  }

  const ownerName = (userId: number) => (userId === me.id ? 'you' : (users.data?.find((u) => u.id === userId)?.name ?? `user #${userId}`));
  /** Whose a token just shown is, in its heading and warning: nothing more for your own. */
  const shownFor = (created: CreatedToken) => {
    if (created.info.userId === me.id) return { title: '', actsAs: 'you' };
    const name = ownerName(created.info.userId);
    return { title: ` for ${name}`, actsAs: name };
  };

  return (
    <div className="page tokens">
      <h1>API tokens</h1>
      <p>
        Scripts and other tools call the Unblock API with a token instead of your password.{' '}
        {admin ? 'As an admin you see every user’s tokens, may create one for any user and may revoke any of them.' : 'These are your own tokens; nobody else sees them here.'}
      </p>
      {notice ? <Notice text={notice} onDismiss={() => setNotice(undefined)} /> : null}
      {revealed.map((r) => {
        const whose = shownFor(r);
        return (
          <OneTimePassword
            key={r.info.id}
            id={`new-token-${r.info.id}`}
            title={`New token “${r.info.name}”${whose.title}`}
            password={r.token}
            secretName="token"
            warning={`This token will not be shown again. Copy it now and keep it where your scripts read their secrets: anyone who has it can use the API as ${whose.actsAs}.`}
            onDone={() => setRevealed((list) => list.filter((x) => x !== r))}
          />
        );
      })}
      <NewTokenForm
        me={me}
        users={admin ? { data: users.data, error: users.error } : undefined}
        onCreated={(created) => {
          setNotice(undefined);
          setRevealed((list) => [created, ...list]);
          tokens.reload();
        }}
      />
      <section aria-labelledby="token-list-title">
        <h2 id="token-list-title">{admin ? 'All tokens' : 'Your tokens'}</h2>
        {tokens.status === 'error' ? <ErrorMessage error={tokens.error} onRetry={tokens.reload} /> : null}
        {!tokens.data && tokens.status === 'loading' ? <Loading label="Loading tokens…" /> : null}
        {revokeError ? <ErrorMessage error={revokeError} /> : null}
        {tokens.data && tokens.data.items.length === 0 ? <Empty>No tokens yet. Create one above when a script needs to call the API.</Empty> : null}
        {tokens.data && tokens.data.items.length > 0 ? (
          // The table scrolls sideways in its own box on a narrow screen, not the page; the box takes the
          // focus so that the keyboard can scroll it too.
          <div className="table-scroll" role="region" aria-label="Token list" tabIndex={0}>
            <table className="data-table token-list">
              <caption className="visually-hidden">{admin ? 'Every user’s API tokens, newest first' : 'Your API tokens, newest first'}</caption>
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Starts with</th>
                  {admin ? <th scope="col">Owner</th> : null}
                  <th scope="col">Created</th>
                  <th scope="col">Expires</th>
                  <th scope="col">Last used</th>
                  <th scope="col">State</th>
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {tokens.data.items.map((token, _, listed) => {
                  const state = stateOf(token, now);
                  const parent = token.parentTokenId === null ? undefined : (listed.find((t) => t.id === token.parentTokenId) ?? null);
                  const bound = boundDescendants(listed, token.id).length;
                  return (
                    <tr key={token.id} className={state === 'active' ? undefined : 'muted'}>
                      <td>
                        {token.name}
                        {parent !== undefined ? (
                          // Issued with a token: it expires no later and is revoked with it (the API binds them).
                          <span className="muted small block">issued with {parent ? `“${parent.name}”` : 'another token'}</span>
                        ) : null}
                      </td>
                      <td>
                        <code>{token.prefix}…</code>
                      </td>
                      {admin ? <td>{ownerName(token.userId)}</td> : null}
                      <td>{formatDateTime(token.createdAt)}</td>
                      <td>
                        {token.expiresAt ? (
                          <>
                            {formatDateTime(token.expiresAt)} <span className="muted small">({relativeDays(token.expiresAt, now)})</span>
                          </>
                        ) : (
                          'never'
                        )}
                      </td>
                      <td>{token.lastUsedAt ? formatDateTime(token.lastUsedAt) : <span className="muted">not yet</span>}</td>
                      <td>{state === 'revoked' ? `revoked ${formatDateTime(token.revokedAt)}` : state}</td>
                      <td>
                        {state === 'revoked' ? null : confirming === token.id ? (
                          <span className="confirm-revoke" role="group" aria-label={`Revoke “${token.name}”?`}>
                            <span>
                              Revoke it? Scripts using it stop working at once
                              {bound > 0 ? `, and so do the ${bound} token${bound === 1 ? '' : 's'} issued with it` : ''}.
                            </span>{' '}
                            <button type="button" className="danger" autoFocus disabled={revoking} onClick={() => void revoke(token)}>
                              Revoke token
                            </button>{' '}
                            <button type="button" disabled={revoking} onClick={() => setConfirming(undefined)}>
                              Keep it
                            </button>
                          </span>
                        ) : (
                          <button
                            type="button"
                            onClick={() => {
                              setRevokeError(undefined);
                              setConfirming(token.id);
                            }}
                          >
                            Revoke
                          </button>
                        )}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        ) : null}
      </section>
    </div>
  );
}
