/**
 * `unblock report NAME`: the portfolio reports of the API on the command line. The reports and the
 * database are loaded only when a report runs; `--help` needs neither.
 */
import { defineCommand } from 'citty';
import { AppError, joinWords, slugify } from '../../lib/index.js';
import type { CountDimension, ReportFilter } from '../../reports/index.js';
import type { Taxonomy } from '../../taxonomy/types.js';
import { checkExtraWords, checkFlags, flagNames } from '../flags.js';
import { jsonDocument } from '../json-output.js';
import { existingDatabaseArg } from '../database-arg.js';

const NAMES = ['counts', 'ageing', 'forecast', 'note-quality', 'flow'] as const;
/** The values of flow's `--level`: moves between codes, or between L1s. */
const LEVELS = ['code', 'l1'] as const;
type ReportName = (typeof NAMES)[number];

/**
 * --from and --to, checked by the date schema of the API's `from` and `to` (GET /api/reports/...), so
 * that a refused date is told in the API's words ("must be a real calendar date", "must be a date
 * written YYYY-MM-DD, such as ..."), and both at once, as the API tells them. A period that starts
 * after it ends is refused by the reports themselves, for the API and the CLI alike.
 */
async function periodArgs(args: { from?: unknown; to?: unknown }): Promise<{ from?: string; to?: string }> {
  const { isoDate } = await import('../../http/schemas/common.js');
  const period: { from?: string; to?: string } = {};
  const problems: string[] = [];
  for (const flag of ['from', 'to'] as const) {
    const value = args[flag];
    if (value === undefined) continue;
    if (typeof value !== 'string' || value.trim() === '') {
      problems.push(`--${flag} needs a value.`);
      continue;
    }
    const parsed = isoDate.safeParse(value);
    if (parsed.success) period[flag] = parsed.data;
    else problems.push(`--${flag} ${parsed.error.issues[0]?.message ?? 'must be a date written YYYY-MM-DD'}.`);
  }
  if (problems.length > 0) throw new AppError('BAD_ARGUMENTS', problems.join(' '));
  return period;
}

/**
 * The reports each option applies to (the filters as in the API, GET /api/reports/...); the options
 * not named here (--json, --database, --playbook) apply to every report.
 */
const APPLIES_TO = {
  by: ['counts'],
  weeks: ['forecast'],
  from: ['note-quality', 'flow'],
  to: ['note-quality', 'flow'],
  level: ['flow'],
  partner: ['counts', 'ageing', 'forecast', 'note-quality', 'flow'],
  workload: ['counts', 'ageing', 'forecast'],
  l1: ['counts', 'ageing'],
} as const satisfies Record<string, readonly ReportName[]>;

/** The options of `rawArgs` (`--by l2`, `--by=l2`), by name, up to a `--`. */
function givenOptions(rawArgs: readonly string[]): Set<string> {
  const names = new Set<string>();
  for (const arg of rawArgs) {
    if (arg === '--') break;
    if (arg.startsWith('--')) names.add(arg.slice(2).split('=')[0]!);
  }
  return names;
}

/** Refuses (exit 2) an option given that the report `name` does not use, naming the reports it applies to. */
function checkApplies(name: ReportName, rawArgs: readonly string[]): void {
  const given = givenOptions(rawArgs);
  for (const [option, reports] of Object.entries(APPLIES_TO) as [keyof typeof APPLIES_TO, readonly ReportName[]][]) {
    if (!given.has(option) || reports.includes(name)) continue;
    const what = option === 'partner' || option === 'workload' || option === 'l1' ? 'filters' : 'applies to';
    throw new AppError('BAD_ARGUMENTS', `--${option} does not apply to the ${name} report; it ${what} ${reports.join(', ')}${reports.length === 1 ? ' only' : ''}.`);
  }
}

/**
 * A code (`blocked/partner-engagement`) or L1 id (`blocked`) as the counts report names it: "Blocked /
 * Partner Engagement", "Blocked". A code the playbook no longer has (history from an older one) stays as
 * it is stored.
 */
function statusLabel(taxonomy: Taxonomy, code: string): string {
  const leaf = taxonomy.codes.find((c) => c.id === code);
  if (leaf) return leaf.l2 === null ? leaf.l1 : `${leaf.l1} / ${leaf.l2}`;
  return taxonomy.l1s.find((n) => n.id === code)?.name ?? code;
}

/**
 * `--l1` of an L1 the reports leave out (`invalid`: Duplicate/Invalid and each L1 of the playbook's own
 * that follows its rules, as the playbook names them): refused, as the reports would print zeros.
 */
function refuseDuplicateInvalid(l1: string | undefined, invalid: readonly string[]): void {
  if (l1 === undefined || !invalid.includes(l1)) return;
  const follows = slugify(l1) === 'duplicate-invalid' ? '' : ', which follows the Duplicate/Invalid rules';
  throw new AppError('BAD_ARGUMENTS', `--l1: reports leave ${l1} out${follows} (those entitlements are not customer rollouts); \`unblock export --l1 "${l1}"\` lists them.`);
}

