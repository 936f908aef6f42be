/**
 * QA session 18 (API, second pass): what the OpenAPI document says a route answers is what it answers.
 *
 * - `POST /api/customers/:id/duplicate-invalid` answers 409 CONFLICT for a customer without
 *   entitlements (docs/API.md says so) and VERSION_CONFLICT when an entitlement changes while it saves,
 *   but its document listed no 409: a client generated from it had no case for the answer.
 * - `DELETE /api/tokens/:id` answers 403 FORBIDDEN when a token issued with another token revokes one
 *   outside its own line, and revokes the tokens issued with the one revoked; `POST /api/tokens`
 *   answers 403 FORBIDDEN to a non-admin naming another user. The document said neither: its 403 named
 *   only PASSWORD_CHANGE_REQUIRED, and the revoke had no description at all.
 */
import { describe, expect, it } from 'vitest';
import { ENGINES } from '../factories.js';
import { useApiWorld } from './api-world.js';

const auth = (token: string) => ({ authorization: `Bearer ${token}` });
type Operation = { description?: string; responses: Record<string, { description: string }> };
type Document = { paths: Record<string, Record<string, Operation>> };

describe.each(ENGINES)('the OpenAPI document against the answers, on %s', (engine) => {
  const api = useApiWorld(engine);
  const documented = async () => (await api.app.inject({ url: '/api/openapi.json' })).json() as Document;

  it('lists the 409 that marking a customer without entitlements Duplicate/Invalid answers', async () => {
    const created = await api.app.inject({ method: 'POST', url: '/api/customers', headers: auth(api.world.tokens.northManager), payload: { tenantId: 'no-entitlements.example', name: 'Empty Co' } });
    expect(created.statusCode, created.body).toBe(201);
    const res = await api.app.inject({ method: 'POST', url: `/api/customers/${created.json().id}/duplicate-invalid`, headers: auth(api.world.tokens.northEditor), payload: { note: 'A second tenant of Empty Co' } });
    expect(res.statusCode).toBe(409);
    expect(res.json().error.code).toBe('CONFLICT');
    const operation = (await documented()).paths['/api/customers/{id}/duplicate-invalid']!.post!;
    expect(Object.keys(operation.responses)).toContain('409');
    expect(operation.responses['409']!.description).toMatch(/\bCONFLICT\b/);
    // Its own codes, not the shared sentence's (which names TOKEN_NAME_TAKEN, a code this route never answers).
    expect(operation.responses['409']!.description).not.toMatch(/TOKEN_NAME_TAKEN/);
  });

  it('says when revoking or issuing a token answers 403 FORBIDDEN, and that a revoke takes the tokens issued with it', async () => {
    const paths = (await documented()).paths;
    const revoke = paths['/api/tokens/{id}']!.delete!;
    expect(revoke.description).toMatch(/403 FORBIDDEN/);
    expect(revoke.description).toMatch(/issued with it/);
    expect(paths['/api/tokens']!.post!.description).toMatch(/another user.*403 FORBIDDEN|403 FORBIDDEN.*another user/);
    // The 403 answers themselves name FORBIDDEN, not only the password hold (review, session 18).
    expect(revoke.responses['403']!.description).toMatch(/^FORBIDDEN: .*; or PASSWORD_CHANGE_REQUIRED/);
    expect(paths['/api/tokens']!.post!.responses['403']!.description).toMatch(/^FORBIDDEN: anyone but an admin naming another user/);
    expect(paths['/api/tokens']!.post!.responses['409']!.description).toMatch(/^TOKEN_NAME_TAKEN/);

    // What the descriptions say, answered: a bound token revoking its parent, a viewer issuing for another user.
    const bound = await api.app.inject({ method: 'POST', url: '/api/tokens', headers: auth(api.world.tokens.northViewer), payload: { name: 'bound child' } });
    expect(bound.statusCode, bound.body).toBe(201);
    const parentId = bound.json().info.parentTokenId as number;
    const cutOff = await api.app.inject({ method: 'DELETE', url: `/api/tokens/${parentId}`, headers: auth(bound.json().token as string) });
    expect([cutOff.statusCode, cutOff.json().error.code]).toEqual([403, 'FORBIDDEN']);
    const forOther = await api.app.inject({ method: 'POST', url: '/api/tokens', headers: auth(api.world.tokens.northViewer), payload: { name: 'not mine', userId: 1 } });
    expect([forOther.statusCode, forOther.json().error.code]).toEqual([403, 'FORBIDDEN']);
  });
});
