/** Partners, users, API tokens and login sessions. */
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { AppError, nameKey } from '../lib/index.js';
import { engineOf, isUniqueViolation, type Role } from '../db/index.js';
import { generateSecret, hashPassword, hashSecret, verifyPassword } from './secrets.js';
import { requireRole, scopeOf } from './scope.js';
import type { Actor, TrackerContext } from './types.js';

export interface PartnerView {
  id: number;
  name: string;
  createdAt: string;
}

export interface UserView {
  id: number;
  email: string;
  name: string;
  role: Role;
  partnerId: number | null;
  disabled: boolean;
  createdAt: string;
  /** True while the password is one a manager or admin chose: the user has not chosen their own yet. */
  mustChangePassword: boolean;
}

export interface TokenView {
  id: number;
  userId: number;
  name: string;
  prefix: string;
  createdAt: string;
  expiresAt: string | null;
  revokedAt: string | null;
  lastUsedAt: string | null;
  /** The token this one was issued with: it expires no later and is revoked with it. Null when issued from a login session or the CLI. */
  parentTokenId: number | null;
}

const TOKEN_PREFIX = 'ub_';
const SESSION_PREFIX = 'ubs_';
const DAY_MS = 86_400_000;
/** Days a new token lasts when the request names none. */
const DEFAULT_TOKEN_DAYS = 90;

/**
 * Creates a partner organisation (admins only). Throws CONFLICT for a taken name, ignoring case: the
 * import finds a CSV's `partner` by its name ignoring case, so "northwind advisory" next to "Northwind
 * Advisory" would send one partner's new customers to the other.
 */
export async function createPartner(ctx: TrackerContext, actor: Actor, input: { name: string }): Promise<PartnerView> {
  requireRole(actor, 'admin');
  const now = ctx.clock.now().toISOString();
  const name = input.name.trim();
  const taken = (await listPartners(ctx, actor)).find((p) => p.name.toLowerCase() === name.toLowerCase());
  if (taken) throw new AppError('CONFLICT', `A partner named "${taken.name}" already exists.`);
  try {
    const row = await ctx.db.kysely.insertInto('partners').values({ name, created_at: now }).returningAll().executeTakeFirstOrThrow();
    return { id: row.id, name: row.name, createdAt: row.created_at };
  } catch (error) {
    if (isUniqueViolation(error)) throw new AppError('CONFLICT', `A partner named "${name}" already exists.`);
    throw error;
  }
}

/** Partners the actor can see: all for admins, their own otherwise. */
export async function listPartners(ctx: TrackerContext, actor: Actor): Promise<PartnerView[]> {
  const scope = scopeOf(actor);
  let query = ctx.db.kysely.selectFrom('partners').selectAll();
  if (scope.kind === 'partner') query = query.where('id', '=', scope.partnerId);
  // A-Z ignoring case and accents, as customers are (a few dozen partners: sorted here, not in SQL).
  const keyed = (await query.execute()).map((r) => ({ row: r, key: nameKey(r.name) }));
  keyed.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.row.name < b.row.name ? -1 : a.row.name > b.row.name ? 1 : a.row.id - b.row.id));
  return keyed.map(({ row: r }) => ({ id: r.id, name: r.name, createdAt: r.created_at }));
}

/** Finds a partner by exact name, within the actor's scope. */
export async function findPartnerByName(ctx: TrackerContext, actor: Actor, name: string): Promise<PartnerView | undefined> {
  return (await listPartners(ctx, actor)).find((p) => p.name === name);
}

function toUserView(row: { id: number; email: string; name: string; role: Role; partner_id: number | null; disabled: number; created_at: string; must_change_password: number }): UserView {
  return {
    id: row.id, email: row.email, name: row.name, role: row.role, partnerId: row.partner_id, disabled: row.disabled === 1, createdAt: row.created_at,
    mustChangePassword: row.must_change_password === 1,
  };
}

