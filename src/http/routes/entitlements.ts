/** Entitlements: list, read, status changes, bulk changes and history. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { bulkUpdateStatus, getEntitlement, listEntitlements, listHistory, updateStatus } from '../../tracker/index.js';
import type { Services } from '../../app/index.js';
import { actorOf } from '../auth.js';
import { errorBody, idParam, pageOf } from '../schemas/common.js';
import { bulkStatus, changeResult, entitlement, entitlementListQuery, history, statusChange } from '../schemas/entitlements.js';

export function entitlementRoutes(services: Services): FastifyPluginAsyncZod {
  return async (app) => {
    app.get('/api/entitlements', {
      schema: { tags: ['entitlements'], summary: 'List entitlements with filters, sorting and pagination', querystring: entitlementListQuery, response: { 200: pageOf(entitlement) } },
    }, async (request) => listEntitlements(services.tracker, actorOf(request), request.query));

    app.get('/api/entitlements/:id', { schema: { tags: ['entitlements'], summary: 'One entitlement', params: idParam, response: { 200: entitlement, 404: errorBody } } }, async (request) =>
      getEntitlement(services.tracker, actorOf(request), request.params.id),
    );

    app.put('/api/entitlements/:id/status', {
      config: { minRole: 'editor' },
      schema: {
        tags: ['entitlements'],
        summary: 'Change the status; send the version you read',
        description: 'Playbook rules are checked (422 RULE_VIOLATION lists each broken rule); a stale version gets 409 VERSION_CONFLICT with the current state.',
        params: idParam,
        body: statusChange,
        response: { 200: changeResult, 403: errorBody, 404: errorBody, 409: errorBody, 422: errorBody },
      },
    }, async (request) => {
      const { version, ...input } = request.body;
      return updateStatus(services.tracker, actorOf(request), request.params.id, version, input);
    });

    app.post('/api/entitlements/bulk-status', {
      config: { minRole: 'editor' },
      schema: {
        tags: ['entitlements'],
        summary: 'Change several statuses, all or nothing',
        description:
          'Taking a Duplicate/Invalid customer out of Duplicate/Invalid (restoring it) needs every one of its entitlements in the change and "restoreDuplicateInvalid": true; ' +
          'without the flag the answer is 422 RESTORE_NOT_CONFIRMED with details.customers (customerId, tenantId, customerName, entitlementIds), and nothing is saved.',
        body: bulkStatus,
        response: { 200: z.object({ items: z.array(changeResult) }), 403: errorBody, 404: errorBody, 409: errorBody, 422: errorBody },
      },
    }, async (request) => ({ items: await bulkUpdateStatus(services.tracker, actorOf(request), request.body.items, { restoreDuplicateInvalid: request.body.restoreDuplicateInvalid }) }));

    app.get('/api/entitlements/:id/history', { schema: { tags: ['entitlements'], summary: 'Every change, oldest first', params: idParam, response: { 200: z.object({ items: z.array(history) }), 404: errorBody } } }, async (request) => ({
      items: await listHistory(services.tracker, actorOf(request), request.params.id),
    }));
  };
}
