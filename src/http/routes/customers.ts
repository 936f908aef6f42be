/** Customers, workloads, and the whole-customer Duplicate/Invalid change. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { addEntitlement, createCustomer, deleteCustomer, getCustomer, updateCustomer, listCustomers, listWorkloads, markCustomerDuplicateInvalid } from '../../tracker/index.js';
import type { Services } from '../../app/index.js';
import { actorOf } from '../auth.js';
import { errorBody, idParam, pageOf } from '../schemas/common.js';
import { customer, customerChanges, customerListQuery, deleteCustomerQuery, deletedCustomer, duplicateInvalidBody, newCustomer, newEntitlement, workload } from '../schemas/customers.js';
import { changeResult, entitlement } from '../schemas/entitlements.js';

export function customerRoutes(services: Services): FastifyPluginAsyncZod {
  return async (app) => {
    app.get('/api/workloads', { schema: { tags: ['customers'], summary: 'The workload catalogue', response: { 200: z.object({ items: z.array(workload) }) } } }, async () => ({
      items: await listWorkloads(services.db.kysely),
    }));
    app.get('/api/customers', { schema: { tags: ['customers'], summary: 'Customers you can see', querystring: customerListQuery, response: { 200: pageOf(customer) } } }, async (request) =>
      listCustomers(services.tracker, actorOf(request), request.query),
    );
    app.post('/api/customers', {
      config: { minRole: 'manager' },
      schema: {
        tags: ['customers'],
        summary: 'Create a customer with entitlements',
        description: 'Tenant ids are unique across all partners: one already registered answers 409 CONFLICT, the same answer whichever partner has it (naming neither partner nor customer).',
        body: newCustomer,
        // 404: an admin naming a partner that does not exist (partnerId).
        response: { 201: customer, 403: errorBody, 404: errorBody, 409: errorBody },
      },
    }, async (request, reply) =>
      reply.status(201).send(await createCustomer(services.tracker, actorOf(request), request.body)),
    );
    app.get('/api/customers/:id', { schema: { tags: ['customers'], summary: 'One customer', params: idParam, response: { 200: customer, 404: errorBody } } }, async (request) =>
      getCustomer(services.tracker, actorOf(request), request.params.id),
    );
    app.patch('/api/customers/:id', {
      config: { minRole: 'manager' },
      schema: {
        tags: ['customers'],
        summary: 'Change a customer (manager: own partner; admin: any)',
        description: 'Name, managed, region, tenant id; a tenant id another customer has answers 409 CONFLICT.',
        params: idParam,
        body: customerChanges,
        response: { 200: customer, 403: errorBody, 404: errorBody, 409: errorBody },
      },
    }, async (request) => updateCustomer(services.tracker, actorOf(request), request.params.id, request.body));
    app.delete('/api/customers/:id', {
      config: { minRole: 'manager' },
      schema: {
        tags: ['customers'],
        summary: 'Delete a customer that was never worked on (manager: own partner; admin: any)',
        description:
          'Deletes the customer, its entitlements and their creation history, and records the deletion (who, when, why, what) in the audit log. ' +
          'A customer with any status change answers 409 CONFLICT: retire it with POST /api/customers/:id/duplicate-invalid, which keeps its history.',
        params: idParam,
        querystring: deleteCustomerQuery,
        response: { 200: deletedCustomer, 403: errorBody, 404: errorBody, 409: errorBody },
      },
    }, async (request) =>
      // The reason is optional: trimmed by its schema, one of only spaces is none (null in the audit log).
      deleteCustomer(services.tracker, actorOf(request), request.params.id, { reason: request.query.reason || undefined }));
    app.post('/api/customers/:id/entitlements', { config: { minRole: 'manager' }, schema: { tags: ['customers'], summary: 'Add an entitlement (or a split part) to a customer', params: idParam, body: newEntitlement, response: { 201: entitlement, 403: errorBody, 404: errorBody, 409: errorBody } } }, async (request, reply) =>
      reply.status(201).send(await addEntitlement(services.tracker, actorOf(request), { customerId: request.params.id, ...request.body })),
    );
    app.post('/api/customers/:id/duplicate-invalid', {
      config: { minRole: 'editor', errorsSay: { 409: 'CONFLICT (the customer has no entitlements) or VERSION_CONFLICT (one changed while this saved)' } },
      schema: {
        tags: ['customers'],
        summary: 'Mark every entitlement of the customer Duplicate/Invalid, in one change',
        description:
          'Each entitlement then keeps its Duplicate/Invalid code while its note, owner or dates change on their own (PUT /api/entitlements/:id/status). ' +
          'To restore the customer, move every one of its Duplicate/Invalid entitlements to another status in one POST /api/entitlements/bulk-status with "restoreDuplicateInvalid": true; ' +
          'without the flag the answer is 422 RESTORE_NOT_CONFIRMED, and a change that leaves any of them behind answers 422 RULE_VIOLATION (rule DUPLICATE_INVALID_WHOLE_CUSTOMER). ' +
          'A customer without entitlements answers 409 CONFLICT (delete it instead); an entitlement changed by someone else while this saves answers 409 VERSION_CONFLICT, and nothing is saved.',
        params: idParam,
        body: duplicateInvalidBody,
        response: { 200: z.object({ items: z.array(changeResult) }), 403: errorBody, 404: errorBody, 409: errorBody },
      },
    }, async (request) => ({ items: await markCustomerDuplicateInvalid(services.tracker, actorOf(request), request.params.id, request.body) }));
  };
}
