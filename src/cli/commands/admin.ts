/**
 * `unblock admin ...`: partners, users, tokens and passwords on the database the server uses. Each
 * sub-command loads the tracker and the database only when it runs: `--help` needs neither.
 */
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { defineCommand } from 'citty';
import type { Services } from '../../app/index.js';
import { AppError, isAppError } from '../../lib/index.js';
import { checkExtraWords, checkFlags, flagNames } from '../flags.js';
import { jsonDocument } from '../json-output.js';

/** The tracker's account functions, loaded by the sub-commands when they run. */
const tracker = () => import('../../tracker/index.js');

const databaseArg = { database: { type: 'string', valueHint: 'url|file', description: 'postgres:// URL (env DATABASE_URL) or a SQLite file (env SQLITE_FILE); default SQLite unblock.db under DATA_DIR (default ./data)' } } as const;

/**
 * Runs `work` on the database of `--database` (or DATABASE_URL, or SQLite under DATA_DIR). A NOT_FOUND
 * names that database: a user or partner missing there is most often one made on another database.
 * A SQLite file that is not there yet is created (setting up before the first `serve` is normal), and
 * a line on stderr names it, so that one made in the wrong folder is noticed. `needsExisting`: the
 * command is refused instead (exit 2); a string says what the command does with an existing database
 * (default: it works on the users of one).
 */
async function withServices<T>(database: unknown, command: string, work: (services: Services) => Promise<T>, needsExisting: boolean | string = false): Promise<T> {
  const [{ createServices }, { checkCreatesDatabase, cliConfig, describeDatabase, noDatabaseMessage }] = await Promise.all([import('../../app/services.js'), import('../database.js')]);
  const config = cliConfig(database);
  const creating = await checkCreatesDatabase(config, command);
  // A command about users that are already there cannot find them in a database it would create now:
  // it says where it looked (exit 2, as `report` does) instead of leaving an empty database behind.
  if (creating && needsExisting !== false) {
    const doesWhat = typeof needsExisting === 'string' ? needsExisting : 'works on the users of an existing one';
    throw new AppError('BAD_ARGUMENTS', noDatabaseMessage(config, `\`unblock ${command}\` ${doesWhat} and creates none`));
  }
  // Partners, users and tokens need no classifier: not loading it (nor training one for a playbook
  // without a cached model) saves a quarter of each command's time.
  const services = await createServices(config, { classifier: false });
  if (creating) {
    process.stderr.write(config.databaseUrl === null
      ? `unblock: created a new database at ${config.sqlitePath} (there was none; DATA_DIR, DATABASE_URL or --database choose another).\n`
      : `unblock: set up Unblock's tables in ${describeDatabase(config)} (it had none; DATABASE_URL or --database choose another database).\n`);
  }
  try {
    return await work(services);
  } catch (error) {
    if (error instanceof AppError && error.code === 'NOT_FOUND') {
      throw new AppError('NOT_FOUND', `${error.message} (Looked in ${describeDatabase(config)}; DATA_DIR, DATABASE_URL or --database choose another database.)`, error.details);
    }
    throw error;
  } finally {
    await services.close();
  }
}

/**
 * `--must-change-password`: a password chosen here for someone else is one they must change at their
 * first sign-in, as when a manager or admin chooses it in the app. Without it the password is taken as
 * the user's own (an installer's first admin, a way back in for a forgotten password).
 */
const mustChangeArg = {
  'must-change-password': { type: 'boolean', description: 'The user must choose their own password at their first sign-in (as when a manager or admin sets it in the app)' },
} as const;

/** The sentence that says the user must choose their own password, when they must (the password itself ends the line, to copy). */
function mustChangeNote(mustChangePassword: boolean): string {
  return mustChangePassword ? ' They must choose their own password at their first sign-in.' : '';
}

function required(value: unknown, flag: string): string {
  if (value === undefined) throw new AppError('BAD_ARGUMENTS', `Missing --${flag}.`);
  // Given without its value (`--name` at the end of the line, `--name=`), as the other commands word it.
  if (typeof value !== 'string' || value.trim() === '') throw new AppError('BAD_ARGUMENTS', `--${flag} needs a value.`);
  return value.trim();
}

