import { useEffect, useRef, useState, type FormEvent } from 'react';
import { api, ApiError, type CreatedUser, type NewUser, type Partner, type Role, type User } from '../api/client.js';
import { BusyButton } from '../components/busy-button.js';
import { canManageUsers } from '../components/layout.js';
import { OneTimePassword } from '../components/one-time-password.js';
import { PartnersAdmin } from '../components/partners-admin.js';
import { useSession } from '../components/session.js';
import { Empty, ErrorMessage, Loading, Notice } from '../components/states.js';
import { focusWhenShown } from '../lib/focus.js';
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

/** The roles an edit moves a user between: the admin role is neither granted nor taken away by an edit (the API refuses it). */
const EDITABLE_ROLES: Role[] = ['viewer', 'editor', 'manager'];

/** What each role may do, for the role form. */
const ROLE_HELP: Record<Role, string> = {
  viewer: 'reads everything, changes nothing',
  editor: 'also changes statuses and imports files',
  manager: 'also creates customers and manages the partner’s users',
  admin: 'everything, for every partner',
};

/** `a viewer`, `an editor`. */
function withArticle(role: Role): string {
  return `${/^[aeiou]/.test(role) ? 'an' : 'a'} ${role}`;
}

/** The user's role, if an edit may change it: never your own, and not an admin's (see EDITABLE_ROLES). */
function canChangeRole(user: User, meId: number | null): boolean {
  return user.id !== meId && user.role !== 'admin';
}

/** Moves a user to another role (viewer, editor, manager). */
function RoleForm({ user, onDone }: { user: User; onDone: (message?: string) => void }) {
  const [role, setRole] = useState<Role>(user.role);
  const [error, setError] = useState<Error>();
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (busy) return;
    if (role === user.role) return onDone(`${user.name} stays ${withArticle(role)}; nothing was changed.`);
    setError(undefined);
    setBusy(true);
    try {
      const changed = await api.updateUser(user.id, { role });
      onDone(`${changed.name} is now ${withArticle(changed.role)}. It takes effect at once; pages they have open show it once reloaded, or as soon as they try something the new role may not do.`);
    } catch (err) {
      // The focus stays on Save role (never off while it works), next to the message.
      setError(toError(err));
      setBusy(false);
    }
  }

  return (
    <form className="card user-role" aria-labelledby="user-role-title" onSubmit={submit} noValidate>
      <h2 id="user-role-title">
        Change the role of {user.name} <span className="muted">({user.email})</span>
      </h2>
      <div className="field">
        <label htmlFor="user-role-select">Role</label>
        <select id="user-role-select" autoFocus value={role} onChange={(e) => setRole(e.target.value as Role)} aria-describedby="user-role-hint">
          {EDITABLE_ROLES.map((r) => (
            <option key={r} value={r}>
              {r}: {ROLE_HELP[r]}
            </option>
          ))}
        </select>
      </div>
      <p id="user-role-hint" className="muted small">
        {user.name} is {withArticle(user.role)} now. The admin role is not given or taken by a change of role: add a new admin user instead.
      </p>
      {error ? <ErrorMessage error={error} /> : null}
      <div className="actions">
        <BusyButton type="submit" className="primary" busy={busy}>
          {busy ? 'Saving…' : 'Save role'}
        </BusyButton>
        <button type="button" disabled={busy} onClick={() => onDone()}>
          Cancel
        </button>
      </div>
    </form>
  );
}

