import { z } from 'zod';

export const importSummary = z.object({
  rows: z.number().int(),
  customersCreated: z.number().int(),
  entitlementsCreated: z.number().int(),
  entitlementsUpdated: z.number().int(),
  unchanged: z.number().int(),
});
export type ImportSummary = z.infer<typeof importSummary>;