export interface NewUserInput {
  email: string;
  name: string;
  role: Role;
  partnerId?: number | null | undefined;
  password?: string | undefined;
  /**
   * Whether the user must change the password at their first sign-in. A password chosen by a user actor
   * (a manager or admin) always must be; the system actor (the CLI, the demo seed) sets none unless this
   * is true. False cannot lift it for a user actor.
   */
  mustChangePassword?: boolean | undefined;
}

/**
 * Whether a password set by `actor` for someone else must be changed by its user: always when a person
 * chose it (they know it), and for the system actor only when asked.
 */
function chosenForSomeoneElse(actor: Actor, asked: boolean | undefined): boolean {
  return actor.userId !== null || asked === true;
}

/**
 * Creates a user. Admins create anyone; managers create non-admin users of their own partner.
 * Non-admin users must belong to a partner. Throws CONFLICT for a taken email. A password given by a
 * manager or admin must be changed at the first sign-in (`mustChangePassword`).
 */
export async function createUser(ctx: TrackerContext, actor: Actor, input: NewUserInput): Promise<UserView> {
  requireRole(actor, 'manager');
  let partnerId = input.partnerId ?? null;
  if (actor.role !== 'admin') {
    if (input.role === 'admin') throw new AppError('FORBIDDEN', 'Only admins can create admins.');
    if (partnerId !== null && partnerId !== actor.partnerId) throw new AppError('FORBIDDEN', 'Managers can only add users to their own partner.');
    partnerId = actor.partnerId;
  }
  // An admin belongs to no partner: a partnerId sent with the role is refused rather than dropped
  // (as `unblock admin create-user` refuses --partner with --role admin).
  if (input.role === 'admin' && partnerId !== null) {
    throw new AppError('VALIDATION_FAILED', 'An admin belongs to no partner and sees all of them: leave partnerId out (or null), or choose another role.', [{ where: 'body', path: '/partnerId', message: 'must be left out for the admin role' }]);
  }
  if (input.role !== 'admin' && partnerId === null) {
    throw new AppError('VALIDATION_FAILED', 'Name the partner of the new user (partnerId): every role but admin belongs to one partner.', [{ where: 'body', path: '/partnerId', message: 'is required for the roles manager, editor and viewer' }]);
  }
  if (partnerId !== null) {
    const partner = await ctx.db.kysely.selectFrom('partners').select('id').where('id', '=', partnerId).executeTakeFirst();
    if (!partner) throw new AppError('NOT_FOUND', `No partner with id ${partnerId}.`);
  }
  if (input.password !== undefined) checkPassword(input.password, '/password');
  const passwordHash = input.password ? await hashPassword(input.password) : null;
  try {
    const row = await ctx.db.kysely
      .insertInto('users')
      .values({
        email: input.email.trim().toLowerCase(), name: input.name.trim(), role: input.role, partner_id: partnerId, password_hash: passwordHash, disabled: 0, created_at: ctx.clock.now().toISOString(),
        must_change_password: passwordHash !== null && chosenForSomeoneElse(actor, input.mustChangePassword) ? 1 : 0,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return toUserView(row);
  } catch (error) {
    if (isUniqueViolation(error)) throw new AppError('CONFLICT', 'That email cannot be used: emails are sign-in names, unique across the whole installation. Choose another address.');
    throw error;
  }
}

/**
 * Users the actor can see (managers and up: their partner's; admins: all), by email in code point
 * order on both engines (PostgreSQL's database collation, en-US say, put `a_b@` before `a-b@` and `a+b@`
 * after both, where SQLite lists `a+b@`, `a-b@`, `a_b@`).
 */
export async function listUsers(ctx: TrackerContext, actor: Actor): Promise<UserView[]> {
  const scope = scopeOf(actor);
  let query = ctx.db.kysely.selectFrom('users').selectAll().orderBy(engineOf(ctx.db.kysely) === 'postgres' ? sql`email collate "C"` : sql`email`);
  if (scope.kind === 'partner') query = query.where('partner_id', '=', scope.partnerId);
  return (await query.execute()).map(toUserView);
}

/** Finds a user by email within the actor's scope. */
export async function findUserByEmail(ctx: TrackerContext, actor: Actor, email: string): Promise<UserView | undefined> {
  const scope = scopeOf(actor);
  let query = ctx.db.kysely.selectFrom('users').selectAll().where('email', '=', email.trim().toLowerCase());
  if (scope.kind === 'partner') query = query.where('partner_id', '=', scope.partnerId);
  const row = await query.executeTakeFirst();
  return row ? toUserView(row) : undefined;
}

export interface UserChanges {
  name?: string | undefined;
  /** Between editor, viewer and manager; admin rights are granted only by creating an admin. */
  role?: Role | undefined;
  /** True disables the account: its sessions end, its tokens and logins answer 401 ACCOUNT_DISABLED. */
  disabled?: boolean | undefined;
}

/**
 * Changes a user's name, role or disabled flag. Admins change anyone; managers change users of their
 * own partner (others answer NOT_FOUND) and cannot grant admin. Nobody disables or re-roles themselves
 * (FORBIDDEN), so an account cannot lock itself out. Disabling ends the user's sessions at once; API
 * tokens stay revocable but are refused while the account is disabled.
 */
export async function updateUser(ctx: TrackerContext, actor: Actor, id: number, changes: UserChanges): Promise<UserView> {
  requireRole(actor, 'manager');
  const scope = scopeOf(actor);
  let read = ctx.db.kysely.selectFrom('users').selectAll().where('id', '=', id);
  if (scope.kind === 'partner') read = read.where('partner_id', '=', scope.partnerId);
  const row = await read.executeTakeFirst();
  if (!row) throw new AppError('NOT_FOUND', `No user with id ${id}.`);
  const roleChanges = changes.role !== undefined && changes.role !== row.role;
  const disabledChanges = changes.disabled !== undefined && (changes.disabled ? 1 : 0) !== row.disabled;
  if (id === actor.userId && (roleChanges || disabledChanges)) throw new AppError('FORBIDDEN', 'You cannot change your own role or disable your own account; ask another manager or an admin.');
  if (roleChanges && (changes.role === 'admin' || row.role === 'admin')) {
    throw new AppError('FORBIDDEN', 'The admin role is neither granted nor taken away by an edit; create a new user with the role instead.');
  }
  const set: { name?: string; role?: Role; disabled?: number } = {};
  if (changes.name !== undefined) set.name = changes.name.trim();
  if (roleChanges) set.role = changes.role!;
  if (disabledChanges) set.disabled = changes.disabled ? 1 : 0;
  if (set.name === '') throw new AppError('VALIDATION_FAILED', 'The name cannot be empty.', [{ where: 'body', path: '/name', message: 'must not be empty' }]);
  if (Object.keys(set).length > 0) {
    await ctx.db.kysely.transaction().execute(async (trx) => {
      await trx.updateTable('users').set(set).where('id', '=', id).execute();
      if (set.disabled === 1) await trx.deleteFrom('sessions').where('user_id', '=', id).execute();
    });
  }
  return toUserView((await ctx.db.kysely.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirstOrThrow()));
}

/** A random password for a user created without one: 16 URL-safe characters, shown once. */
export function generatePassword(): string {
  return randomBytes(12).toString('base64url');
}

/**
 * Sets another user's password (admins: anyone; managers: users of their own partner, others answer
 * NOT_FOUND). Ends that user's sessions, so whoever held the old password is signed out; API tokens
 * stay (revoke them separately). The user must change a password a manager or admin set at their next
 * sign-in; one the system actor sets (the CLI) need not be changed unless `options.mustChangePassword`.
 * Your own password is changed with {@link changeOwnPassword}, which asks for the current one (FORBIDDEN here).
 */
export async function setUserPassword(ctx: TrackerContext, actor: Actor, id: number, password: string, options: { mustChangePassword?: boolean | undefined } = {}): Promise<UserView> {
  requireRole(actor, 'manager');
  if (id === actor.userId) throw new AppError('FORBIDDEN', 'Change your own password with PUT /api/me/password, which asks for the current one.');
  const scope = scopeOf(actor);
  let read = ctx.db.kysely.selectFrom('users').selectAll().where('id', '=', id);
  if (scope.kind === 'partner') read = read.where('partner_id', '=', scope.partnerId);
  const row = await read.executeTakeFirst();
  if (!row) throw new AppError('NOT_FOUND', `No user with id ${id}.`);
  checkPassword(password, '/password');
  const hash = await hashPassword(password);
  const mustChange = chosenForSomeoneElse(actor, options.mustChangePassword) ? 1 : 0;
  await ctx.db.kysely.transaction().execute(async (trx) => {
    await trx.updateTable('users').set({ password_hash: hash, must_change_password: mustChange }).where('id', '=', id).execute();
    await trx.deleteFrom('sessions').where('user_id', '=', id).execute();
  });
  return toUserView({ ...row, must_change_password: mustChange });
}

/**
 * Changes the actor's own password after checking the current one (FORBIDDEN when it is wrong, so a client does not take it for a lost session;
 * an account that never had a password cannot use this: a manager or admin sets the first one).
 * The new password must differ from the current one (VALIDATION_FAILED), so a password a manager or
 * admin chose is really replaced; it is then the user's own: a required change is done. Ends the actor's other sessions;
 * `keepSessionSecret` (the session making the change) stays.
 */
export async function changeOwnPassword(ctx: TrackerContext, actor: Actor, input: { currentPassword: string; newPassword: string }, keepSessionSecret?: string): Promise<void> {
  if (actor.userId === null) throw new AppError('FORBIDDEN', 'The system actor has no password.');
  const row = await ctx.db.kysely.selectFrom('users').select(['id', 'password_hash']).where('id', '=', actor.userId).executeTakeFirst();
  if (!row) throw new AppError('NOT_FOUND', `No user with id ${actor.userId}.`);
  if (!(await verifyPassword(input.currentPassword, row.password_hash))) throw new AppError('FORBIDDEN', 'The current password is wrong.');
  checkPassword(input.newPassword, '/newPassword');
  // Sending the current password again would keep one a manager or admin chose (and knows) as the user's own.
  if (input.newPassword === input.currentPassword) {
    throw new AppError('VALIDATION_FAILED', 'The new password is the current one: choose another.', [{ where: 'body', path: '/newPassword', message: 'must differ from the current password' }]);
  }
  const hash = await hashPassword(input.newPassword);
  await ctx.db.kysely.transaction().execute(async (trx) => {
    await trx.updateTable('users').set({ password_hash: hash, must_change_password: 0 }).where('id', '=', row.id).execute();
    let ends = trx.deleteFrom('sessions').where('user_id', '=', row.id);
    if (keepSessionSecret) ends = ends.where('id', '!=', hashSecret(keepSessionSecret));
    await ends.execute();
  });
}

/**
 * Throws VALIDATION_FAILED unless `password` has 8 to 1000 characters and not only whitespace; its
 * `details` name the body field it came in (`path`: `/password` or `/newPassword`).
 */
function checkPassword(password: string, path: '/password' | '/newPassword'): void {
  if (password.length < 8 || password.length > 1000 || password.trim() === '') {
    throw new AppError('VALIDATION_FAILED', 'A password must be 8 to 1000 characters long and not only spaces.', [{ where: 'body', path, message: 'must be 8 to 1000 characters long and not only spaces' }]);
  }
}

const DISABLED_MESSAGE = 'This account is disabled; ask a manager of your partner or an admin to enable it.';

function toActor(row: { id: number; name: string; role: Role; partner_id: number | null; must_change_password: number }): Actor {
  return { userId: row.id, name: row.name, role: row.role, partnerId: row.partner_id, ...(row.must_change_password === 1 ? { mustChangePassword: true as const } : {}) };
}

/**
 * The actor for an email and password, or undefined when they do not match. A disabled user with the
 * right password gets ACCOUNT_DISABLED (the wrong password never tells whether an account exists).
 */
export async function authenticatePassword(ctx: TrackerContext, email: string, password: string): Promise<Actor | undefined> {
  const row = await ctx.db.kysely.selectFrom('users').selectAll().where('email', '=', email.trim().toLowerCase()).executeTakeFirst();
  if (!row) {
    await verifyPassword(password, 'scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=');
    return undefined;
  }
  if (!(await verifyPassword(password, row.password_hash))) return undefined;
  if (row.disabled === 1) throw new AppError('ACCOUNT_DISABLED', DISABLED_MESSAGE);
  return toActor(row);
}

/** The email of the actor's own account (GET /api/me); null for the system actor. */
export async function findOwnEmail(ctx: TrackerContext, actor: Actor): Promise<string | null> {
  if (actor.userId === null) return null;
  const row = await ctx.db.kysely.selectFrom('users').select('email').where('id', '=', actor.userId).executeTakeFirst();
  return row?.email ?? null;
}

/** The actor behind a user id (for the CLI); undefined when missing or disabled. */
export async function findActorByUserId(ctx: TrackerContext, userId: number): Promise<Actor | undefined> {
  const row = await ctx.db.kysely.selectFrom('users').selectAll().where('id', '=', userId).where('disabled', '=', 0).executeTakeFirst();
  return row ? toActor(row) : undefined;
}

function toTokenView(row: { id: number; user_id: number; name: string; prefix: string; created_at: string; expires_at: string | null; revoked_at: string | null; last_used_at: string | null; parent_token_id: number | null }): TokenView {
  return {
    id: row.id, userId: row.user_id, name: row.name, prefix: row.prefix, createdAt: row.created_at, expiresAt: row.expires_at, revokedAt: row.revoked_at,
    lastUsedAt: row.last_used_at, parentTokenId: row.parent_token_id,
  };
}

/**
 * When the token to issue expires. A token issued with another token (`parent`) is bound to it: it
 * expires no later, so a leaked token cannot mint itself a longer life. Without `expiresInDays` it
 * takes the default, cut to the parent's expiry; an explicit life of at most the parent's remaining days,
 * rounded up, expires with the parent; a longer one (or none) is refused with the most days allowed.
 * Throws VALIDATION_FAILED.
 */
function tokenExpiry(now: Date, expiresInDays: number | null | undefined, parent: Actor['token']): string | null {
  const days = expiresInDays === undefined ? DEFAULT_TOKEN_DAYS : expiresInDays;
  const wanted = days === null ? null : new Date(now.getTime() + days * DAY_MS).toISOString();
  if (!parent || parent.expiresAt === null || (wanted !== null && wanted <= parent.expiresAt)) return wanted;
  if (expiresInDays === undefined) return parent.expiresAt;
  // Days are counted whole, as they are asked: the parent's own 30 days asked a moment after it was
  // issued (so a few milliseconds too long) is the parent's life, not a longer one, and gets its expiry.
  const maxDays = Math.ceil((Date.parse(parent.expiresAt) - now.getTime()) / DAY_MS);
  if (days !== null && days <= maxDays) return parent.expiresAt;
  throw new AppError(
    'VALIDATION_FAILED',
    `A token issued with an API token cannot outlive it, and the token you sent expires at ${parent.expiresAt}. ` +
      (maxDays >= 1 ? `Ask for at most ${maxDays} day(s), leave expiresInDays out (the new token then expires with it), ` : 'Leave expiresInDays out (the new token then expires with it) ') +
      'or sign in and issue the token from your login session.',
    // The list every VALIDATION_FAILED has; its one entry also says how long the token may live.
    [{
      where: 'body',
      path: '/expiresInDays',
      message: maxDays >= 1 ? `must be at most ${maxDays}, the days left to the token it is issued with, or left out` : 'must be left out: the token it is issued with expires within the day',
      maxDays: Math.max(0, maxDays),
      parentExpiresAt: parent.expiresAt,
    }],
  );
}

/** How token names are compared: surrounding spaces and case ignored (every letter, on both engines: the comparison runs here, not in SQL). */
export function tokenNameKey(name: string): string {
  return name.trim().toLowerCase();
}

export interface NewTokenInput {
  name: string;
  expiresInDays?: number | null | undefined;
  userId?: number | undefined;
  /**
   * What to do when the user already has an active token of that name: `refuse` (the default) throws
   * TOKEN_NAME_TAKEN (409); `number` issues it as "name (2)", "name (3)", ... (the first free one),
   * for callers that name tokens themselves (the CLI's default name).
   */
  whenNameTaken?: 'refuse' | 'number';
}

/**
 * Issues an API token for the actor (or, for admins, for `userId`). Returns the secret once; only its
 * hash is stored. `expiresInDays` null means no expiry. A user's active tokens (neither revoked nor
 * expired) have different names, compared by {@link tokenNameKey}, so a list of them can be told
 * apart and the right one revoked: a taken name throws TOKEN_NAME_TAKEN (409) with `details`
 * `{field: "name", reason: "TOKEN_NAME_TAKEN", tokenId}` (see `whenNameTaken`). A revoked or expired token's name is
 * free again. The check and the insert run in one transaction that holds the user's row (PostgreSQL)
 * or the write lock (SQLite), so two requests at once cannot both take a name.
 */
export async function createToken(ctx: TrackerContext, actor: Actor, input: NewTokenInput): Promise<{ token: string; info: TokenView }> {
  let userId = actor.userId;
  if (input.userId !== undefined && input.userId !== actor.userId) {
    requireRole(actor, 'admin');
    userId = input.userId;
  }
  if (userId === null) throw new AppError('VALIDATION_FAILED', 'Name the user the token is for (userId).', [{ where: 'body', path: '/userId', message: 'is required when no user is signed in' }]);
  const forUserId = userId;
  const now = ctx.clock.now();
  const name = input.name.trim();
  if (name === '') throw new AppError('VALIDATION_FAILED', 'A token needs a name.', [{ where: 'body', path: '/name', message: 'must not be empty' }]);
  const secret = generateSecret(TOKEN_PREFIX);
  const row = await ctx.db.kysely.transaction().execute(async (trx) => {
    let userQuery = trx.selectFrom('users').select(['id', 'disabled', 'email']).where('id', '=', forUserId);
    if (engineOf(trx) === 'postgres') userQuery = userQuery.forUpdate();
    const user = await userQuery.executeTakeFirst();
    if (!user) throw new AppError('NOT_FOUND', `No user with id ${forUserId}.`);
    // A disabled user's tokens are refused (401 ACCOUNT_DISABLED): issuing one would only mislead.
    if (user.disabled === 1) throw new AppError('CONFLICT', `User ${forUserId} (${user.email}) is disabled, so a token for them would be refused. Enable the account first (PATCH /api/users/${forUserId} with {"disabled": false}).`);
    const expiresAt = tokenExpiry(now, input.expiresInDays, actor.token);
    const active = await trx
      .selectFrom('api_tokens')
      .select(['id', 'name'])
      .where('user_id', '=', forUserId)
      .where('revoked_at', 'is', null)
      .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', now.toISOString())]))
      .execute();
    const taken = new Map(active.map((t) => [tokenNameKey(t.name), t]));
    let issuedName = name;
    const clash = taken.get(tokenNameKey(name));
    if (clash) {
      if (input.whenNameTaken !== 'number') {
        // Named by email as well as id: the id alone means nothing to whoever reads the refusal.
        const whose = forUserId === actor.userId ? 'You already have' : `User ${forUserId} (${user.email}) already has`;
        throw new AppError(
          'TOKEN_NAME_TAKEN',
          `${whose} an active API token named "${clash.name}" (token ${clash.id}; names are compared ignoring case). Choose another name, or revoke that token first.`,
          { field: 'name', reason: 'TOKEN_NAME_TAKEN', tokenId: clash.id },
        );
      }
      for (let n = 2; taken.has(tokenNameKey(issuedName)); n++) issuedName = `${name} (${n})`;
    }
    return trx
      .insertInto('api_tokens')
      .values({
        user_id: forUserId,
        name: issuedName,
        token_hash: hashSecret(secret),
        prefix: secret.slice(0, TOKEN_PREFIX.length + 6),
        created_at: now.toISOString(),
        expires_at: expiresAt,
        revoked_at: null,
        last_used_at: null,
        parent_token_id: actor.token?.id ?? null,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
  });
  return { token: secret, info: toTokenView(row) };
}

/** The actor's own tokens (admins: everyone's), newest first. */
export async function listTokens(ctx: TrackerContext, actor: Actor): Promise<TokenView[]> {
  let query = ctx.db.kysely.selectFrom('api_tokens').selectAll().orderBy('id', 'desc');
  if (actor.role !== 'admin') query = query.where('user_id', '=', actor.userId ?? -1);
  return (await query.execute()).map(toTokenView);
}

/** Most generations {@link revokeToken} follows up a token's line (tokens can only be issued so deep in practice). */
const MAX_TOKEN_GENERATIONS = 1_000;

/**
 * Revokes one of the actor's tokens (admins: any), and with it every token issued with it, and with
 * those, and so on. Throws NOT_FOUND for a token they cannot see. A request made with a bound token
 * (one issued with another token) may revoke only that token and the tokens issued with it, as it
 * may only issue tokens that live no longer than itself: FORBIDDEN otherwise, so a short-lived token
 * cannot cut off the long-lived ones it came from or sits beside.
 */
export async function revokeToken(ctx: TrackerContext, actor: Actor, tokenId: number): Promise<TokenView> {
  const revokedAt = ctx.clock.now().toISOString();
  const bound = actor.token && actor.token.parentId !== null ? actor.token : null;
  if (bound && tokenId !== bound.id) {
    let visible = ctx.db.kysely.selectFrom('api_tokens').select('id').where('id', '=', tokenId);
    if (actor.role !== 'admin') visible = visible.where('user_id', '=', actor.userId ?? -1);
    if (!(await visible.executeTakeFirst())) throw new AppError('NOT_FOUND', `No token with id ${tokenId}.`);
    let parent: number | null = tokenId;
    for (let depth = 0; parent !== null && parent !== bound.id && depth < MAX_TOKEN_GENERATIONS; depth++) {
      parent = (await ctx.db.kysely.selectFrom('api_tokens').select('parent_token_id').where('id', '=', parent).executeTakeFirst())?.parent_token_id ?? null;
    }
    if (parent !== bound.id) {
      throw new AppError('FORBIDDEN', 'This request came with a token that was issued with another token: it can revoke only itself and the tokens issued with it. Sign in, or use a token issued from a login session, to revoke other tokens.');
    }
  }
  await ctx.db.kysely.transaction().execute(async (trx) => {
    let query = trx.updateTable('api_tokens').set({ revoked_at: revokedAt }).where('id', '=', tokenId).where('revoked_at', 'is', null);
    if (actor.role !== 'admin') query = query.where('user_id', '=', actor.userId ?? -1);
    const revoked = (await query.executeTakeFirst()).numUpdatedRows > 0n;
    // The tokens issued with it, generation by generation (already revoked ones were cut off with theirs).
    for (let parents = revoked ? [tokenId] : []; parents.length > 0; ) {
      const children = await trx.selectFrom('api_tokens').select('id').where('parent_token_id', 'in', parents).where('revoked_at', 'is', null).execute();
      parents = children.map((c) => c.id);
      if (parents.length > 0) await trx.updateTable('api_tokens').set({ revoked_at: revokedAt }).where('id', 'in', parents).execute();
    }
  });
  let read = ctx.db.kysely.selectFrom('api_tokens').selectAll().where('id', '=', tokenId);
  if (actor.role !== 'admin') read = read.where('user_id', '=', actor.userId ?? -1);
  const row = await read.executeTakeFirst();
  if (!row) throw new AppError('NOT_FOUND', `No token with id ${tokenId}.`);
  return toTokenView(row);
}

/** The actor for a bearer secret; undefined when unknown, revoked or expired; ACCOUNT_DISABLED when its user is disabled. */
export async function resolveToken(ctx: TrackerContext, secret: string): Promise<Actor | undefined> {
  if (!secret.startsWith(TOKEN_PREFIX)) return undefined;
  const row = await ctx.db.kysely
    .selectFrom('api_tokens as t')
    .innerJoin('users as u', 'u.id', 't.user_id')
    .select(['t.id as tokenId', 't.expires_at', 't.revoked_at', 't.last_used_at', 't.parent_token_id', 'u.id', 'u.name', 'u.role', 'u.partner_id', 'u.disabled', 'u.must_change_password'])
    .where('t.token_hash', '=', hashSecret(secret))
    .executeTakeFirst();
  const now = ctx.clock.now();
  if (!row || row.revoked_at !== null) return undefined;
  if (row.expires_at !== null && row.expires_at <= now.toISOString()) return undefined;
  if (row.disabled === 1) throw new AppError('ACCOUNT_DISABLED', DISABLED_MESSAGE);
  if (row.last_used_at === null || now.getTime() - Date.parse(row.last_used_at) > 60_000) {
    await ctx.db.kysely.updateTable('api_tokens').set({ last_used_at: now.toISOString() }).where('id', '=', row.tokenId).execute();
  }
  return { ...toActor(row), token: { id: row.tokenId, expiresAt: row.expires_at, parentId: row.parent_token_id } };
}

/** Starts a login session; returns the cookie secret (only its hash is stored). */
export async function createSession(ctx: TrackerContext, userId: number, ttlHours = 12): Promise<{ secret: string; expiresAt: Date }> {
  const now = ctx.clock.now();
  const secret = generateSecret(SESSION_PREFIX);
  const expiresAt = new Date(now.getTime() + ttlHours * 3_600_000);
  await ctx.db.kysely.insertInto('sessions').values({ id: hashSecret(secret), user_id: userId, created_at: now.toISOString(), expires_at: expiresAt.toISOString() }).execute();
  return { secret, expiresAt };
}

/** The actor for a session secret; undefined when unknown or expired; ACCOUNT_DISABLED when its user is disabled. */
export async function resolveSession(ctx: TrackerContext, secret: string): Promise<Actor | undefined> {
  const row = await ctx.db.kysely
    .selectFrom('sessions as s')
    .innerJoin('users as u', 'u.id', 's.user_id')
    .select(['s.expires_at', 'u.id', 'u.name', 'u.role', 'u.partner_id', 'u.disabled', 'u.must_change_password'])
    .where('s.id', '=', hashSecret(secret))
    .executeTakeFirst();
  if (!row || row.expires_at <= ctx.clock.now().toISOString()) return undefined;
  if (row.disabled === 1) throw new AppError('ACCOUNT_DISABLED', DISABLED_MESSAGE);
  return toActor(row);
}

/** Ends a session; unknown secrets are ignored. */
export async function deleteSession(ctx: TrackerContext, secret: string): Promise<void> {
  await ctx.db.kysely.deleteFrom('sessions').where('id', '=', hashSecret(secret)).execute();
}
