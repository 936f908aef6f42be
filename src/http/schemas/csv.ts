import { z } from 'zod';
import { entitlementListQuery } from './entitlements.js';

/** The export's query: the list's filters and order, without paging (every matching row). */
export const exportQuery = entitlementListQuery.omit({ page: true, pageSize: true });

export const importSummary = z.object({
  rows: z.number().int(),
  customersCreated: z.number().int(),
  entitlementsCreated: z.number().int(),
  entitlementsUpdated: z.number().int(),
  unchanged: z.number().int(),
});
export type ImportSummary = z.infer<typeof importSummary>;