const ROLES = ['admin', 'manager', 'editor', 'viewer'] as const;

/**
 * The password given with --password, checked as the API checks one (8 to 1000 characters, and not
 * only spaces), or a generated one (the API's generator) when none is given.
 */
function passwordArg(value: unknown, generatePassword: () => string): { password: string; generated: boolean } {
  if (value === undefined) return { password: generatePassword(), generated: true };
  if (typeof value !== 'string') throw new AppError('BAD_ARGUMENTS', '--password needs a value.');
  if (value.trim() === '') throw new AppError('BAD_ARGUMENTS', '--password cannot be blank.');
  if (value.length < 8 || value.length > 1000) throw new AppError('BAD_ARGUMENTS', '--password must be 8 to 1000 characters long.');
  return { password: value, generated: false };
}

/** The same rule as `POST /api/users` (a valid address, at most 320 characters). */
async function emailCheck(): Promise<(email: string) => boolean> {
  const { z } = await import('zod');
  const schema = z.email().max(320);
  return (email) => schema.safeParse(email).success;
}

/**
 * The partner named `name` (case-insensitive, surrounding spaces ignored). When there is none it is
 * created if `create` is set; otherwise NOT_FOUND names the partners there are, so a typo never
 * makes a new partner.
 */
async function resolvePartner(s: Services, name: string, create: boolean): Promise<{ id: number; name: string; created: boolean }> {
  const { SYSTEM_ACTOR, createPartner, listPartners } = await tracker();
  const partners = await listPartners(s.tracker, SYSTEM_ACTOR);
  const wanted = name.trim().toLowerCase();
  const found = partners.find((p) => p.name.trim().toLowerCase() === wanted);
  if (found) return { id: found.id, name: found.name, created: false };
  if (create) {
    const partner = await createPartner(s.tracker, SYSTEM_ACTOR, { name });
    return { id: partner.id, name: partner.name, created: true };
  }
  const known = partners.length === 0 ? 'there are no partners yet' : `partners: ${partners.map((p) => `"${p.name}"`).join(', ')}`;
  throw new AppError('NOT_FOUND', `No partner named "${name}" (${known}). Create it with \`unblock admin create-partner --name "${name}"\`, or add --create-partner.`);
}

const createPartnerCommand = defineCommand({
  meta: { name: 'create-partner', description: 'Create a partner organisation.' },
  args: { name: { type: 'string', description: 'Partner name', required: true }, ...databaseArg },
  async run({ args, rawArgs, cmd }) {
    checkFlags(rawArgs, flagNames(cmd.args), 'admin create-partner');
    checkExtraWords(rawArgs, cmd.args, 'admin create-partner');
    const name = required(args.name, 'name');
    const { SYSTEM_ACTOR, createPartner, listPartners } = await tracker();
    const partner = await withServices(args.database, 'admin create-partner', async (s) => {
      const same = (await listPartners(s.tracker, SYSTEM_ACTOR)).find((p) => p.name.trim().toLowerCase() === name.toLowerCase());
      if (same) throw new AppError('CONFLICT', `A partner named "${same.name}" already exists (id ${same.id}).`);
      return createPartner(s.tracker, SYSTEM_ACTOR, { name });
    });
    process.stdout.write(`Partner ${partner.id} "${partner.name}" created.\n`);
  },
});

type Role = (typeof ROLES)[number];

/** The message of one argument problem, or undefined when `check` passes. */
function problemOf(check: () => void): string | undefined {
  try {
    check();
    return undefined;
  } catch (error) {
    if (error instanceof AppError && error.code === 'BAD_ARGUMENTS') return error.message;
    throw error;
  }
}

/**
 * The arguments of `admin create-user`, checked before the database is opened. Every problem is
 * reported at once (one line each), so that a user fixing the email does not learn of the role next.
 * An admin sees every partner and belongs to none: a --partner with --role admin is refused rather
 * than dropped; every other role needs one.
 */
