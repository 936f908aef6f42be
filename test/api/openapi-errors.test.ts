/**
 * The OpenAPI document describes what clients really get: the error answers (400 for routes that take
 * input, 401 for every route that needs a credential, 403 for routes with a role), in the error shape;
 * the role a route needs; and the CSV body of the import and the CSV file of the export.
 */
import { describe, expect, it } from 'vitest';
import { useApiWorld } from './api-world.js';

type Operation = { description?: string; requestBody?: { content: Record<string, { schema: { type?: string } }> }; responses: Record<string, { description: string; content?: Record<string, { schema: { properties?: Record<string, unknown> } }> }> };
type Doc = { paths: Record<string, Record<string, Operation>> };

describe('the OpenAPI document', () => {
  const api = useApiWorld('sqlite');
  const doc = async () => (await api.app.inject({ url: '/api/openapi.json' })).json() as Doc;

  it('lists 400 and 401 in the error shape wherever a route can give them, and matches what the routes answer', async () => {
    const paths = (await doc()).paths;
    for (const [path, methods] of Object.entries(paths)) {
      for (const [method, op] of Object.entries(methods)) {
        const where = `${method.toUpperCase()} ${path}`;
        const isPublic = ['/api/health', '/api/auth/login', '/api/auth/logout'].includes(path);
        if (!isPublic) {
          expect(Object.keys(op.responses), where).toContain('401');
          expect(op.responses['401']!.content?.['application/json']?.schema.properties, where).toHaveProperty('error');
        }
      }
    }
    expect(Object.keys(paths['/api/entitlements']!.get!.responses)).toEqual(expect.arrayContaining(['200', '400', '401']));
    // What the document promises is what comes back.
    const noToken = await api.app.inject({ url: '/api/entitlements' });
    expect([noToken.statusCode, Object.keys(noToken.json().error).sort()]).toEqual([401, ['code', 'details', 'message']]);
    const bad = await api.app.inject({ url: '/api/entitlements?pageSize=0', headers: { authorization: `Bearer ${api.world.tokens.northViewer}` } });
    expect([bad.statusCode, bad.json().error.code]).toEqual([400, 'VALIDATION_FAILED']);
  });

  it('lists 413 and 415 for every route that reads a body, and 404 where an admin can name a partner that is not there', async () => {
    const paths = (await doc()).paths;
    for (const [path, methods] of Object.entries(paths)) {
      for (const [method, op] of Object.entries(methods)) {
        if (!op.requestBody) continue;
        expect(Object.keys(op.responses), `${method.toUpperCase()} ${path}`).toEqual(expect.arrayContaining(['413', '415']));
      }
    }
    expect(paths['/api/customers']!.post!.responses['404']!.description).toMatch(/NOT_FOUND/);
    expect(paths['/api/users']!.post!.responses['404']!.description).toMatch(/NOT_FOUND/);
    // What the document promises is what comes back.
    const asAdmin = { authorization: `Bearer ${api.world.tokens.admin}` };
    const text = await api.app.inject({ method: 'POST', url: '/api/classify', headers: { ...asAdmin, 'content-type': 'text/plain' }, payload: 'proxy down' });
    expect([text.statusCode, text.json().error.code]).toEqual([415, 'UNSUPPORTED_MEDIA_TYPE']);
    const nowhere = await api.app.inject({ method: 'POST', url: '/api/customers', headers: asAdmin, payload: { tenantId: 'no-partner', name: 'No Partner', partnerId: 999_999, workloads: ['teams'] } });
    expect([nowhere.statusCode, nowhere.json().error.code]).toEqual([404, 'NOT_FOUND']);
  });

  it('names the role of each route that needs one', async () => {
    const paths = (await doc()).paths;
    expect(paths['/api/entitlements/{id}/status']!.put!.description).toMatch(/Needs the editor role or higher/);
    expect(paths['/api/customers']!.post!.description).toMatch(/Needs the manager role or higher/);
    expect(paths['/api/partners']!.post!.responses['403']!.description).toMatch(/admin role/);
    expect(paths['/api/entitlements']!.get!.description ?? '').not.toMatch(/Needs the/);
    // A route that needs no role names none on its 403: that answer is only for a user who must change their password.
    expect(paths['/api/entitlements']!.get!.responses['403']!.description).not.toMatch(/role|FORBIDDEN/);
    expect(paths['/api/entitlements']!.get!.responses['403']!.description).toMatch(/^PASSWORD_CHANGE_REQUIRED/);
  });

  it('lists TOKEN_NAME_TAKEN among the 409 answers of issuing a token', async () => {
    const issue = (await doc()).paths['/api/tokens']!.post!;
    expect(issue.responses['409']!.description).toMatch(/\bTOKEN_NAME_TAKEN\b/);
    expect(issue.description).toMatch(/409 TOKEN_NAME_TAKEN/);
  });

  it('describes the CSV body of the import and the CSV file of the export', async () => {
    const paths = (await doc()).paths;
    expect(paths['/api/import/entitlements']!.post!.requestBody?.content['text/csv']?.schema.type).toBe('string');
    const exported = paths['/api/export/entitlements.csv']!.get!.responses;
    expect(Object.keys(exported['200']!.content ?? {})).toEqual(['text/csv']);
    expect(Object.keys(exported['400']!.content ?? {})).toEqual(['application/json']);
  });
});
