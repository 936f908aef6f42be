/**
 * `unblock export`: the API's CSV export (GET /api/export/entitlements.csv) from the command line, on the
 * database the server uses: the same columns, byte order mark, formula-safe cells and row order, for the
 * list's filters; what one user may see with `--as`. `unblock export | unblock import -` changes nothing.
 */
import { once } from 'node:events';
import { pipeline } from 'node:stream/promises';
import { defineCommand } from 'citty';
import type { Services } from '../../app/index.js';
import { AppError } from '../../lib/index.js';
import type { EntitlementFilter, ListOptions, Scope } from '../../tracker/index.js';
import { checkExtraWords, checkFlags, flagNames } from '../flags.js';
import { existingDatabaseArg } from '../database-arg.js';
import { checkOutputFile, openOutput } from '../output-file.js';
import { actorFor, filterLabel, listed, resolveL1Arg, resolvePartner, resolveWorkload, textArg } from '../tracker-args.js';


/** Longest --owner and --q, as the API takes them. */
const MAX_TEXT = 200;
/** Largest --min-days and --max-days, as the API takes them. */
const MAX_DAYS = 100_000;

function daysArg(value: unknown, flag: string): number | undefined {
  const text = textArg(value, flag);
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text) || Number(text) > MAX_DAYS) throw new AppError('BAD_ARGUMENTS', `--${flag} must be a whole number of days from 0 to ${MAX_DAYS}, not "${text}".`);
  return Number(text);
}

function limitedText(value: unknown, flag: string): string | undefined {
  const text = textArg(value, flag);
  if (text !== undefined && text.length > MAX_TEXT) throw new AppError('BAD_ARGUMENTS', `--${flag} is at most ${MAX_TEXT} characters long.`);
  return text;
}

/**
 * --l2 as the API's filter takes it (filterLabel), under --l1 when given: an L2 the playbook has only
 * under another L1 would match nothing, so it is refused.
 */
async function resolveL2Arg(services: Services, value: string, l1: string | undefined, scope: Scope): Promise<string> {
  const codes = services.taxonomy().codes;
  const resolved = await filterLabel(services, scope, { l2: value });
  if ('conditions' in resolved && resolved.conditions.l2 !== undefined) {
    const l2 = resolved.conditions.l2;
    const parents = codes.filter((c) => c.l2 === l2).map((c) => c.l1);
    if (l1 === undefined || parents.length === 0 || parents.includes(l1)) return l2;
  }
  const names = [...new Set(codes.filter((c) => c.l2 !== null && (l1 === undefined || c.l1 === l1)).map((c) => c.l2!))];
  const where = l1 === undefined ? 'an L2 of the playbook' : `an L2 under ${l1}`;
  throw new AppError('BAD_ARGUMENTS', `--l2: "${value}" is not ${where}. Choose one of: ${listed(names, 40)}.`);
}

/** --code as the API's filter takes it (filterLabel): a code id, `blocked/legal-regulatory`. */
async function resolveCodeArg(services: Services, value: string, scope: Scope): Promise<string> {
  const codes = services.taxonomy().codes;
  const resolved = await filterLabel(services, scope, { code: value });
  if ('conditions' in resolved && resolved.conditions.code !== undefined) {
    const { l1, l2 } = resolved.conditions.code;
    return codes.find((c) => c.l1 === l1 && c.l2 === l2)?.id ?? value;
  }
  const valid = 'valid' in resolved ? resolved.valid : codes.map((c) => c.id);
  throw new AppError('BAD_ARGUMENTS', `--code: "${value}" is not a code of the playbook (codes are written like blocked/legal-regulatory). Choose one of: ${listed(valid, 40)}.`);
}

/** The options; `--sort` names the sort fields of the tracker module, which loads the database drivers. */
async function exportArgs() {
  const { SORT_FIELDS } = await import('../../tracker/entitlements.js');
  return {
    output: { type: 'string', valueHint: 'file', description: 'Write the CSV to this file (replaced only once every row is written); default (or -) standard output' },
    as: { type: 'string', valueHint: 'email', description: "Email of the user whose view is exported (only their partner's entitlements); default the system, every partner" },
    l1: { type: 'string', description: 'Only this L1 (name or id), e.g. "In Progress"' },
    l2: { type: 'string', description: 'Only this L2 (name), e.g. "Legal/Regulatory"' },
    code: { type: 'string', description: 'Only this code (id), e.g. blocked/legal-regulatory' },
    workload: { type: 'string', description: 'Only this workload (slug or name), e.g. exchange-online' },
    owner: { type: 'string', description: 'Only this owner (exact, case ignored)' },
    partner: { type: 'string', description: 'Only this partner (id or name)' },
    'min-days': { type: 'string', valueHint: 'days', description: 'At least this many days in the current status' },
    'max-days': { type: 'string', valueHint: 'days', description: 'At most this many days in the current status' },
    q: { type: 'string', description: 'Text search: words that must all occur in the note, owner, customer name or workload name, or an exact tenant id' },
    sort: { type: 'string', description: `Row order: ${SORT_FIELDS.join(' | ')} (default id)` },
    order: { type: 'string', description: 'asc | desc (default asc)' },
    database: existingDatabaseArg,
    playbook: { type: 'string', valueHint: 'dir', description: 'Folder of playbook pages the database is served with (env PLAYBOOK_DIR), for --l1, --l2 and --code; default the built-in playbook' },
  } as const;
}

