/**
 * Arguments of the commands that work on the tracker (`report`, `import`, `export`) resolved against
 * the database and playbook: partners, workloads, labels and users, each refused (BAD_ARGUMENTS, exit 2)
 * with a message naming the flag and what there is.
 */
import type { createServices } from '../app/index.js';
import { AppError, isAppError } from '../lib/index.js';
import type { CodeConditions } from '../tracker/entitlements.js';
import type { Actor, Scope } from '../tracker/index.js';

/** The tracker, loaded by the functions that query the database (the argument checks here need none of it). */
const tracker = () => import('../tracker/index.js');

type Services = Awaited<ReturnType<typeof createServices>>;

/** A list for an error message: at most `max` items, then how many more. */
export function listed(items: readonly string[], max = 20): string {
  return items.length <= max ? items.join(', ') : `${items.slice(0, max).join(', ')} and ${items.length - max} more`;
}

/** The text of a string option, refusing an empty one (`--partner ""`) as a missing value. */
export function textArg(value: unknown, flag: string): string | undefined {
  if (value === undefined) return undefined;
  const text = String(value).trim();
  if (text === '' || typeof value === 'boolean') throw new AppError('BAD_ARGUMENTS', `--${flag} needs a value.`);
  return text;
}

/** --partner as an id or a name (exact, else ignoring case) of an existing partner. */
export async function resolvePartner(services: Services, value: string): Promise<number> {
  const { SYSTEM_ACTOR, listPartners } = await tracker();
  const partners = await listPartners(services.tracker, SYSTEM_ACTOR);
  const found =
    (/^\d+$/.test(value) ? partners.find((p) => p.id === Number(value)) : undefined) ??
    partners.find((p) => p.name === value) ??
    partners.find((p) => p.name.toLowerCase() === value.toLowerCase());
  if (found) return found.id;
  const known = partners.length === 0 ? 'There are no partners yet (add one with `unblock admin create-partner --name ...`).' : `Partners: ${listed(partners.map((p) => `${p.id} ${p.name}`))}.`;
  throw new AppError('BAD_ARGUMENTS', `--partner: no partner with ${/^\d+$/.test(value) ? 'id' : 'name'} "${value}". ${known}`);
}

/** --workload as a workload slug or name (resolved as everywhere else); the reports take the slug. */
export async function resolveWorkload(services: Services, value: string): Promise<string> {
  const { resolveWorkloads } = await tracker();
  try {
    return (await resolveWorkloads(services.db.kysely, [value]))[0]!.slug;
  } catch (error) {
    const valid = isAppError(error) && error.code === 'UNKNOWN_CODE' ? (error.details as { valid?: string[] } | undefined)?.valid : undefined;
    if (!valid) throw error;
    throw new AppError('BAD_ARGUMENTS', `--workload: no workload "${value}". Choose one of: ${valid.join(', ')}.`);
  }
}

/** Every partner: the scope of the system, which the commands act as unless told otherwise. */
export const ALL_PARTNERS: Scope = { kind: 'all' };

/**
 * An --l1, --l2 or --code value resolved as the API's filters resolve it (resolveCodeFilter): a label or
 * id of the playbook without a query, else one that entitlements in `scope` still carry from an older
 * playbook. `conditions` as stored rows spell it, or `valid` (the playbook's values, then the older
 * ones) when nothing matches.
 */
export async function filterLabel(services: Services, scope: Scope, filter: { l1?: string; l2?: string; code?: string }): Promise<{ conditions: CodeConditions } | { valid: string[] }> {
  const { resolveCodeFilter } = await import('../tracker/entitlements.js');
  try {
    return { conditions: await resolveCodeFilter(services.db.kysely, scope, services.taxonomy(), filter) };
  } catch (error) {
    const valid = isAppError(error) && error.code === 'UNKNOWN_CODE' ? (error.details as { valid?: unknown } | undefined)?.valid : undefined;
    if (!Array.isArray(valid)) throw error;
    return { valid: valid.map(String) };
  }
}

/** --l1 as the API's filter takes it ({@link filterLabel}); the reports and the export take the name. */
export async function resolveL1Arg(services: Services, value: string, scope: Scope = ALL_PARTNERS): Promise<string> {
  const resolved = await filterLabel(services, scope, { l1: value });
  if ('conditions' in resolved && resolved.conditions.l1 !== undefined) return resolved.conditions.l1;
  const l1s = services.taxonomy().l1s.map((n) => n.name);
  const valid = 'valid' in resolved ? resolved.valid : l1s;
  throw new AppError('BAD_ARGUMENTS', `--l1: "${value}" is not an L1 of the playbook${valid.length > l1s.length ? ' nor of the entitlements stored' : ''}. Choose one of: ${valid.join(', ')}.`);
}

/** The user a command acts as (`--as`): an enabled user of the database; `doing` completes "... or <doing> as another user". */
export async function actorFor(services: Services, email: string, doing: string): Promise<Actor> {
  const { SYSTEM_ACTOR, findActorByUserId, findUserByEmail } = await tracker();
  const user = await findUserByEmail(services.tracker, SYSTEM_ACTOR, email);
  const actor = user ? await findActorByUserId(services.tracker, user.id) : undefined;
  if (!user) throw new AppError('BAD_ARGUMENTS', `--as: no user with the email "${email}" (\`unblock admin list\` shows the users).`);
  if (!actor) throw new AppError('BAD_ARGUMENTS', `--as: the user "${email}" is disabled; enable them first or ${doing} as another user.`);
  return actor;
}
