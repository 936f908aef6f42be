import { useState, type FormEvent } from 'react';
import { api, ApiError, type CreatedUser, type NewUser, type Partner, type Role, type User } from '../api/client.js';
import { canManageUsers } from '../components/layout.js';
import { OneTimePassword } from '../components/one-time-password.js';
import { useSession } from '../components/session.js';
import { Empty, ErrorMessage, Loading } from '../components/states.js';
import { checkNewPassword, generatePassword } from '../lib/password.js';
import { usePartners } from '../lib/reference-data.js';
import { useAsync } from '../lib/use-async.js';

/**
 * A password to show once: whose it is and the password itself. Each stays until its own Done, so
 * setting passwords for others never hides one the admin has not copied yet; a newer password of the
 * same user replaces it (the older one no longer works).
 */
interface Revealed {
  userId: number;
  title: string;
  password: string;
}

/** `list` with `entry` first, in place of any earlier password of the same user. */
function reveal(list: Revealed[], entry: Revealed): Revealed[] {
  return [entry, ...list.filter((r) => r.userId !== entry.userId)];
}

/** The message of a refused request, for a form. */
function toError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

/** The field of a VALIDATION_FAILED refusal's first detail, e.g. `email` for `/email`. */
function refusedField(error: unknown): string | undefined {
  if (!(error instanceof ApiError) || error.code !== 'VALIDATION_FAILED' || !Array.isArray(error.details)) return undefined;
  const path = (error.details as { path?: unknown }[])[0]?.path;
  return typeof path === 'string' ? path.replace(/^\//, '') : undefined;
}

/** The message of a VALIDATION_FAILED refusal's first detail, without the field path. */
function refusedMessage(error: unknown): string | undefined {
  if (!(error instanceof ApiError) || !Array.isArray(error.details)) return undefined;
  const message = (error.details as { message?: unknown }[])[0]?.message;
  return typeof message === 'string' ? message : undefined;
}

const ROLES_FOR: Record<'admin' | 'manager', Role[]> = {
  admin: ['viewer', 'editor', 'manager', 'admin'],
  manager: ['viewer', 'editor', 'manager'],
};

/** Adds a user; an empty password field lets the server generate one, which is shown once. */
function NewUserForm({ partners, onCreated }: { partners: Partner[] | undefined; onCreated: (user: CreatedUser) => void }) {
  const { me } = useSession();
  const admin = me.role === 'admin';
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('editor');
  const [partnerId, setPartnerId] = useState('');
  const [password, setPassword] = useState('');
  const [problem, setProblem] = useState<{ field?: string; message: string }>();
  const [error, setError] = useState<Error>();
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setError(undefined);
    setProblem(undefined);
    if (!email.trim()) return setProblem({ field: 'email', message: 'Type the email the user signs in with.' });
    if (!name.trim()) return setProblem({ field: 'name', message: 'Type the user’s name.' });
    if (admin && role !== 'admin' && !partnerId) return setProblem({ field: 'partnerId', message: 'Choose the partner this user works for.' });
    const passwordProblem = password ? checkNewPassword(password) : undefined;
    if (passwordProblem) return setProblem({ field: 'password', message: passwordProblem });
    const input: NewUser = { email: email.trim(), name: name.trim(), role };
    if (admin && role !== 'admin') input.partnerId = Number(partnerId);
    if (password) input.password = password;
    setBusy(true);
    try {
      const created = await api.createUser(input);
      setEmail('');
      setName('');
      setPassword('');
      onCreated(created);
    } catch (err) {
      const field = refusedField(err);
      if (field === 'email') setProblem({ field, message: 'That is not an email address the server accepts; type it as name@example.com.' });
      else if (field && ['name', 'password'].includes(field)) setProblem({ field, message: refusedMessage(err) ?? (err as Error).message });
      else if (err instanceof ApiError && err.code === 'CONFLICT') setProblem({ field: 'email', message: 'This email already belongs to a user. Each person signs in with an email of their own.' });
      else setError(toError(err));
    } finally {
      setBusy(false);
    }
  }

  const invalid = (field: string) => (problem?.field === field ? { 'aria-invalid': true, 'aria-describedby': 'new-user-problem' } : {});
  return (
    <form className="card new-user" aria-labelledby="new-user-title" onSubmit={submit} noValidate>
      <h2 id="new-user-title">Add a user</h2>
      <div className="filters inline">
        <div className="field">
          <label htmlFor="new-user-email">Email</label>
          <input id="new-user-email" type="email" autoComplete="off" value={email} onChange={(e) => setEmail(e.target.value)} {...invalid('email')} />
        </div>
        <div className="field">
          <label htmlFor="new-user-name">Name</label>
          <input id="new-user-name" autoComplete="off" value={name} onChange={(e) => setName(e.target.value)} {...invalid('name')} />
        </div>
        <div className="field">
          <label htmlFor="new-user-role">Role</label>
          <select id="new-user-role" value={role} onChange={(e) => setRole(e.target.value as Role)}>
            {ROLES_FOR[admin ? 'admin' : 'manager'].map((r) => (
              <option key={r}>{r}</option>
            ))}
          </select>
        </div>
        {admin && role !== 'admin' ? (
          <div className="field">
            <label htmlFor="new-user-partner">Partner</label>
            <select id="new-user-partner" value={partnerId} onChange={(e) => setPartnerId(e.target.value)} {...invalid('partnerId')}>
              <option value="">Choose…</option>
              {(partners ?? []).map((p) => (
                <option key={p.id} value={String(p.id)}>
                  {p.name}
                </option>
              ))}
            </select>
          </div>
        ) : null}
        <div className="field">
          <label htmlFor="new-user-password">Password (optional)</label>
          <input
            id="new-user-password"
            type="password"
            autoComplete="new-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            aria-describedby="new-user-password-hint"
            {...(problem?.field === 'password' ? { 'aria-invalid': true } : {})}
          />
        </div>
      </div>
      <p id="new-user-password-hint" className="muted small">
        Leave the password empty to have one generated: it is shown once, after the user is added.
        {!admin ? ' The user joins your partner.' : ''}
      </p>
      {problem ? (
        <p id="new-user-problem" className="field-error" role="alert">
          {problem.message}
        </p>
      ) : null}
      {error ? <ErrorMessage error={error} /> : null}
      <div className="actions">
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Adding…' : 'Add user'}
        </button>
      </div>
    </form>
  );
}