/** Asks before disabling a user: their sessions end at once and their tokens stop working. */
function DisableConfirm({ user, onDone }: { user: User; onDone: (message?: string) => void }) {
  const [error, setError] = useState<Error>();
  const [busy, setBusy] = useState(false);
  const headingRef = useRef<HTMLHeadingElement>(null);
  useEffect(() => headingRef.current?.focus(), []);

  async function disable() {
    if (busy) return;
    setError(undefined);
    setBusy(true);
    try {
      const changed = await api.updateUser(user.id, { disabled: true });
      onDone(`${changed.name} is disabled: signed out everywhere, and their sign-ins and API tokens are refused until you enable the account again.`);
    } catch (err) {
      setError(toError(err));
      setBusy(false);
    }
  }

  return (
    <section className="card confirm-step user-disable" aria-labelledby="user-disable-title">
      <h2 id="user-disable-title" tabIndex={-1} ref={headingRef}>
        Disable {user.name}?
      </h2>
      <p>
        {user.name} ({user.email}) is signed out everywhere at once and can no longer sign in; their API tokens are refused too. Their statuses and history stay.
        You can enable the account again later: their tokens then work again, and they sign in anew.
      </p>
      {error ? <ErrorMessage error={error} /> : null}
      <div className="actions">
        <BusyButton type="button" className="danger" busy={busy} onClick={() => void disable()}>
          {busy ? 'Disabling…' : `Disable ${user.name}`}
        </BusyButton>
        <button type="button" disabled={busy} onClick={() => onDone()}>
          Cancel
        </button>
      </div>
    </section>
  );
}

const ROLES_FOR: Record<'admin' | 'manager', Role[]> = {
  admin: ['viewer', 'editor', 'manager', 'admin'],
  manager: ['viewer', 'editor', 'manager'],
};

/** The control of each field of the new-user form, by the name its problems use. */
const NEW_USER_FIELD_IDS: Record<string, string> = { email: 'new-user-email', name: 'new-user-name', partnerId: 'new-user-partner', password: 'new-user-password' };

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

  /** Says what is wrong with `field` and puts the focus on it, so its message is read out with it and it can be fixed at once. */
  function fail(field: string, message: string) {
    setProblem({ field, message });
    focusWhenShown(NEW_USER_FIELD_IDS[field] ?? 'new-user-email');
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (busy) return;
    setError(undefined);
    setProblem(undefined);
    if (!email.trim()) return fail('email', 'Type the email the user signs in with.');
    if (!name.trim()) return fail('name', 'Type the user’s name.');
    if (admin && role !== 'admin' && !partnerId) return fail('partnerId', 'Choose the partner this user works for.');
    const passwordProblem = password ? checkNewPassword(password) : undefined;
    if (passwordProblem) return fail('password', passwordProblem);
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
      if (field === 'email') fail(field, 'That is not an email address the server accepts; type it as name@example.com.');
      else if (field && ['name', 'password'].includes(field)) fail(field, refusedMessage(err) ?? (err as Error).message);
      else if (err instanceof ApiError && err.code === 'CONFLICT') fail('email', 'This email already belongs to a user. Each person signs in with an email of their own.');
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
          <input id="new-user-email" type="email" autoComplete="off" maxLength={320} value={email} onChange={(e) => setEmail(e.target.value)} {...invalid('email')} />
        </div>
        <div className="field">
          <label htmlFor="new-user-name">Name</label>
          <input id="new-user-name" autoComplete="off" maxLength={200} value={name} onChange={(e) => setName(e.target.value)} {...invalid('name')} />
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
            aria-describedby={problem?.field === 'password' ? 'new-user-password-hint new-user-problem' : 'new-user-password-hint'}
            {...(problem?.field === 'password' ? { 'aria-invalid': true } : {})}
          />
        </div>
      </div>
      <p id="new-user-password-hint" className="muted small">
        Leave the password empty to have one generated: it is shown once, after the user is added. Either way, the user chooses their own at their first sign-in.
        {!admin ? ' The user joins your partner.' : ''}
      </p>
      {problem ? (
        <p id="new-user-problem" className="field-error" role="alert">
          {problem.message}
        </p>
      ) : null}
      {error ? <ErrorMessage error={error} /> : null}
      <div className="actions">
        <BusyButton type="submit" className="primary" busy={busy}>
          {busy ? 'Adding…' : 'Add user'}
        </BusyButton>
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
    if (busy) return;
    setError(undefined);
    setProblem(undefined);
    setBusy(true);
    try {
      await api.setUserPassword(user.id, value);
      if (generated) onGenerated(value);
      else onDone(`The password of ${user.name} is set. Their sessions have ended; they sign in with the new password and then choose their own.`, true);
    } catch (err) {
      if (!generated && refusedField(err) === 'password') {
        // The typed password is what to fix: its field takes the focus, with the message under it.
        setProblem(refusedMessage(err) ?? toError(err).message);
        focusWhenShown('set-password-new');
      } else {
        // The focus stays on the button that sent it (never off while it works), next to the message.
        setError(toError(err));
      }
    } finally {
      setBusy(false);
    }
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    if (busy) return;
    const found = checkNewPassword(password, repeat);
    setProblem(found);
    if (found) focusWhenShown('set-password-new');
    else void send(password, false);
  }

  return (
    <form className="card set-password" aria-labelledby="set-password-title" onSubmit={submit} noValidate>
      <h2 id="set-password-title">
        Set a password for {user.name} <span className="muted">({user.email})</span>
      </h2>
      <p className="muted">This signs {user.name} out everywhere. Type a new password, or generate one: at their next sign-in they must replace it with one of their own.</p>
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
        <BusyButton type="submit" className="primary" busy={busy}>
          Set this password
        </BusyButton>
        <BusyButton type="button" busy={busy} onClick={() => void send(generatePassword(), true)}>
          Generate one
        </BusyButton>
        <button type="button" disabled={busy} onClick={() => onDone('', false)}>
          Cancel
        </button>
      </div>
    </form>
  );
}

