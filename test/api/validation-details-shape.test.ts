/**
 * Every 400 VALIDATION_FAILED, whether the schema or a check made after it refuses the request, has
 * `details` as the documented list of `{where, path, message}` (path a JSON pointer to the field), so a
 * client can always put a refusal next to its field. The token life check adds `maxDays` and
 * `parentExpiresAt` to its entry. The checks the schema makes first (an all-space name, note or
 * password) are driven on the tracker directly, since no request gets past the schema to them.
 */
import { describe, expect, it } from 'vitest';
import { AppError } from '../../src/lib/index.js';
import {
  authenticatePassword, changeOwnPassword, createCustomer, createToken, createUser, markCustomerDuplicateInvalid, resolveStatusCode, setUserPassword, SYSTEM_ACTOR,
  updateCustomer, updateUser, type TrackerContext,
} from '../../src/tracker/index.js';
import { fixedClock } from '../factories.js';
import { useApiWorld } from './api-world.js';

const NOW = '2026-03-02T10:00:00.000Z';
const inDays = (days: number) => new Date(Date.parse(NOW) + days * 86_400_000).toISOString();

interface Entry { where: string; path: string; message: string; [extra: string]: unknown }

/** The details of a 400 VALIDATION_FAILED answer, checked to be a list of well-formed entries. */
function detailsOf(res: { statusCode: number; body: string; json(): unknown }): Entry[] {
  expect(res.statusCode, res.body).toBe(400);
  const error = (res.json() as { error: { code: string; details: unknown } }).error;
  expect(error.code, res.body).toBe('VALIDATION_FAILED');
  return checkedList(error.details, res.body);
}

function checkedList(details: unknown, context: string): Entry[] {
  expect(Array.isArray(details), context).toBe(true);
  const list = details as Entry[];
  expect(list.length, context).toBeGreaterThan(0);
  for (const entry of list) {
    expect(['body', 'querystring', 'params'], context).toContain(entry.where);
    expect(entry.path, context).toMatch(/^\//);
    expect(typeof entry.message, context).toBe('string');
    expect(entry.message.trim(), context).not.toBe('');
  }
  return list;
}

/** The VALIDATION_FAILED details a tracker call throws with. */
async function thrownDetails(call: () => unknown): Promise<Entry[]> {
  let error: unknown;
  try {
    await call();
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(AppError);
  expect((error as AppError).code).toBe('VALIDATION_FAILED');
  return checkedList((error as AppError).details, (error as AppError).message);
}

describe('VALIDATION_FAILED details over HTTP (sqlite)', () => {
  const api = useApiWorld('sqlite', fixedClock(NOW));
  const auth = (token: string) => ({ authorization: `Bearer ${token}` });

  it('names partnerId when an admin creates a customer without a partner', async () => {
    const res = await api.app.inject({ method: 'POST', url: '/api/customers', headers: auth(api.world.tokens.admin), payload: { tenantId: 'no-partner.example', name: 'No Partner' } });
    expect(detailsOf(res)).toEqual([{ where: 'body', path: '/partnerId', message: expect.stringMatching(/^is required/) }]);
    expect(res.json().error.message).toContain('partnerId');
  });

  it('names tenantId for a tenant id with a space inside, on create and on change', async () => {
    const manager = auth(api.world.tokens.northManager);
    const created = await api.app.inject({ method: 'POST', url: '/api/customers', headers: manager, payload: { tenantId: 'spaced out.example', name: 'Spaced Out' } });
    expect(detailsOf(created)).toEqual([{ where: 'body', path: '/tenantId', message: 'has a space at character 7; a tenant id is one word, such as contoso.onmicrosoft.com or a GUID' }]);
    // The message still says it whole, naming the tenant id.
    expect(created.json().error.message).toBe('The tenant id "spaced out.example" has a space at character 7; a tenant id is one word, such as contoso.onmicrosoft.com or a GUID.');

    const fine = await api.app.inject({ method: 'POST', url: '/api/customers', headers: manager, payload: { tenantId: 'one-word.example', name: 'One Word' } });
    expect(fine.statusCode, fine.body).toBe(201);
    const changed = await api.app.inject({ method: 'PATCH', url: `/api/customers/${fine.json().id}`, headers: manager, payload: { tenantId: 'zero\u200bwidth' } });
    expect(detailsOf(changed)).toEqual([{ where: 'body', path: '/tenantId', message: expect.stringMatching(/^has an invisible character at character 5;/) }]);
  });

  it('names expiresInDays, with maxDays and parentExpiresAt, for a token that would outlive the token it is issued with', async () => {
    const parent = await api.app.inject({ method: 'POST', url: '/api/tokens', headers: auth(api.world.tokens.northEditor), payload: { name: 'parent', expiresInDays: 30 } });
    expect(parent.statusCode, parent.body).toBe(201);
    for (const expiresInDays of [31, null]) {
      const refused = await api.app.inject({ method: 'POST', url: '/api/tokens', headers: auth(parent.json().token), payload: { name: 'longer', expiresInDays } });
      expect(detailsOf(refused)).toEqual([{ where: 'body', path: '/expiresInDays', message: expect.stringMatching(/^must be at most 30\b/), maxDays: 30, parentExpiresAt: inDays(30) }]);
    }
  });

  it('keeps the list for the refusals that had it already (admin with a partner, same new password, repeated bulk item)', async () => {
    const admin = auth(api.world.tokens.admin);
    const user = await api.app.inject({ method: 'POST', url: '/api/users', headers: admin, payload: { email: 'second-admin@test.local', name: 'Second', role: 'admin', partnerId: api.world.partners.north } });
    expect(detailsOf(user).map((e) => e.path)).toEqual(['/partnerId']);

    const { email, password } = api.world.users.northEditor;
    const login = await api.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password } });
    expect(login.statusCode, login.body).toBe(200);
    const cookie = login.headers['set-cookie'];
    const same = await api.app.inject({ method: 'PUT', url: '/api/me/password', headers: { cookie: Array.isArray(cookie) ? cookie.join('; ') : String(cookie) }, payload: { currentPassword: password, newPassword: password } });
    expect(detailsOf(same).map((e) => e.path)).toEqual(['/newPassword']);

    const customer = await api.app.inject({ method: 'POST', url: '/api/customers', headers: admin, payload: { tenantId: 'bulk-twice.example', name: 'Bulk Twice', partnerId: api.world.partners.north, workloads: ['teams'] } });
    expect(customer.statusCode, customer.body).toBe(201);
    const entitlement = (await api.app.inject({ url: `/api/entitlements?q=bulk-twice.example`, headers: admin })).json().items[0];
    const item = { id: entitlement.id, version: entitlement.version, owner: 'Someone' };
    const bulk = await api.app.inject({ method: 'POST', url: '/api/entitlements/bulk-status', headers: admin, payload: { items: [item, item] } });
    expect(detailsOf(bulk).map((e) => e.path)).toEqual(['/items/1/id']);
  });
});