export function createUserArgs(
  args: { email?: unknown; role?: unknown; partner?: unknown; password?: unknown; 'create-partner'?: unknown },
  isEmail: (email: string) => boolean,
  generatePassword: () => string,
): { email: string; role: Role; partner: string | undefined; password: string; generated: boolean } {
  const problems: string[] = [];
  let email = '';
  let password = { password: '', generated: false };
  const emailProblem = problemOf(() => {
    email = required(args.email, 'email');
    if (!isEmail(email)) throw new AppError('BAD_ARGUMENTS', `--email must be an email address, not "${email}".`);
  });
  if (emailProblem) problems.push(emailProblem);
  const role = String(args.role ?? 'editor') as Role;
  const roleKnown = ROLES.includes(role);
  if (!roleKnown) problems.push(`--role must be one of ${ROLES.join(', ')}, not "${String(args.role)}".`);
  const partnerGiven = typeof args.partner === 'string' && args.partner.trim() !== '';
  if (role === 'admin' && partnerGiven) {
    problems.push(`--partner "${String(args.partner).trim()}" does not go with --role admin: an admin belongs to no partner and sees all of them. Leave out --partner${args['create-partner'] === true ? ' and --create-partner' : ''}, or choose another role.`);
  } else if (roleKnown && role !== 'admin' && !partnerGiven) {
    problems.push(`Missing --partner: a user with --role ${role} belongs to one partner (only an admin belongs to none).`);
  }
  const passwordProblem = problemOf(() => (password = passwordArg(args.password, generatePassword)));
  if (passwordProblem) problems.push(passwordProblem);
  if (problems.length === 1) throw new AppError('BAD_ARGUMENTS', problems[0]!);
  if (problems.length > 1) throw new AppError('BAD_ARGUMENTS', `${problems.length} problems with the arguments:\n  - ${problems.join('\n  - ')}`);
  return { email, role, partner: partnerGiven ? String(args.partner).trim() : undefined, ...password };
}

const createUserCommand = defineCommand({
  meta: { name: 'create-user', description: 'Create a user; prints a generated password when none is given.' },
  args: {
    email: { type: 'string', required: true, description: 'Email (the login)' },
    name: { type: 'string', description: 'Display name (default the part before @)' },
    role: { type: 'string', default: 'editor', description: 'admin | manager | editor | viewer' },
    partner: { type: 'string', description: 'Name of an existing partner, any case (required except for admins)' },
    'create-partner': { type: 'boolean', description: 'Create the --partner when no partner has that name' },
    password: { type: 'string', description: 'Password (at least 8 characters)' },
    ...mustChangeArg,
    ...databaseArg,
  },
  async run({ args, rawArgs, cmd }) {
    checkFlags(rawArgs, flagNames(cmd.args), 'admin create-user');
    checkExtraWords(rawArgs, cmd.args, 'admin create-user');
    const [{ SYSTEM_ACTOR, createUser, findUserByEmail, generatePassword }, isEmail] = await Promise.all([tracker(), emailCheck()]);
    const { email, role, partner, password, generated } = createUserArgs(args, isEmail, generatePassword);
    // The operator has the whole database: an email in use is said plainly (the API keeps it vague).
    const taken = (user: { id: number; email: string }) =>
      new AppError('CONFLICT', `A user with the email ${user.email} already exists (user ${user.id}); emails are sign-in names, one per user. To give that user a new password: unblock admin set-password --email ${user.email}`);
    const { user, partnerMade } = await withServices(args.database, 'admin create-user', async (s) => {
      // Checked before --create-partner makes a partner that no user would then belong to.
      const existing = await findUserByEmail(s.tracker, SYSTEM_ACTOR, email);
      if (existing) throw taken(existing);
      const found = partner === undefined ? undefined : await resolvePartner(s, partner, args['create-partner'] === true);
      try {
        const made = await createUser(s.tracker, SYSTEM_ACTOR, {
          email, name: args.name ? String(args.name) : email.split('@')[0]!, role, partnerId: found?.id ?? null, password, mustChangePassword: args['must-change-password'] === true,
        });
        return { user: made, partnerMade: found?.created ? found : undefined };
      } catch (error) {
        // Another process took the email in the meantime.
        const other = error instanceof AppError && error.code === 'CONFLICT' ? await findUserByEmail(s.tracker, SYSTEM_ACTOR, email) : undefined;
        throw other ? taken(other) : error;
      }
    });
    if (partnerMade) process.stdout.write(`Partner ${partnerMade.id} "${partnerMade.name}" created.\n`);
    process.stdout.write(`User ${user.id} ${user.email} (${user.role}${partnerMade ? `, partner ${partnerMade.id}` : ''}) created.${mustChangeNote(user.mustChangePassword)}${generated ? ` Password: ${password}` : ''}\n`);
  },
});