export default defineCommand<Awaited<ReturnType<typeof exportArgs>>>({
  meta: { name: 'export', description: 'Export the filtered entitlements as CSV, as the API does (same columns and order; `unblock import` reads it back).' },
  args: exportArgs,
  async run({ args, rawArgs }) {
    checkFlags(rawArgs, flagNames(await exportArgs()), 'export');
    checkExtraWords(rawArgs, await exportArgs(), 'export');
    const { SORT_FIELDS } = await import('../../tracker/entitlements.js');
    // Everything that can be checked without the database is, before it is opened.
    const output = textArg(args.output, 'output');
    if (output !== undefined) checkOutputFile(output);
    const sort = textArg(args.sort, 'sort');
    if (sort !== undefined && !(SORT_FIELDS as readonly string[]).includes(sort)) throw new AppError('BAD_ARGUMENTS', `--sort must be one of ${SORT_FIELDS.join(', ')}, not "${sort}".`);
    const order = textArg(args.order, 'order');
    if (order !== undefined && order !== 'asc' && order !== 'desc') throw new AppError('BAD_ARGUMENTS', `--order must be asc or desc, not "${order}".`);
    const given = {
      as: textArg(args.as, 'as'),
      l1: textArg(args.l1, 'l1'),
      l2: textArg(args.l2, 'l2'),
      code: textArg(args.code, 'code'),
      workload: textArg(args.workload, 'workload'),
      partner: textArg(args.partner, 'partner'),
      owner: limitedText(args.owner, 'owner'),
      q: limitedText(args.q, 'q'),
      minDays: daysArg(args['min-days'], 'min-days'),
      maxDays: daysArg(args['max-days'], 'max-days'),
    };
    // Refused before the database is opened, in the flags' names (the list's own check names its query parameters).
    if (given.minDays !== undefined && given.maxDays !== undefined && given.minDays > given.maxDays) {
      throw new AppError('BAD_ARGUMENTS', `--min-days ${given.minDays} is above --max-days ${given.maxDays}: no entitlement can be in its status that long and that briefly at once.`);
    }
    const [{ exportCells, exportStringifier }, { SYSTEM_ACTOR, iterateEntitlements, scopeOf }, { openExistingTracker }] = await Promise.all([
      import('../../http/csv.js'),
      import('../../tracker/index.js'),
      import('../database.js'),
    ]);
    const { services } = await openExistingTracker(args, 'export', { classifier: false });
    try {
      const actor = given.as === undefined ? SYSTEM_ACTOR : await actorFor(services, given.as, 'export');
      const partnerId = given.partner === undefined ? undefined : await resolvePartner(services, given.partner);
      if (partnerId !== undefined && actor.partnerId !== null && partnerId !== actor.partnerId) {
        throw new AppError('BAD_ARGUMENTS', `--partner: ${given.as} sees only the entitlements of their own partner (id ${actor.partnerId}); leave --partner out, or export without --as.`);
      }
      // Labels of an older playbook that stored rows the user sees still carry are taken, as the API takes them.
      const scope = scopeOf(actor);
      const l1 = given.l1 === undefined ? undefined : await resolveL1Arg(services, given.l1, scope);
      const filter: EntitlementFilter & Pick<ListOptions, 'sort' | 'order'> = {
        l1,
        l2: given.l2 === undefined ? undefined : await resolveL2Arg(services, given.l2, l1, scope),
        code: given.code === undefined ? undefined : await resolveCodeArg(services, given.code, scope),
        workload: given.workload === undefined ? undefined : await resolveWorkload(services, given.workload),
        owner: given.owner,
        partnerId,
        minDays: given.minDays,
        maxDays: given.maxDays,
        q: given.q,
        sort: sort as ListOptions['sort'],
        order: order as ListOptions['order'],
      };
      const target = openOutput(output);
      const stringifier = exportStringifier();
      // The target is ended by commit(), not by the pipeline (standard output is never ended).
      const written = pipeline(stringifier, target.stream, { end: false });
      try {
        for await (const e of iterateEntitlements(services.tracker, actor, filter)) {
          if (!stringifier.write(exportCells(e))) await Promise.race([once(stringifier, 'drain'), written]);
        }
        stringifier.end();
        await written;
        await target.commit();
      } catch (error) {
        stringifier.destroy();
        await written.catch(() => undefined);
        target.discard();
        throw error;
      }
    } finally {
      await services.close();
    }
  },
});