/** Sets another user's password: typed (twice) or generated here and shown once. */
function SetPasswordForm({ user, onDone, onGenerated }: { user: User; onDone: (message: string, passwordSet: boolean) => void; onGenerated: (password: string) => void }) {
  const [password, setPassword] = useState('');
  const [repeat, setRepeat] = useState('');
  const [problem, setProblem] = useState<string>();
  const [error, setError] = useState<Error>();
  const [busy, setBusy] = useState(false);

  async function send(value: string, generated: boolean) {
    setError(undefined);
    setBusy(true);
    try {
      await api.setUserPassword(user.id, value);
      if (generated) onGenerated(value);
      else onDone(`The password of ${user.name} is set. Their sessions have ended; they sign in with the new password.`, true);
    } catch (err) {
      setError(toError(err));
    } finally {
      setBusy(false);
    }
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    const found = checkNewPassword(password, repeat);
    setProblem(found);
    if (!found) void send(password, false);
  }

  return (
    <form className="card set-password" aria-labelledby="set-password-title" onSubmit={submit} noValidate>
      <h2 id="set-password-title">
        Set a password for {user.name} <span className="muted">({user.email})</span>
      </h2>
      <p className="muted">This signs {user.name} out everywhere. Type a new password, or generate one.</p>
      <div className="filters inline">
        <div className="field">
          <label htmlFor="set-password-new">New password</label>
          <input
            id="set-password-new"
            autoFocus
            type="password"
            autoComplete="new-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            aria-invalid={problem ? true : undefined}
            aria-describedby={problem ? 'set-password-problem' : undefined}
          />
        </div>
        <div className="field">
          <label htmlFor="set-password-repeat">Repeat it</label>
          <input id="set-password-repeat" type="password" autoComplete="new-password" value={repeat} onChange={(e) => setRepeat(e.target.value)} />
        </div>
      </div>
      {problem ? (
        <p id="set-password-problem" className="field-error" role="alert">
          {problem}
        </p>
      ) : null}
      {error ? <ErrorMessage error={error} /> : null}
      <div className="actions">
        <button type="submit" className="primary" disabled={busy}>
          Set this password
        </button>
        <button type="button" disabled={busy} onClick={() => void send(generatePassword(), true)}>
          Generate one
        </button>
        <button type="button" disabled={busy} onClick={() => onDone('', false)}>
          Cancel
        </button>
      </div>
    </form>
  );
}