/** The form or confirmation open above the users table, and the user it is for. */
type Panel = { kind: 'password' | 'role' | 'disable'; user: User };

/** The id of a row's button that opens `kind` for `userId`: focus goes back to it when the panel closes. */
function panelButtonId(kind: Panel['kind'], userId: number): string {
  return `user-${userId}-${kind}`;
}

/** Admins and managers: the users they can see, adding users, setting their passwords, changing roles, and disabling or enabling accounts; admins also add partners. */
export default function UsersPage() {
  const { me } = useSession();
  const users = useAsync(() => api.listUsers(), []);
  const partners = usePartners();
  const [panel, setPanel] = useState<Panel>();
  const editing = panel?.kind === 'password' ? panel.user : undefined;
  const [revealed, setRevealed] = useState<Revealed[]>([]);
  const [notice, setNotice] = useState<string>();
  const [actionError, setActionError] = useState<Error>();
  const [enabling, setEnabling] = useState<number>();
  // The button that opened a panel takes the focus back when it closes, so the keyboard goes on from its row.
  const returnFocus = useRef<string>(undefined);
  useEffect(() => {
    if (panel || !returnFocus.current) return;
    document.getElementById(returnFocus.current)?.focus();
    returnFocus.current = undefined;
  }, [panel]);
  const open = (kind: Panel['kind'], user: User) => {
    setNotice(undefined);
    setActionError(undefined);
    returnFocus.current = panelButtonId(kind, user.id);
    setPanel({ kind, user });
  };
  const closeWith = (message?: string, changed = false) => {
    if (changed) users.reload();
    setPanel(undefined);
    setNotice(message || undefined);
  };
  async function enable(user: User) {
    // Not disabled while it works: the focus stays on the button, which then reads Disable.
    if (enabling !== undefined) return;
    setNotice(undefined);
    setActionError(undefined);
    setEnabling(user.id);
    try {
      const changed = await api.updateUser(user.id, { disabled: false });
      users.reload();
      setNotice(`${changed.name} is enabled again: they sign in anew, and their API tokens that are not revoked or expired work again.`);
    } catch (err) {
      setActionError(toError(err));
    } finally {
      setEnabling(undefined);
    }
  }
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
      {notice ? <Notice text={notice} onDismiss={() => setNotice(undefined)} /> : null}
      {revealed.map((r) => (
        <OneTimePassword
          key={`${r.userId}:${r.password}`}
          id={`one-time-password-${r.userId}`}
          title={r.title}
          password={r.password}
          onDone={() => setRevealed((list) => list.filter((x) => x !== r))}
        />
      ))}
      {actionError ? <ErrorMessage error={actionError} /> : null}
      {editing ? (
        <SetPasswordForm
          key={editing.id}
          user={editing}
          onDone={(message, passwordSet) => {
            // A typed password replaces one generated earlier for the same user: that one no longer works.
            if (passwordSet) setRevealed((list) => list.filter((r) => r.userId !== editing.id));
            // A password set is one the user has not chosen: the table is read again to say so.
            closeWith(message, passwordSet);
          }}
          onGenerated={(password) => {
            setNotice(undefined);
            setRevealed((list) => reveal(list, { userId: editing.id, title: `New password for ${editing.name} (${editing.email})`, password }));
            // The user is now one who has not chosen their password: the table says so.
            users.reload();
            // The shown password is where the keyboard goes on, not the row.
            returnFocus.current = undefined;
            setPanel(undefined);
          }}
        />
      ) : null}
      {panel?.kind === 'role' ? <RoleForm key={panel.user.id} user={panel.user} onDone={(message) => closeWith(message, !!message)} /> : null}
      {panel?.kind === 'disable' ? <DisableConfirm key={panel.user.id} user={panel.user} onDone={(message) => closeWith(message, !!message)} /> : null}
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
                <td>
                  <span className="cell-with-action">
                    {u.role}
                    {canChangeRole(u, me.id) ? (
                      <button type="button" id={panelButtonId('role', u.id)} aria-label={`Change role of ${u.name}`} onClick={() => open('role', u)}>
                        Change
                      </button>
                    ) : null}
                  </span>
                </td>
                <td>{partnerName(u.partnerId)}</td>
                <td>
                  <span className="cell-with-action">
                    {u.disabled ? 'disabled' : 'active'}
                    {u.id === me.id ? null : u.disabled ? (
                      <BusyButton type="button" id={panelButtonId('disable', u.id)} aria-label={`Enable ${u.name}`} busy={enabling === u.id} onClick={() => void enable(u)}>
                        {enabling === u.id ? 'Enabling…' : 'Enable'}
                      </BusyButton>
                    ) : (
                      // The same component as Enable: React keeps the element, and the focus on it, when the row turns.
                      <BusyButton type="button" className="danger" id={panelButtonId('disable', u.id)} aria-label={`Disable ${u.name}`} busy={false} onClick={() => open('disable', u)}>
                        Disable
                      </BusyButton>
                    )}
                  </span>
                </td>
                <td>
                  {u.id === me.id ? (
                    <a href="#/account">Change yours on My account</a>
                  ) : (
                    <span className="cell-with-action">
                      {/* A password a manager or admin set: the user replaces it at their next sign-in. */}
                      {u.mustChangePassword ? <span className="password-pending">not chosen by them yet</span> : null}
                      <button type="button" id={panelButtonId('password', u.id)} aria-label={`Set password for ${u.name}`} onClick={() => open('password', u)}>
                        Set password
                      </button>
                    </span>
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
          returnFocus.current = undefined;
          setPanel(undefined);
          const password = created.password;
          if (password) {
            setNotice(`${created.name} is added. At their first sign-in they choose their own password.`);
            setRevealed((list) => reveal(list, { userId: created.id, title: `Password for ${created.name} (${created.email})`, password }));
          } else {
            setNotice(`${created.name} is added, with the password you typed. At their first sign-in they choose their own.`);
          }
        }}
      />
      {me.role === 'admin' ? <PartnersAdmin partners={partners.data} partnersError={partners.error} users={users.data.items} /> : null}
    </div>
  );
}
