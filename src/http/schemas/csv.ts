import { z } from 'zod';
import { entitlementListQuery } from './entitlements.js';

/**
 * The export's query: the list's filters and order, without paging (every matching row), and the user
 * the request believes it acts as (`user`, checked with the sign-in: src/http/auth.ts).
 */
export const exportQuery = entitlementListQuery.omit({ page: true, pageSize: true }).extend({
  // Trimmed before its length is checked, as the header's value is trimmed before it is compared.
  user: z
    .string()
    .trim()
    .max(40)
    .optional()
    .describe(
      'The id of the user the client believes it acts as, as the X-Unblock-User header names it (the web app writes it in the export link, ' +
        'which a browser may fetch without the app: "Save link as", a new tab). Another user than the token\'s or session\'s, or a value that is ' +
        'no id (empty, repeated), answers 401 SESSION_CHANGED before anything is read. Without it the export answers as before.',
    ),
});

export const importSummary = z.object({
  rows: z.number().int(),
  customersCreated: z.number().int(),
  entitlementsCreated: z.number().int(),
  entitlementsUpdated: z.number().int(),
  unchanged: z.number().int(),
  warnings: z.array(z.object({
    line: z.number().int().describe('The row\'s line in the file, numbered as in the 422 CSV_INVALID row report'),
    code: z.string().describe('WEAK_NOTE or NOTE_READS_AS_OTHER_CODE, as on a single status change'),
    message: z.string(),
  })).describe('Warnings about the imported notes, in file order: rows whose note or code changed, graded and classified (none with ?advise=false). At most 500; warningCount counts them all.'),
  warningCount: z.number().int(),
  dryRun: z.boolean().describe('True for `?dryRun=true`: nothing was written, and the counts say what the import would do'),
  notice: z.string().optional().describe('About the file as a whole, when there is something to say; absent otherwise. A file of the export\'s header alone (the export of a filter that matched nothing) imports as a change of nothing: rows 0 and this notice.'),
});
export type ImportSummary = z.infer<typeof importSummary>;

/**
 * `details` of the import's 409 VERSION_CONFLICT: the rows of the file whose entitlements changed while
 * the file was imported, in file order (at most 100; `conflictingRows` counts them all).
 */
export const importConflictDetails = z.object({
  rows: z.array(z.object({
    line: z.number().int().describe('The row\'s line in the file, numbered as in the 422 CSV_INVALID row report'),
    id: z.number().int().describe('The entitlement the row names'),
    fileVersion: z.number().int().nullable().describe('The row\'s `version` cell; null when the file has no version column or the cell is empty'),
    readVersion: z.number().int().describe('The version the import read before writing'),
    currentVersion: z.number().int().nullable().describe('The version stored now; null when the entitlement has been deleted'),
  })),
  conflictingRows: z.number().int(),
  truncated: z.boolean(),
});
export type ImportConflictDetails = z.infer<typeof importConflictDetails>;