/** `value` as one shell word: as it is when plain, else in double quotes. */
function shellWord(value: string): string {
  return /^[\w./:@-]+$/.test(value) ? value : `"${value.replace(/["\\$`]/g, '\\$&')}"`;
}

/**
 * The line under plain counts naming the entitlements left out, per L1 of the Duplicate/Invalid kind
 * (`leftOut`: Duplicate/Invalid and each L1 of the playbook's own that follows its rules), with the export
 * that lists those very ones (the same --partner and --workload); none when there are none.
 */
function leftOutLine(leftOut: readonly { l1: string; count: number }[], given: { partner?: string | undefined; workload?: string | undefined }): string {
  const shown = leftOut.filter((r) => r.count > 0);
  const count = shown.reduce((sum, r) => sum + r.count, 0);
  if (count === 0) return '';
  const narrowed = (['partner', 'workload'] as const).flatMap((flag) => (given[flag] === undefined ? [] : [`--${flag} ${shellWord(given[flag])}`]));
  const commands = shown.map((r) => `\`${[`unblock export --l1 "${r.l1}"`, ...narrowed].join(' ')}\``);
  const [noun, clause, them] = count === 1 ? ['entitlement', 'which is not a customer rollout', 'it'] : ['entitlements', 'which are not customer rollouts', 'them'];
  const what = shown.length === 1 ? `${count} ${shown[0]!.l1}` : joinWords(shown.map((r) => `${r.count} ${r.l1}`));
  return `\nLeft out: ${what} ${noun}, ${clause} (${joinWords(commands)} ${shown.length === 1 ? 'lists' : 'list'} ${them}).`;
}

/**
 * The ageing report's heading: every L1 it counts (`l1s`: the one asked for, else Blocked and each L1 of
 * the playbook's own that follows the Blocked rules), e.g. "Days in Blocked or Stalled".
 */
export function ageingHeading(l1s: readonly string[]): string {
  return `Days in ${l1s.length > 0 ? joinWords(l1s, 'or') : 'Blocked'}`;
}

function table(rows: (string | number)[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => String(r[i]).length)));
  return rows.map((r) => r.map((c, i) => (typeof c === 'number' ? String(c).padStart(widths[i]!) : String(c).padEnd(widths[i]!))).join('  ').trimEnd()).join('\n');
}

/** The options; `--by` names the count dimensions of the reports module, which loads the database drivers. */
async function reportArgs() {
  const { COUNT_DIMENSIONS } = await import('../../reports/reports.js');
  return {
    name: { type: 'positional', required: true, description: NAMES.join(' | ') },
    json: { type: 'boolean', description: 'Print JSON' },
    by: { type: 'string', default: 'l1', description: `counts: ${COUNT_DIMENSIONS.join(' | ')}` },
    weeks: { type: 'string', default: '12', valueHint: 'n', description: 'forecast: number of weeks' },
    from: { type: 'string', valueHint: 'date', description: 'note-quality, flow: first day (YYYY-MM-DD)' },
    to: { type: 'string', valueHint: 'date', description: 'note-quality, flow: last day (YYYY-MM-DD)' },
    level: { type: 'string', default: 'code', description: `flow: ${LEVELS.join(' | ')}` },
    partner: { type: 'string', description: 'Only this partner (id or name); every report' },
    workload: { type: 'string', description: 'Only this workload (slug or name, e.g. exchange-online); counts, ageing, forecast' },
    l1: { type: 'string', description: 'counts: only this L1; ageing: days in this L1 (default Blocked and each L1 that follows its rules). L1 name, e.g. "In Progress"' },
    database: existingDatabaseArg,
    playbook: { type: 'string', valueHint: 'dir', description: 'Folder of playbook pages the database is served with (env PLAYBOOK_DIR), for --l1; default the built-in playbook' },
  } as const;
}

