/**
 * A JSON body with a field the route does not take is refused (400 VALIDATION_FAILED) instead of the
 * field being dropped in silence: a misspelt `workload` for `workloads` used to create a customer with
 * no entitlements, a misspelt `ownr` to answer 200 and change nothing. Each unknown field gets its own
 * `details` entry (path to the field, `reason: "UNKNOWN_FIELD"`, `field`, `suggestion`), and the message
 * names it with the known field it probably meant when one is close. Known-good bodies still pass.
 */
import { describe, expect, it } from 'vitest';
import { ENGINES } from '../factories.js';
import { useApiWorld } from './api-world.js';

interface Entry { where: string; path: string; message: string; reason?: string; field?: string; suggestion?: string | null }
interface Answer { statusCode: number; body: string; json(): unknown }

/** The error of a 400 VALIDATION_FAILED answer. */
function refusal(res: Answer): { message: string; details: Entry[] } {
  expect(res.statusCode, res.body).toBe(400);
  const error = (res.json() as { error: { code: string; message: string; details: Entry[] } }).error;
  expect(error.code, res.body).toBe('VALIDATION_FAILED');
  return error;
}

describe.each(ENGINES)('unknown fields in JSON bodies on %s', (engine) => {
  const api = useApiWorld(engine);
  const auth = (token: string) => ({ authorization: `Bearer ${token}` });
  const manager = () => auth(api.world.tokens.northManager);
  const editor = () => auth(api.world.tokens.northEditor);
  const customers = async (q: string) => (await api.app.inject({ url: `/api/customers?q=${q}`, headers: manager() })).json().total as number;

  async function newCustomer(tenantId: string): Promise<{ id: number; version: number }[]> {
    const res = await api.app.inject({ method: 'POST', url: '/api/customers', headers: manager(), payload: { tenantId, name: `Customer ${tenantId}`, workloads: ['teams', 'intune'] } });
    expect(res.statusCode, res.body).toBe(201);
    return (await api.app.inject({ url: `/api/entitlements?customerId=${res.json().id}&sort=id`, headers: editor() })).json().items;
  }

  it('refuses a new customer with `workload` for `workloads`, creating nothing, and names both', async () => {
    const res = await api.app.inject({ method: 'POST', url: '/api/customers', headers: manager(), payload: { tenantId: 'typo-workload', name: 'Typo Co', workload: ['teams'] } });
    const error = refusal(res);
    expect(error.details).toEqual([{ where: 'body', path: '/workload', message: 'is an unknown field; did you mean workloads?', reason: 'UNKNOWN_FIELD', field: 'workload', suggestion: 'workloads' }]);
    expect(error.message).toBe('workload is an unknown field; did you mean workloads?');
    expect(await customers('typo-workload')).toBe(0);

    // Another spelling of a known name (snake case, other case) is told the API's name.
    const snake = refusal(await api.app.inject({ method: 'POST', url: '/api/customers', headers: manager(), payload: { tenant_id: 'snake-case', name: 'Snake Co', Region: 'EMEA' } }));
    expect(snake.details.filter((d) => d.reason === 'UNKNOWN_FIELD').map((d) => [d.path, d.suggestion])).toEqual([['/tenant_id', 'tenantId'], ['/Region', 'region']]);
    expect(snake.message).toContain('tenant_id is an unknown field; did you mean tenantId?');
    // A field far from every known one lists them instead of guessing.
    const far = refusal(await api.app.inject({ method: 'POST', url: '/api/customers', headers: manager(), payload: { tenantId: 'far-field', name: 'Far Co', colour: 'blue' } }));
    expect(far.details).toEqual([expect.objectContaining({ path: '/colour', field: 'colour', suggestion: null })]);
    expect(far.message).toBe('colour is an unknown field; the known fields are tenantId, name, partnerId, managed, region and workloads.');
  });

  it('refuses a status change with `ownr`, changing nothing, and accepts every known field', async () => {
    const [row] = await newCustomer('typo-owner');
    const put = (payload: object) => api.app.inject({ method: 'PUT', url: `/api/entitlements/${row!.id}/status`, headers: editor(), payload });
    const error = refusal(await put({ version: row!.version, ownr: 'Maya' }));
    expect(error.details).toEqual([{ where: 'body', path: '/ownr', message: 'is an unknown field; did you mean owner?', reason: 'UNKNOWN_FIELD', field: 'ownr', suggestion: 'owner' }]);
    expect(error.message).toBe('ownr is an unknown field; did you mean owner?');
    const after = (await api.app.inject({ url: `/api/entitlements/${row!.id}`, headers: editor() })).json();
    expect([after.version, after.owner]).toEqual([row!.version, null]);

    const good = await put({
      version: row!.version, code: 'in-progress/migration', note: 'Moving the mailboxes in two waves; the pilot group goes first next week.', targetDate: '2027-03-31',
      engagementStartDate: '2026-01-05', businessReason: null, owner: 'Maya', nextAction: 'Book the pilot', nextActionDate: '2026-03-10', projectedUnblockDate: null, l3: null,
    });
    expect(good.statusCode, good.body).toBe(200);
    expect(good.json().entitlement.owner).toBe('Maya');
  });

  it('refuses a bulk change with an unknown field in an item or at the top, naming where', async () => {
    const rows = await newCustomer('typo-bulk');
    const bulk = (payload: object) => api.app.inject({ method: 'POST', url: '/api/entitlements/bulk-status', headers: editor(), payload });
    const items = rows.map((r) => ({ id: r.id, version: r.version, l1: 'Status Unknown', l2: 'Customer Unresponsive' }));
    const error = refusal(await bulk({ items: [items[0], { ...items[1], nte: 'Called twice, no answer.' }], restore: true }));
    expect(error.details).toEqual([
      { where: 'body', path: '/items/1/nte', message: 'is an unknown field; did you mean note?', reason: 'UNKNOWN_FIELD', field: 'nte', suggestion: 'note' },
      { where: 'body', path: '/restore', message: 'is an unknown field; did you mean restoreDuplicateInvalid?', reason: 'UNKNOWN_FIELD', field: 'restore', suggestion: 'restoreDuplicateInvalid' },
    ]);
    expect(error.message).toBe('items[1].nte is an unknown field; did you mean note? restore is an unknown field; did you mean restoreDuplicateInvalid?');
    const unchanged = (await api.app.inject({ url: `/api/entitlements/${rows[0]!.id}`, headers: editor() })).json();
    expect(unchanged.version).toBe(rows[0]!.version);

    const good = await bulk({ items, restoreDuplicateInvalid: false });
    expect(good.statusCode, good.body).toBe(200);
  });

  it('refuses unknown fields on accounts and tokens bodies, and accepts the known ones', async () => {
    const token = refusal(await api.app.inject({ method: 'POST', url: '/api/tokens', headers: editor(), payload: { name: 'ci', expiresIn: 30 } }));
    expect(token.details).toEqual([expect.objectContaining({ path: '/expiresIn', field: 'expiresIn', suggestion: 'expiresInDays' })]);
    expect(token.message).toBe('expiresIn is an unknown field; did you mean expiresInDays?');
    expect((await api.app.inject({ url: '/api/tokens', headers: editor() })).json().items.map((t: { name: string }) => t.name)).not.toContain('ci');
    const issued = await api.app.inject({ method: 'POST', url: '/api/tokens', headers: editor(), payload: { name: 'ci', expiresInDays: 30 } });
    expect(issued.statusCode, issued.body).toBe(201);

    const user = refusal(await api.app.inject({ method: 'POST', url: '/api/users', headers: auth(api.world.tokens.admin), payload: { email: 'new@north.test', name: 'New', role: 'viewer', partner_id: api.world.partners.north } }));
    expect(user.details.map((d) => [d.path, d.suggestion])).toEqual([['/partner_id', 'partnerId']]);

    const login = refusal(await api.app.inject({ method: 'POST', url: '/api/auth/login', payload: { ...api.world.users.northEditor, rememberMe: true } }));
    expect(login.message).toBe('rememberMe is an unknown field; the known fields are email and password.');
    expect((await api.app.inject({ method: 'POST', url: '/api/auth/login', payload: api.world.users.northEditor })).statusCode).toBe(200);
  });

  it('refuses unknown fields on the advice bodies, and names many at once without listing them all in the message', async () => {
    const grade = refusal(await api.app.inject({ method: 'POST', url: '/api/notes/grade', headers: editor(), payload: { text: 'Waiting on the customer.', L1: 'Blocked' } }));
    expect(grade.details.map((d) => [d.path, d.suggestion])).toEqual([['/L1', 'l1']]);
    const fine = await api.app.inject({ method: 'POST', url: '/api/notes/grade', headers: editor(), payload: { text: 'Waiting on the customer.', l1: null, l2: null, workload: null, managed: null } });
    expect(fine.statusCode, fine.body).toBe(200);

    const many = Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`extra${i}`, i]));
    const error = refusal(await api.app.inject({ method: 'POST', url: '/api/classify', headers: editor(), payload: { text: 'firewall', ...many } }));
    expect(error.details.filter((d) => d.reason === 'UNKNOWN_FIELD').length).toBeLessThanOrEqual(21);
    expect(error.details[0]).toMatchObject({ path: '/extra0', field: 'extra0' });
    expect(error.details.at(-1)).toMatchObject({ path: '/', reason: 'UNKNOWN_FIELD', message: 'holds 10 more unknown fields; leave them out' });
    expect(error.message).toMatch(/^extra0 is an unknown field; .* And \d+ more fields: see details\.$/);
  });

  it('says in the OpenAPI document that request bodies take no other fields', async () => {
    const doc = (await api.app.inject({ url: '/api/openapi.json' })).json() as { paths: Record<string, Record<string, { requestBody?: { content: Record<string, { schema: Record<string, unknown> }> } }>> };
    const body = (path: string, method: string) => doc.paths[path]![method]!.requestBody!.content['application/json']!.schema as { additionalProperties?: unknown; properties: Record<string, { items?: { additionalProperties?: unknown } }> };
    expect(body('/api/customers', 'post').additionalProperties).toBe(false);
    expect(body('/api/entitlements/{id}/status', 'put').additionalProperties).toBe(false);
    expect(body('/api/entitlements/bulk-status', 'post').additionalProperties).toBe(false);
    expect(body('/api/entitlements/bulk-status', 'post').properties.items!.items!.additionalProperties).toBe(false);
    expect(body('/api/tokens', 'post').additionalProperties).toBe(false);
  });
});