describe('VALIDATION_FAILED details of the checks behind the schema (sqlite)', () => {
  const api = useApiWorld('sqlite', fixedClock(NOW));
  const spaces = ' '.repeat(8);
  /** The northern editor, signed in. */
  const editor = async () => (await authenticatePassword(api.world.services.tracker, api.world.users.northEditor.email, api.world.users.northEditor.password))!;
  const customer = async (tenantId: string) => (await createCustomer(api.world.services.tracker, SYSTEM_ACTOR, { tenantId, name: `Customer ${tenantId}`, partnerId: api.world.partners.north, workloads: ['teams'] })).id;

  const cases: [string, string, (ctx: TrackerContext) => Promise<unknown> | unknown][] = [
    ['a user renamed to spaces', 'body /name', async (ctx) => updateUser(ctx, SYSTEM_ACTOR, (await editor()).userId!, { name: '  ' })],
    ['a new user with an all-space password', 'body /password', (ctx) => createUser(ctx, SYSTEM_ACTOR, { email: 'spaces@north.test', name: 'Spaces', role: 'viewer', partnerId: api.world.partners.north, password: spaces })],
    ['an all-space password set for a user', 'body /password', async (ctx) => setUserPassword(ctx, SYSTEM_ACTOR, (await editor()).userId!, spaces)],
    ['an all-space new password of your own', 'body /newPassword', async (ctx) => changeOwnPassword(ctx, await editor(), { currentPassword: api.world.users.northEditor.password, newPassword: spaces })],
    ['a token for nobody', 'body /userId', (ctx) => createToken(ctx, SYSTEM_ACTOR, { name: 'for nobody' })],
    ['a blank Duplicate/Invalid note', 'body /note', async (ctx) => markCustomerDuplicateInvalid(ctx, SYSTEM_ACTOR, await customer('blank-note.example'), { note: '   ' })],
    ['a customer renamed to spaces', 'body /name', async (ctx) => updateCustomer(ctx, SYSTEM_ACTOR, await customer('blank-name.example'), { name: '  ' })],
    ['a tenant id changed to spaces', 'body /tenantId', async (ctx) => updateCustomer(ctx, SYSTEM_ACTOR, await customer('blank-tenant.example'), { tenantId: '  ' })],
    ['a status with neither code nor l1', 'body /code', (ctx) => resolveStatusCode(ctx.taxonomy(), {})],
  ];

  it.each(cases)('%s names %s', async (_, field, call) => {
    const details = await thrownDetails(() => call(api.world.services.tracker));
    expect(details.map((e) => `${e.where} ${e.path}`)).toEqual([field]);
  });
});
