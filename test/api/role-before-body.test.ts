/**
 * Authorisation comes before the body: a caller whose role may not use a write route gets 403
 * FORBIDDEN whatever it sends (a body that fails its schema, one that is not JSON, another media
 * type, an id that does not exist), and nothing is written. A caller who may use the route still gets
 * the body's problems.
 */
import { describe, expect, it } from 'vitest';
import { ENGINES } from '../factories.js';
import { useApiWorld } from './api-world.js';

type Role = 'viewer' | 'editor' | 'manager';

/** Each gated route, the least role it needs, and a body that fails its schema. */
const ROUTES: { method: 'POST' | 'PUT' | 'PATCH' | 'DELETE'; url: string; needs: Role | 'admin'; invalid: unknown }[] = [
  { method: 'PUT', url: '/api/entitlements/1/status', needs: 'editor', invalid: { version: 'one' } },
  { method: 'POST', url: '/api/entitlements/bulk-status', needs: 'editor', invalid: { items: [] } },
  { method: 'POST', url: '/api/customers/1/duplicate-invalid', needs: 'editor', invalid: { note: 42 } },
  { method: 'POST', url: '/api/customers', needs: 'manager', invalid: { tenantId: '' } },
  { method: 'PATCH', url: '/api/customers/1', needs: 'manager', invalid: { nope: true } },
  { method: 'POST', url: '/api/customers/1/entitlements', needs: 'manager', invalid: { workload: '' } },
  { method: 'POST', url: '/api/users', needs: 'manager', invalid: { email: 'not an address' } },
  { method: 'PATCH', url: '/api/users/1', needs: 'manager', invalid: { role: 'admin' } },
  { method: 'PUT', url: '/api/users/1/password', needs: 'manager', invalid: { password: 'short' } },
  { method: 'POST', url: '/api/partners', needs: 'admin', invalid: { name: '' } },
];
const RANK = { viewer: 0, editor: 1, manager: 2, admin: 3 } as const;
const TOKEN_OF = { viewer: 'northViewer', editor: 'northEditor', manager: 'northManager' } as const;

describe.each(ENGINES)('role before body on %s', (engine) => {
  const api = useApiWorld(engine);
  const auth = (role: Role) => ({ authorization: `Bearer ${api.world.tokens[TOKEN_OF[role]]}` });

  it('answers 403 to a role below the route\'s, whatever the body', async () => {
    for (const route of ROUTES) {
      for (const role of (['viewer', 'editor', 'manager'] as const).filter((r) => RANK[r] < RANK[route.needs])) {
        const sends = [
          { headers: { 'content-type': 'application/json' }, payload: JSON.stringify(route.invalid) },
          { headers: { 'content-type': 'application/json' }, payload: '{"not json' },
          { headers: { 'content-type': 'text/plain' }, payload: 'hello' },
        ];
        for (const send of sends) {
          const res = await api.app.inject({ method: route.method, url: route.url, headers: { ...auth(role), ...send.headers }, payload: send.payload });
          expect({ route: `${route.method} ${route.url}`, role, status: res.statusCode, code: res.json().error?.code }).toEqual({ route: `${route.method} ${route.url}`, role, status: 403, code: 'FORBIDDEN' });
          expect(res.json().error.message).toContain(`needs the ${route.needs} role`);
        }
      }
    }
  });

  it('answers 403 before a missing id, and 401 still comes first', async () => {
    const missing = await api.app.inject({ method: 'PUT', url: '/api/entitlements/2147483647/status', headers: auth('viewer'), payload: { version: 1, note: 'x' } });
    expect([missing.statusCode, missing.json().error.code]).toEqual([403, 'FORBIDDEN']);
    const badId = await api.app.inject({ method: 'PATCH', url: '/api/customers/0x10', headers: auth('editor'), payload: { name: 'x' } });
    expect([badId.statusCode, badId.json().error.code]).toEqual([403, 'FORBIDDEN']);
    const anonymous = await api.app.inject({ method: 'PUT', url: '/api/entitlements/1/status', payload: { version: 'one' } });
    expect([anonymous.statusCode, anonymous.json().error.code]).toEqual([401, 'UNAUTHENTICATED']);
  });

  it('refuses a viewer\'s CSV import before reading the file, and writes nothing', async () => {
    const before = await api.app.inject({ url: '/api/customers', headers: auth('manager') });
    const res = await api.app.inject({
      method: 'POST', url: '/api/import/entitlements', headers: { ...auth('viewer'), 'content-type': 'text/csv' },
      payload: 'tenant_id,workload,code,note\n"unterminated,teams,x,y\n',
    });
    expect([res.statusCode, res.json().error.code]).toEqual([403, 'FORBIDDEN']);
    const after = await api.app.inject({ url: '/api/customers', headers: auth('manager') });
    expect(after.json().total).toBe(before.json().total);
  });

  it('still shows the body\'s problems to a role that may use the route', async () => {
    for (const route of ROUTES.filter((r) => r.needs !== 'admin')) {
      const role = route.needs as Role;
      const res = await api.app.inject({ method: route.method, url: route.url, headers: auth(role), payload: route.invalid as object });
      expect({ route: route.url, status: res.statusCode, code: res.json().error.code }).toEqual({ route: route.url, status: 400, code: 'VALIDATION_FAILED' });
    }
    const admin = await api.app.inject({ method: 'POST', url: '/api/partners', headers: { authorization: `Bearer ${api.world.tokens.admin}` }, payload: { name: '' } });
    expect([admin.statusCode, admin.json().error.code]).toEqual([400, 'VALIDATION_FAILED']);
  });

  it('lists 403 among the answers of every gated route in the OpenAPI document', async () => {
    const doc = (await api.app.inject({ url: '/api/openapi.json' })).json() as { paths: Record<string, Record<string, { responses: Record<string, unknown> }>> };
    for (const route of [...ROUTES, { method: 'POST', url: '/api/import/entitlements' }, { method: 'DELETE', url: '/api/customers/1' }]) {
      const path = route.url.replace(/\/1(?=\/|$)/, '/{id}');
      expect(Object.keys(doc.paths[path]?.[route.method.toLowerCase()]?.responses ?? {}), `${route.method} ${path}`).toContain('403');
    }
  });
});
