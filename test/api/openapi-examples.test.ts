/**
 * The interactive docs' "Try it out" starts from each write route's example body (`example` on its
 * schema in /api/openapi.json): sent as it is, by a user with the route's role, it must be accepted.
 * A body Swagger invents from the types alone ("string", 2147483647) is refused by most routes.
 */
import { describe, expect, it } from 'vitest';
import { useApiWorld } from './api-world.js';

type Doc = { paths: Record<string, Record<string, { requestBody?: { content: Record<string, { schema: { example?: unknown } }> } }>> };

describe.each(['sqlite', 'postgres'] as const)('the OpenAPI document\'s example bodies on %s', (engine) => {
  const api = useApiWorld(engine);
  const example = async (method: string, path: string): Promise<Record<string, unknown>> => {
    const doc = (await api.app.inject({ url: '/api/openapi.json' })).json() as Doc;
    const body = doc.paths[path]?.[method]?.requestBody?.content['application/json']?.schema.example;
    expect(body, `${method.toUpperCase()} ${path} has an example body`).toBeTypeOf('object');
    return body as Record<string, unknown>;
  };
  const send = (method: 'POST' | 'PUT', url: string, token: string, payload: Record<string, unknown>) =>
    api.app.inject({ method, url, headers: { authorization: `Bearer ${token}` }, payload });

  it('are accepted as they are by the routes they document', async () => {
    const { tokens } = api.world;
    for (const [path, token] of [['/api/classify', tokens.northViewer], ['/api/notes/grade', tokens.northViewer], ['/api/tokens', tokens.northEditor], ['/api/users', tokens.northManager], ['/api/partners', tokens.admin]] as const) {
      const answer = await send('POST', path, token, await example('post', path));
      expect([path, answer.statusCode], answer.body).toEqual([path, expect.toSatisfy((s: number) => s >= 200 && s < 300)]);
    }
    const customer = await send('POST', '/api/customers', tokens.northManager, await example('post', '/api/customers'));
    expect(customer.statusCode, customer.body).toBe(201);
    const listed = await api.app.inject({ url: `/api/entitlements?customerId=${customer.json().id}`, headers: { authorization: `Bearer ${tokens.northManager}` } });
    const first = listed.json().items[0] as { id: number; version: number };
    expect(first.version).toBe(1);
    const status = await send('PUT', `/api/entitlements/${first.id}/status`, tokens.northManager, await example('put', '/api/entitlements/{id}/status'));
    expect(status.statusCode, status.body).toBe(200);
    expect(status.json().entitlement.owner).toBe('Maya Lindqvist');
  });
});