const createTokenCommand = defineCommand({
  meta: { name: 'create-token', description: 'Issue an API token for a user; the secret is printed once.' },
  args: {
    email: { type: 'string', required: true, description: "The user's email" },
    name: { type: 'string', description: "A label for the token, unlike the user's other active tokens (default 'cli', numbered 'cli (2)', ... when taken)" },
    days: { type: 'string', default: '90', description: "Days until it expires ('never' for no expiry)" },
    ...databaseArg,
  },
  async run({ args, rawArgs, cmd }) {
    checkFlags(rawArgs, flagNames(cmd.args), 'admin create-token');
    checkExtraWords(rawArgs, cmd.args, 'admin create-token');
    // Without --name the token is called 'cli', numbered when the user already has one; a name given
    // that an active token of the user has is refused (TOKEN_NAME_TAKEN), as the API refuses it.
    const named = args.name !== undefined;
    const name = named ? required(args.name, 'name') : 'cli';
    const days = String(args.days) === 'never' ? null : Number(args.days);
    if (days !== null && (!Number.isInteger(days) || days < 1 || days > 3650)) throw new AppError('BAD_ARGUMENTS', "--days must be a whole number from 1 to 3650, or 'never'.");
    const { SYSTEM_ACTOR, createToken, findUserByEmail } = await tracker();
    const { token, info } = await withServices(args.database, 'admin create-token', async (s) => {
      const user = await findUserByEmail(s.tracker, SYSTEM_ACTOR, required(args.email, 'email'));
      if (!user) throw new AppError('NOT_FOUND', `No user with email ${String(args.email)}.`);
      // The API refuses a disabled user's tokens (401 ACCOUNT_DISABLED): issuing one would only mislead.
      if (user.disabled) throw new AppError('ACCOUNT_DISABLED', `${user.email} is disabled; its tokens would be refused. Enable the account first (PATCH /api/users/${user.id} with {"disabled":false}).`);
      return createToken(s.tracker, SYSTEM_ACTOR, { name, expiresInDays: days, userId: user.id, whenNameTaken: named ? 'refuse' : 'number' });
    }, true);
    process.stdout.write(`${token}\n`);
    process.stderr.write(`Token ${info.id} "${info.name}" for user ${info.userId}, expires ${info.expiresAt ?? 'never'}. Store it now: it cannot be shown again.\n`);
  },
});

const setPasswordCommand = defineCommand({
  meta: { name: 'set-password', description: "Set a user's password (prints a generated one when none is given) and end that user's sessions." },
  args: {
    email: { type: 'string', required: true, description: "The user's email" },
    password: { type: 'string', description: 'The new password (8 to 1000 characters); default a generated one' },
    ...mustChangeArg,
    ...databaseArg,
  },
  async run({ args, rawArgs, cmd }) {
    checkFlags(rawArgs, flagNames(cmd.args), 'admin set-password');
    checkExtraWords(rawArgs, cmd.args, 'admin set-password');
    const email = required(args.email, 'email');
    const { SYSTEM_ACTOR, findUserByEmail, generatePassword, setUserPassword } = await tracker();
    const { password, generated } = passwordArg(args.password, generatePassword);
    const user = await withServices(args.database, 'admin set-password', async (s) => {
      const found = await findUserByEmail(s.tracker, SYSTEM_ACTOR, email);
      if (!found) throw new AppError('NOT_FOUND', `No user with email ${email}.`);
      return setUserPassword(s.tracker, SYSTEM_ACTOR, found.id, password, { mustChangePassword: args['must-change-password'] === true });
    }, true);
    process.stdout.write(`Password of user ${user.id} ${user.email} set; their sessions have ended.${mustChangeNote(user.mustChangePassword)}${user.disabled ? ' The account is disabled: enable it before it can sign in.' : ''}${generated ? ` Password: ${password}` : ''}\n`);
  },
});

