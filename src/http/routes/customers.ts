/** Customers, workloads, and the whole-customer Duplicate/Invalid change. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { addEntitlement, createCustomer, getCustomer, listCustomers, listWorkloads, markCustomerDuplicateInvalid } from '../../tracker/index.js';
import type { Services } from '../../app/index.js';
import { actorOf } from '../auth.js';
import { idParam, pageOf } from '../schemas/common.js';
import { customer, customerListQuery, duplicateInvalidBody, newCustomer, newEntitlement, workload } from '../schemas/customers.js';
import { changeResult, entitlement } from '../schemas/entitlements.js';

export function customerRoutes(services: Services): FastifyPluginAsyncZod {
  return async (app) => {
    app.get('/api/workloads', { schema: { tags: ['customers'], summary: 'The workload catalogue', response: { 200: z.object({ items: z.array(workload) }) } } }, async () => ({
      items: await listWorkloads(services.db.kysely),
    }));
    app.get('/api/customers', { schema: { tags: ['customers'], summary: 'Customers you can see', querystring: customerListQuery, response: { 200: pageOf(customer) } } }, async (request) =>
      listCustomers(services.tracker, actorOf(request), request.query),
    );
    app.post('/api/customers', { schema: { tags: ['customers'], summary: 'Create a customer with entitlements', body: newCustomer, response: { 201: customer } } }, async (request, reply) =>
      reply.status(201).send(await createCustomer(services.tracker, actorOf(request), request.body)),
    );
    app.get('/api/customers/:id', { schema: { tags: ['customers'], summary: 'One customer', params: idParam, response: { 200: customer } } }, async (request) =>
      getCustomer(services.tracker, actorOf(request), request.params.id),
    );
    app.post('/api/customers/:id/entitlements', { schema: { tags: ['customers'], summary: 'Add an entitlement (or a split part) to a customer', params: idParam, body: newEntitlement, response: { 201: entitlement } } }, async (request, reply) =>
      reply.status(201).send(await addEntitlement(services.tracker, actorOf(request), { customerId: request.params.id, ...request.body })),
    );
    app.post('/api/customers/:id/duplicate-invalid', {
      schema: { tags: ['customers'], summary: 'Mark every entitlement of the customer Duplicate/Invalid, in one change', params: idParam, body: duplicateInvalidBody, response: { 200: z.object({ items: z.array(changeResult) }) } },
    }, async (request) => ({ items: await markCustomerDuplicateInvalid(services.tracker, actorOf(request), request.params.id, request.body) }));
  };
}