export default defineCommand<Awaited<ReturnType<typeof reportArgs>>>({
  meta: { name: 'report', description: `Print a portfolio report (over every partner unless --partner is given): ${NAMES.join(', ')}.` },
  args: reportArgs,
  async run({ args, rawArgs }) {
    checkFlags(rawArgs, flagNames(await reportArgs()), 'report');
    checkExtraWords(rawArgs, await reportArgs(), 'report');
    // The arguments are checked before the database and the rest of the tracker are loaded.
    const [{ COUNT_DIMENSIONS }, { resolveL1Arg, resolvePartner, resolveWorkload, textArg }] = await Promise.all([
      import('../../reports/reports.js'),
      import('../tracker-args.js'),
    ]);
    const name = String(args.name) as ReportName;
    if (!NAMES.includes(name)) throw new AppError('BAD_ARGUMENTS', `Unknown report "${String(args.name)}". Choose one of: ${NAMES.join(', ')}.`);
    checkApplies(name, rawArgs);
    const by = String(args.by) as CountDimension;
    if (!COUNT_DIMENSIONS.includes(by)) throw new AppError('BAD_ARGUMENTS', `--by must be one of ${COUNT_DIMENSIONS.join(', ')}.`);
    const weeks = Number(args.weeks);
    if (!Number.isInteger(weeks) || weeks < 1 || weeks > 104) throw new AppError('BAD_ARGUMENTS', '--weeks must be a whole number from 1 to 104.');
    const level = String(args.level) as (typeof LEVELS)[number];
    if (!LEVELS.includes(level)) throw new AppError('BAD_ARGUMENTS', `--level must be ${LEVELS.join(' or ')}, not "${String(args.level)}".`);
    const period = await periodArgs(args);
    const given = { partner: textArg(args.partner, 'partner'), workload: textArg(args.workload, 'workload'), l1: textArg(args.l1, 'l1') };
    const [{ countDuplicateInvalidByL1, countEntitlements, duplicateInvalidL1s, reportAgeing, reportFlow, reportForecast, reportNoteQuality }, { SYSTEM_ACTOR }, { openExistingTracker }] = await Promise.all([
      import('../../reports/index.js'),
      import('../../tracker/index.js'),
      import('../database.js'),
    ]);
    const { services } = await openExistingTracker(args, 'report', { classifier: false });
    try {
      const ctx = services.tracker;
      const filter: ReportFilter = {
        partnerId: given.partner === undefined ? undefined : await resolvePartner(services, given.partner),
        workload: given.workload === undefined ? undefined : await resolveWorkload(services, given.workload),
        l1: given.l1 === undefined ? undefined : await resolveL1Arg(services, given.l1),
      };
      const { partnerId } = filter;
      const taxonomy = services.taxonomy();
      refuseDuplicateInvalid(filter.l1, duplicateInvalidL1s(taxonomy));
      const label = (code: string) => statusLabel(taxonomy, code);
      let text: string;
      let data: unknown;
      if (name === 'counts') {
        // Narrowed to an L1, no entitlement of the Duplicate/Invalid kind would have counted: nothing was left out.
        const [r, leftOut] = await Promise.all([countEntitlements(ctx, SYSTEM_ACTOR, by, filter), args.json || filter.l1 !== undefined ? [] : countDuplicateInvalidByL1(ctx, SYSTEM_ACTOR, filter)]);
        data = r;
        text = `${table([[by === 'l2' ? 'L1 / L2' : by, 'count'], ...r.rows.map((x) => [x.l1 ? `${x.l1} / ${x.label}` : x.label, x.count]), ['total', r.total]])}${leftOutLine(leftOut, given)}`;
      } else if (name === 'ageing') {
        const r = await reportAgeing(ctx, SYSTEM_ACTOR, filter);
        data = r;
        text = `${ageingHeading(r.l1s)}\n${table([['days', 'count'], ...r.buckets.map((b) => [b.label, b.count])])}`;
      } else if (name === 'forecast') {
        const r = await reportForecast(ctx, SYSTEM_ACTOR, { weeks, partnerId, workload: filter.workload });
        data = r;
        text = `${table([['week of', 'projected', 'expected (history)'], ...r.weeks.map((w) => [w.weekStart, w.projected, w.expected])])}\noverdue (projected date passed): ${r.overdue}\noverdue (expected date from history passed): ${r.expectedOverdue}\nbeyond the window: ${r.outsideWindow.projected} projected, ${r.outsideWindow.expected} from history; ${r.total} blocked in all\n\n${table([['reason', 'cleared', 'avg days'], ...r.timeToClear.map((t) => [label(t.code), t.cleared, t.averageDays ?? '-'])])}`;
      } else if (name === 'note-quality') {
        const r = await reportNoteQuality(ctx, SYSTEM_ACTOR, { ...period, partnerId });
        data = r;
        const grades = [...new Set(r.months.flatMap((m) => Object.keys(m.grades)))].sort();
        text = table([['month', 'changes', 'graded', ...grades, 'avg score'], ...r.months.map((m) => [m.month, m.changes, m.graded, ...grades.map((g) => m.grades[g] ?? 0), m.averageScore === null ? '-' : m.averageScore.toFixed(2)])]);
      } else {
        const r = await reportFlow(ctx, SYSTEM_ACTOR, { ...period, partnerId, level });
        data = r;
        text = r.rows.length === 0 ? `No moves between ${r.from} and ${r.to}.` : table([['from', 'to', 'count'], ...r.rows.map((x) => [label(x.from), label(x.to), x.count])]);
      }
      process.stdout.write(args.json ? jsonDocument(data) : `${text}\n`);
    } finally {
      await services.close();
    }
  },
});