/** `rows` as indented lines whose columns line up (each as wide as its widest cell, two spaces apart); no trailing spaces. */
export function columns(rows: readonly (readonly string[])[]): string[] {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return rows.map((row) => `  ${row.map((cell, i) => cell.padEnd(widths[i]!)).join('  ')}`.trimEnd());
}

/** A partner as `admin list --json` gives it. */
export interface ListedPartner {
  id: number;
  name: string;
  createdAt: string;
}

/**
 * A user as `admin list --json` gives it: what the text lists (the partner by id and name, null for an
 * admin, who belongs to none), and never a secret (no password hash, no token).
 */
export interface ListedUser {
  id: number;
  email: string;
  name: string;
  role: string;
  partnerId: number | null;
  partnerName: string | null;
  disabled: boolean;
  mustChangePassword: boolean;
  createdAt: string;
}

/** The document of `admin list --json`: partners A-Z, users by email, each with the fields named above and no other. */
export function listDocument(
  partners: readonly ListedPartner[],
  users: readonly Omit<ListedUser, 'partnerName'>[],
): { partners: ListedPartner[]; users: ListedUser[] } {
  const partnerName = new Map(partners.map((p) => [p.id, p.name]));
  return {
    partners: partners.map((p) => ({ id: p.id, name: p.name, createdAt: p.createdAt })),
    users: users.map((u) => ({
      id: u.id, email: u.email, name: u.name, role: u.role, partnerId: u.partnerId, partnerName: u.partnerId === null ? null : (partnerName.get(u.partnerId) ?? null),
      disabled: u.disabled, mustChangePassword: u.mustChangePassword, createdAt: u.createdAt,
    })),
  };
}

