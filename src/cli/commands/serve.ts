/**
 * `unblock serve`: the REST API (and the web app). The server, the database and the classifier are
 * loaded when the command runs, so that `unblock serve --help` and the other commands need none of them.
 */
import { join } from 'node:path';
import { defineCommand } from 'citty';
import type { SeedResult, Services } from '../../app/index.js';
import { CONFIG_VARIABLES } from '../../config/load-config.js';
import { AppError, isAppError } from '../../lib/index.js';
import { checkExtraWords, checkFlags, flagNames } from '../flags.js';
import { asPlaybookArgumentError, noCodeMessage } from '../playbook-dir.js';

/** `value` as one shell word: as it is when it holds only safe characters, else in single quotes. */
function shellWord(value: string): string {
  return /^[\w./@:+,=-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

/** The database a server runs on, as `databaseHint` needs it. */
export interface ServedDatabase {
  /** The `--database` value given to `serve`, if any. */
  flag: string | undefined;
  /** The PostgreSQL URL in use, or null for SQLite. */
  databaseUrl: string | null;
  /** The SQLite file in use (absolute). */
  sqlitePath: string;
  /** The SQLite file the admin commands open with no setting at all (`./data/unblock.db`, absolute). */
  defaultSqlitePath: string;
}

/**
 * What the `admin` commands of the start-up hint need to act on the database this server uses: the
 * `--database` option to add to each (empty when they find it unaided), and a note when the
 * command cannot carry it (a PostgreSQL password, which is never printed). `redact` hides a URL's password.
 */
export function databaseHint(db: ServedDatabase, redact: (url: string) => string): { option: string; note: string } {
  if (db.databaseUrl !== null) {
    const shown = redact(db.databaseUrl);
    if (shown === db.databaseUrl) return { option: ` --database ${shellWord(db.databaseUrl)}`, note: '' };
    if (db.flag === undefined) return { option: '', note: `  (They read DATABASE_URL, ${shown}, as this server did: run them with it set.)` };
    return { option: ` --database ${shellWord(shown)}`, note: '  (Put the password given to serve in place of ***.)' };
  }
  if (db.flag !== undefined) return { option: ` --database ${shellWord(db.flag)}`, note: '' };
  return db.sqlitePath === db.defaultSqlitePath ? { option: '', note: '' } : { option: ` --database ${shellWord(db.sqlitePath)}`, note: '' };
}

/** A flag's value checked before the environment is read, so that the message names the flag rather than the variable. */
function checkServeFlags(args: { port?: unknown; 'classifier-workers'?: unknown; playbook?: unknown; host?: unknown }): void {
  if (args.port !== undefined) {
    const port = String(args.port);
    if (!/^\d+$/.test(port) || Number(port) > 65535) throw new AppError('BAD_ARGUMENTS', `--port must be a whole number from 0 to 65535 (0 picks a free port), not "${port}".`);
  }
  const workers = args['classifier-workers'];
  if (workers !== undefined && !(String(workers) === 'auto' || (/^\d+$/.test(String(workers)) && Number(workers) <= 64))) {
    throw new AppError('BAD_ARGUMENTS', `--classifier-workers must be 'auto' or a whole number from 0 to 64, not "${String(workers)}".`);
  }
  for (const flag of ['playbook', 'host'] as const) {
    if (args[flag] !== undefined && String(args[flag]).trim() === '') throw new AppError('BAD_ARGUMENTS', `--${flag} needs a value.`);
  }
}

export default defineCommand({
  meta: { name: 'serve', description: `Migrate the database and serve the REST API (and the web app when built). Env: ${CONFIG_VARIABLES.join(', ')}.` },
  args: {
    port: { type: 'string', description: 'Port to listen on (default 3000, env PORT)' },
    host: { type: 'string', description: 'Interface to bind (default 127.0.0.1, env HOST)' },
    database: { type: 'string', valueHint: 'url|file', description: 'postgres:// URL (env DATABASE_URL) or a SQLite file (env SQLITE_FILE); default SQLite unblock.db under DATA_DIR (default ./data)' },
    playbook: { type: 'string', valueHint: 'dir', description: 'Folder of playbook pages (env PLAYBOOK_DIR); default the built-in playbook' },
    'classifier-workers': { type: 'string', valueHint: 'n', description: "Worker threads classifying notes (env CLASSIFIER_WORKERS; default 'auto': cores - 1, between 1 and 2; 0 classifies on the HTTP thread)" },
    demo: { type: 'boolean', description: 'Seed demo partners, users, customers and history (once) and print the logins' },
  },
  async run({ args, rawArgs, cmd }) {
    checkFlags(rawArgs, flagNames(cmd.args), 'serve');
    checkExtraWords(rawArgs, cmd.args, 'serve');
    checkServeFlags(args);
    const [{ loadConfig, resolveDataDir }, { redactUrl }, { createServices, seedDemoData }, { buildApp, listenQuietly, serverLogging }, { asSettingsError, badDatabaseFlag, databaseOverrides, databaseUrlRefused }, { withDemoSeedLock }] = await Promise.all([
      import('../../config/index.js'),
      import('../../db/index.js'),
      import('../../app/index.js'),
      import('../../http/index.js'),
      import('../database.js'),
      import('../seed-lock.js'),
    ]);
    const overrides: Record<string, string> = databaseOverrides(args.database);
    if (args.port !== undefined) overrides.PORT = String(args.port);
    if (args.host !== undefined) overrides.HOST = String(args.host);
    if (args.playbook !== undefined) overrides.PLAYBOOK_DIR = String(args.playbook);
    if (args['classifier-workers'] !== undefined) overrides.CLASSIFIER_WORKERS = String(args['classifier-workers']);
    let config;
    try {
      config = loadConfig(process.env, overrides);
    } catch (error) {
      // The flag given is named rather than the variable it stands for.
      if (args.database !== undefined && databaseUrlRefused(error)) throw badDatabaseFlag(args.database);
      if (error instanceof AppError) throw new AppError('BAD_ARGUMENTS', error.message, error.details);
      throw error;
    }
    // stdout says what is served (the banner: database, playbook, URL, logins); what happens on the way
    // there (training the classifier, the playbook's warnings) goes to stderr, as `classify` writes it,
    // so that `serve > banner.txt` keeps only the banner and the notices still reach the terminal.
    const say = (line: string) => process.stdout.write(`${line}\n`);
    const notice = (line: string) => process.stderr.write(`unblock: ${line.charAt(0).toLowerCase()}${line.slice(1)}\n`);
    let services: Services;
    try {
      services = await createServices(config, {
        log: notice,
        classifierWorkers: config.classifierWorkers,
        backgroundCheckpoints: true,
        // Every status change would be refused: a wrong folder is far more likely than a wish for no codes.
        checkTaxonomy: (taxonomy) => {
          if (config.playbookDir && taxonomy.codes.length === 0) throw new AppError('BAD_ARGUMENTS', noCodeMessage({ source: args.playbook !== undefined ? '--playbook' : 'PLAYBOOK_DIR', path: config.playbookDir }));
        },
      });
    } catch (error) {
      // A playbook folder that does not exist is an unusable argument (exit 2), as for `unblock playbook`.
      // (Only the pages' error: a FILE_NOT_FOUND for the model assets is not the argument's fault.)
      if (config.playbookDir && isAppError(error) && /playbook/i.test(error.message)) throw asPlaybookArgumentError(error, args.playbook !== undefined ? '--playbook' : 'PLAYBOOK_DIR');
      // A PostgreSQL database, user or password the server refuses is a setting to correct (exit 2), as
      // for `report` and `admin`; a server that is down or does not answer stays a failure (exit 1).
      throw asSettingsError(error, 'serve') ?? error;
    }
    const codeCount = services.taxonomy().codes.length;
    say(`Database: ${config.databaseUrl ? redactUrl(config.databaseUrl) : config.sqlitePath} (migrated)`);
    say(`Playbook: taxonomy ${services.taxonomy().version}, ${codeCount} code${codeCount === 1 ? '' : 's'}; classifier ${services.classifier ? `on${services.classifier.classifyAsync ? ` (${config.classifierWorkers} worker thread${config.classifierWorkers === 1 ? '' : 's'})` : ''}` : 'off'}, note coach ${services.noteCoach ? 'on' : 'off'}`);
    let logins: SeedResult['logins'] = [];
    let app: Awaited<ReturnType<typeof buildApp>>;
    // From here on the database pool and the classifier's workers are open: a failure must close them,
    // or they keep the process alive after its error line.
    try {
      if (args.demo) {
        const started = Date.now();
        // Servers started together on one PostgreSQL database: one seeds, the others wait and find it done.
        const seed = await withDemoSeedLock(services.db, () => seedDemoData(services));
        logins = seed.logins;
        say(seed.state === 'seeded'
          ? `Demo data seeded in ${((Date.now() - started) / 1000).toFixed(1)} s: ${seed.counts.partners} partners, ${seed.counts.customers} customers, ${seed.counts.entitlements} entitlements, ${seed.counts.history} history rows, using ${seed.counts.codes} of the playbook's ${codeCount} code${codeCount === 1 ? '' : 's'}.`
          : seed.state === 'present'
            ? 'Demo data already present; not seeded again.'
            : 'Demo data not seeded: the database already holds other partners or users (use an empty database, e.g. another DATA_DIR, for the demo).');
      }
      // JSON lines on stderr: server errors (5xx, with stack) always; a line per request at LOG_LEVEL=debug.
      // Not Fastify's own "Server listening" line: the lines below say where the server is, for people.
      app = await buildApp(services, serverLogging(config.logLevel));
    } catch (error) {
      await services.close();
      throw error;
    }
    const shutdown = async () => {
      await app.close();
      await services.close();
      process.exit(0);
    };
    process.once('SIGINT', () => void shutdown());
    process.once('SIGTERM', () => void shutdown());
    try {
      await listenQuietly(app, { port: config.port, host: config.host });
    } catch (error) {
      await services.close();
      throw new AppError('BAD_ARGUMENTS', `Cannot listen on ${config.host}:${config.port}: ${(error as Error).message}. Choose another --port.`);
    }
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
    say('');
    say(`Unblock is running at ${url}`);
    say(`  API docs:  ${url}/api/docs   (OpenAPI: ${url}/api/openapi.json)`);
    if (logins.length > 0) {
      say('  Sign in with one of the demo users (email / password):');
      for (const l of logins) say(`    ${l.role.padEnd(8)} ${l.email.padEnd(30)} ${l.password}${l.partner ? `   (${l.partner})` : '   (all partners)'}`);
      const sample = logins.find((l) => l.role === 'editor') ?? logins.find((l) => l.role !== 'admin') ?? logins[0]!;
      say(`  API token: curl -s -c jar -H 'content-type: application/json' -d '{"email":"${sample.email}","password":"${sample.password}"}' ${url}/api/auth/login`);
      say(`             curl -s -b jar -H 'content-type: application/json' -d '{"name":"my script"}' ${url}/api/tokens`);
    } else {
      // The commands act on this server's database only when they are told where it is as it was told.
      const { option, note } = databaseHint(
        { flag: args.database === undefined ? undefined : String(args.database).trim(), databaseUrl: config.databaseUrl, sqlitePath: config.sqlitePath, defaultSqlitePath: join(resolveDataDir({}), 'unblock.db') },
        redactUrl,
      );
      say('  Create a partner, a user and a token with:');
      say(`    npx unblock admin create-partner${option} --name ...`);
      say(`    npx unblock admin create-user${option} --email ... --partner ...`);
      say(`    npx unblock admin create-token${option} --email ...`);
      say(`  Forgot a password? npx unblock admin set-password${option} --email ...`);
      if (note) say(note);
    }
    say('Press Ctrl+C to stop.');
  },
});