/** Admins and managers: the users they can see, adding users, and setting their passwords. */
export default function UsersPage() {
  const { me } = useSession();
  const users = useAsync(() => api.listUsers(), []);
  const partners = usePartners();
  const [editing, setEditing] = useState<User>();
  const [revealed, setRevealed] = useState<Revealed[]>([]);
  const [notice, setNotice] = useState<string>();
  if (!canManageUsers(me.role)) {
    return (
      <div className="page users">
        <h1>Users</h1>
        <Empty>
          Only admins and managers manage users. To change your own password, open <a href="#/account">My account</a>.
        </Empty>
      </div>
    );
  }
  if (users.status === 'error') return <ErrorMessage error={users.error} onRetry={users.reload} />;
  if (!users.data) return <Loading label="Loading users…" />;
  const partnerName = (id: number | null) => (id === null ? 'all (admin)' : (partners.data?.find((p) => p.id === id)?.name ?? `#${id}`));

  return (
    <div className="page users">
      <h1>Users</h1>
      {notice ? (
        <p className="notice" role="status">
          {notice}{' '}
          <button type="button" className="button-link" onClick={() => setNotice(undefined)}>
            Dismiss
          </button>
        </p>
      ) : null}
      {revealed.map((r) => (
        <OneTimePassword
          key={`${r.userId}:${r.password}`}
          id={`one-time-password-${r.userId}`}
          title={r.title}
          password={r.password}
          onDone={() => setRevealed((list) => list.filter((x) => x !== r))}
        />
      ))}
      {editing ? (
        <SetPasswordForm
          key={editing.id}
          user={editing}
          onDone={(message, passwordSet) => {
            // A typed password replaces one generated earlier for the same user: that one no longer works.
            if (passwordSet) setRevealed((list) => list.filter((r) => r.userId !== editing.id));
            setEditing(undefined);
            setNotice(message || undefined);
          }}
          onGenerated={(password) => {
            setNotice(undefined);
            setRevealed((list) => reveal(list, { userId: editing.id, title: `New password for ${editing.name} (${editing.email})`, password }));
            setEditing(undefined);
          }}
        />
      ) : null}
      {users.data.items.length === 0 ? (
        <Empty>No users yet. Add the first one below.</Empty>
      ) : (
        // A narrow screen scrolls the table sideways in its box rather than widening the page.
        <div className="table-scroll" role="region" aria-label="Users" tabIndex={0}>
        <table className="data-table">
          <caption className="visually-hidden">Users, their roles and partners</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Email</th>
              <th scope="col">Role</th>
              <th scope="col">Partner</th>
              <th scope="col">Status</th>
              <th scope="col">Password</th>
            </tr>
          </thead>
          <tbody>
            {users.data.items.map((u) => (
              <tr key={u.id}>
                <td>{u.name}</td>
                <td>{u.email}</td>
                <td>{u.role}</td>
                <td>{partnerName(u.partnerId)}</td>
                <td>{u.disabled ? 'disabled' : 'active'}</td>
                <td>
                  {u.id === me.id ? (
                    <a href="#/account">Change yours on My account</a>
                  ) : (
                    <button
                      type="button"
                      aria-label={`Set password for ${u.name}`}
                      onClick={() => {
                        setNotice(undefined);
                        setEditing(u);
                      }}
                    >
                      Set password
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        </div>
      )}
      <NewUserForm
        partners={partners.data}
        onCreated={(created) => {
          users.reload();
          setEditing(undefined);
          const password = created.password;
          if (password) {
            setNotice(`${created.name} is added.`);
            setRevealed((list) => reveal(list, { userId: created.id, title: `Password for ${created.name} (${created.email})`, password }));
          } else {
            setNotice(`${created.name} is added, with the password you typed.`);
          }
        }}
      />
    </div>
  );
}