const listCommand = defineCommand({
  meta: { name: 'list', description: 'List partners and users.' },
  args: { json: { type: 'boolean', description: 'Print one JSON document: {partners: [{id, name, createdAt}], users: [{id, email, name, role, partnerId, partnerName, disabled, mustChangePassword, createdAt}]}' }, ...databaseArg },
  async run({ args, rawArgs, cmd }) {
    checkFlags(rawArgs, flagNames(cmd.args), 'admin list');
    checkExtraWords(rawArgs, cmd.args, 'admin list');
    const { SYSTEM_ACTOR, listPartners, listUsers } = await tracker();
    const { partners, users } = await withServices(args.database, 'admin list', async (s) => ({ partners: await listPartners(s.tracker, SYSTEM_ACTOR), users: await listUsers(s.tracker, SYSTEM_ACTOR) }), true);
    if (args.json) {
      process.stdout.write(jsonDocument(listDocument(partners, users)));
      return;
    }
    const partnerName = new Map(partners.map((p) => [p.id, p.name]));
    const lines = [
      `Partners (${partners.length}):`,
      ...columns(partners.map((p) => [`partner ${p.id}`, p.name])),
      `Users (${users.length}):`,
      ...columns(users.map((u) => [`user ${u.id}`, u.email, u.role, u.partnerId === null ? '(all partners)' : (partnerName.get(u.partnerId) ?? ''), [u.disabled ? '(disabled)' : '', u.mustChangePassword ? '(must choose a password)' : ''].filter(Boolean).join(' ')])),
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  },
});

const copyDatabaseCommand = defineCommand({
  meta: { name: 'copy-database', description: 'Copy every row of this database (--database, DATABASE_URL, ...) into a new, empty one (--to): to move from SQLite to PostgreSQL.' },
  args: {
    to: { type: 'string', valueHint: 'url|file', required: true, description: 'The database to fill: a postgres:// URL (the database must exist; it may hold no partners, users or customers) or a SQLite file' },
    ...databaseArg,
  },
  async run({ args, rawArgs, cmd }) {
    checkFlags(rawArgs, flagNames(cmd.args), 'admin copy-database');
    checkExtraWords(rawArgs, cmd.args, 'admin copy-database');
    const to = required(args.to, 'to');
    const [{ asSettingsError, cliConfig, describeDatabase, requireExistingDatabase }, { copyDatabase, COPIED_TABLES }, { redactUrl }] = await Promise.all([import('../database.js'), import('../copy-database.js'), import('../../db/index.js')]);
    const source = cliConfig(args.database);
    let target;
    try {
      target = cliConfig(to);
    } catch (error) {
      throw error instanceof AppError && error.code === 'BAD_ARGUMENTS' ? new AppError('BAD_ARGUMENTS', error.message.replace(/ \(leave it out for unblock\.db under DATA_DIR\)/, '').replace(/--database/g, '--to')) : error;
    }
    const from = { url: source.databaseUrl, sqlitePath: source.sqlitePath, label: describeDatabase(source) };
    const into = { url: target.databaseUrl, sqlitePath: target.sqlitePath, label: describeDatabase(target) };
    if ((from.url ?? from.sqlitePath) === (into.url ?? into.sqlitePath)) throw new AppError('BAD_ARGUMENTS', `--to names the database being copied (${from.label}); give another one.`);
    await requireExistingDatabase(source, 'admin copy-database');
    // A new SQLite file goes into a folder that is there: a mistyped path must not make folders.
    // (A PostgreSQL target has no file: its config's sqlitePath is only the unused default under DATA_DIR.)
    if (into.url === null && !existsSync(dirname(resolve(into.sqlitePath)))) {
      throw new AppError('BAD_ARGUMENTS', `--to: there is no folder ${dirname(resolve(into.sqlitePath))} for ${into.sqlitePath}; create it first, or give a path in a folder that exists.`);
    }
    let copied;
    try {
      copied = await copyDatabase(from, into);
    } catch (error) {
      // A PostgreSQL database, user or password the server refuses: a setting to correct (exit 2), as report and export say.
      // The message names the URL it could not connect to: --to's, or the source's.
      const flag = into.url !== null && isAppError(error) && error.message.startsWith(`Cannot connect to PostgreSQL (${redactUrl(into.url)})`) ? '--to' : undefined;
      throw asSettingsError(error, 'admin copy-database', flag) ?? error;
    }
    process.stdout.write(`Copied ${from.label} into ${into.label}: ${COPIED_TABLES.map((t) => `${copied[t]} ${t.replace(/_/g, ' ')}`).join(', ')}.\n`);
  },
});

const rebuildRollupsCommand = defineCommand({
  meta: { name: 'rebuild-rollups', description: 'Rebuild the history roll-ups (history_daily, time_to_clear) from the status history, in one transaction. On SQLite servers cannot write while it runs (their writes fail after 5 s): run it at a quiet time.' },
  args: { ...databaseArg },
  async run({ args, rawArgs, cmd }) {
    checkFlags(rawArgs, flagNames(cmd.args), 'admin rebuild-rollups');
    checkExtraWords(rawArgs, cmd.args, 'admin rebuild-rollups');
    const [{ formatRebuild, rebuildRollups }, { cliConfig, describeDatabase }] = await Promise.all([import('../rebuild-rollups.js'), import('../database.js')]);
    const done = await withServices(args.database, 'admin rebuild-rollups', (s) => rebuildRollups(s.db), 'rebuilds the roll-ups of an existing one');
    process.stdout.write(`${formatRebuild(done, describeDatabase(cliConfig(args.database)))}\n`);
  },
});

export default defineCommand({
  meta: { name: 'admin', description: 'Create partners, users and API tokens, set passwords, copy a database into a new one, and rebuild the history roll-ups, from the command line.' },
  subCommands: { 'create-partner': createPartnerCommand, 'create-user': createUserCommand, 'create-token': createTokenCommand, 'set-password': setPasswordCommand, list: listCommand, 'copy-database': copyDatabaseCommand, 'rebuild-rollups': rebuildRollupsCommand },
});
