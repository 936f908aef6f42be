import { z } from 'zod';
import { TEXT_LIMITS as MAX } from '../../tracker/index.js';
import { idNumber, idQuery, paging } from './common.js';

export const customer = z.object({
  id: z.number().int(),
  partnerId: z.number().int(),
  tenantId: z.string(),
  name: z.string(),
  managed: z.boolean(),
  region: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  entitlementCount: z.number().int(),
});
export type Customer = z.infer<typeof customer>;

export const newCustomer = z.strictObject({
  tenantId: z.string().trim().min(1).max(MAX.tenantId),
  name: z.string().trim().min(1).max(MAX.customerName),
  partnerId: idNumber.optional().describe('Required for admins; others create in their own partner'),
  managed: z.boolean().optional(),
  region: z.string().max(MAX.region).nullable().optional(),
  workloads: z.array(z.string().max(MAX.workload)).max(100).optional().describe('Workload slugs; each entitlement starts as Status Unknown / New Subscription or Workload'),
})
  // The interactive docs' "Try it out" starts from this body (a manager's: an admin adds partnerId).
  .meta({ example: { tenantId: 'contoso-pharma.example', name: 'Contoso Pharma', managed: true, region: 'EMEA', workloads: ['exchange-online', 'teams'] } });
export type NewCustomer = z.infer<typeof newCustomer>;

export const customerChanges = z
  .object({
    name: z.string().trim().min(1).max(MAX.customerName).optional(),
    managed: z.boolean().optional(),
    region: z.string().max(MAX.region).nullable().optional().describe('null (or empty) clears it'),
    tenantId: z.string().trim().min(1).max(MAX.tenantId).optional().describe('Must stay unique across all customers (409 CONFLICT otherwise)'),
  })
  .strict()
  // Only when nothing else is wrong: a body of misspelt fields alone (`{"nme": "x"}`) is not empty, its fields are unknown.
  .refine((v) => Object.keys(v).length > 0, { message: 'is empty: send at least one of name, managed, region, tenantId', when: (payload) => payload.issues.length === 0 });
export type CustomerChanges = z.infer<typeof customerChanges>;

export const deleteCustomerQuery = z.object({ reason: z.string().trim().max(1000).optional().describe('Why; kept in the audit log, without surrounding spaces (one of only spaces is none)') });

export const deletedCustomer = z.object({
  customer: customer.describe('The customer as it was'),
  entitlementsDeleted: z.number().int(),
  auditId: z.number().int().describe('The audit log entry that records the deletion'),
});
export type DeletedCustomer = z.infer<typeof deletedCustomer>;

export const customerListQuery = z.object({ q: z.string().max(200).optional(), partnerId: idQuery.optional(), ...paging });

export const newEntitlement = z.strictObject({ workload: z.string().min(1).max(MAX.workload), part: z.string().max(MAX.part).optional().describe('Name of a split part (region, subsidiary)') });

export const duplicateInvalidBody = z.strictObject({ note: z.string().trim().min(1).max(MAX.note).describe('Why the tenant is a duplicate or invalid; it replaces every entitlement\'s note, so it may not be blank') });

export const workload = z.object({ id: z.number().int(), slug: z.string(), name: z.string() });
export type Workload = z.infer<typeof workload>;
