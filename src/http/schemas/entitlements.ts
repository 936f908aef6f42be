import { z } from 'zod';
import { TEXT_LIMITS as MAX } from '../../tracker/index.js';
import { idNumber, idQuery, isoDate, MAX_ID, paging, wholeNumberQuery } from './common.js';

const text = (max: number) => z.string().max(max);

/** Status fields of a change; omitted fields keep their value, null clears. Strict, as every request body: an unknown field is refused (and so is it in the bodies extended from this one). */
export const statusInput = z.strictObject({
  code: text(MAX.code).optional().describe('Taxonomy code id, e.g. blocked/legal-regulatory (alternative to l1 + l2)'),
  l1: text(MAX.l1).optional(),
  l2: text(MAX.l2).nullable().optional(),
  l3: text(MAX.l3).nullable().optional(),
  note: text(MAX.note).optional(),
  targetDate: isoDate.nullable().optional(),
  engagementStartDate: isoDate.nullable().optional(),
  businessReason: text(MAX.businessReason).nullable().optional(),
  owner: text(MAX.owner).nullable().optional(),
  nextAction: text(MAX.nextAction).nullable().optional(),
  nextActionDate: isoDate.nullable().optional(),
  projectedUnblockDate: isoDate.nullable().optional(),
});
export type StatusInputBody = z.infer<typeof statusInput>;

export const statusChange = statusInput
  .extend({ version: z.number().int().min(1).max(MAX_ID).describe('The version you read; a stale one gets 409 VERSION_CONFLICT') })
  // No date in the example, so that it never goes out of date: an owner and the next step of a new entitlement (version 1).
  .meta({ example: { version: 1, owner: 'Maya Lindqvist', nextAction: 'Ask the network team when the proxy exception for Exchange Online is due.' } });
export type StatusChangeBody = z.infer<typeof statusChange>;

export const bulkStatus = z.strictObject({
  items: z.array(statusChange.extend({ id: idNumber })).min(1).max(1000),
  restoreDuplicateInvalid: z
    .boolean()
    .optional()
    .describe(
      'Set true to take Duplicate/Invalid customers out of Duplicate/Invalid (restore them) with this change. Without it, a change that moves any Duplicate/Invalid entitlement ' +
        'to another status answers 422 RESTORE_NOT_CONFIRMED naming the customers, and nothing is saved. Changes that keep the Duplicate/Invalid code need no flag.',
    ),
});
export type BulkStatusBody = z.infer<typeof bulkStatus>;

/** `details` of the bulk change's 422 RESTORE_NOT_CONFIRMED: the Duplicate/Invalid customers the change would restore. */
export const restoreNotConfirmedDetails = z.object({
  customers: z.array(z.object({
    customerId: z.number().int(),
    tenantId: z.string(),
    customerName: z.string(),
    entitlementIds: z.array(z.number().int()).describe('The entitlements of the change that leave Duplicate/Invalid'),
  })),
  flag: z.literal('restoreDuplicateInvalid').describe('The body field that confirms the restore'),
});
export type RestoreNotConfirmedDetails = z.infer<typeof restoreNotConfirmedDetails>;

export const statusSnapshot = z.object({
  code: z.string(),
  l1: z.string(),
  l2: z.string().nullable(),
  l3: z.string().nullable(),
  taxonomyVersion: z.string(),
  note: z.string(),
  targetDate: z.string().nullable(),
  engagementStartDate: z.string().nullable(),
  businessReason: z.string().nullable(),
  owner: z.string().nullable(),
  nextAction: z.string().nullable(),
  nextActionDate: z.string().nullable(),
  projectedUnblockDate: z.string().nullable(),
});

export const entitlement = statusSnapshot.extend({
  id: z.number().int(),
  customerId: z.number().int(),
  customerName: z.string(),
  tenantId: z.string(),
  partnerId: z.number().int(),
  workload: z.string(),
  workloadName: z.string(),
  part: z.string(),
  noteGrade: z.string().nullable(),
  version: z.number().int(),
  updatedBy: z.number().int().nullable(),
  updatedAt: z.string(),
  since: z.string(),
  daysInStatus: z.number().int(),
});
export type Entitlement = z.infer<typeof entitlement>;

export const warning = z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() });
export const changeResult = z.object({ entitlement, warnings: z.array(warning) });
export type ChangeResultBody = z.infer<typeof changeResult>;

export const SORT_FIELDS = ['id', 'customer', 'workload', 'l1', 'l2', 'owner', 'since', 'updatedAt', 'targetDate', 'projectedUnblockDate'] as const;

/** What an L1, L2 or code filter answers for a value the playbook lacks (the lists', the export's and the reports'). */
export const UNKNOWN_LABEL =
  'A value of an older playbook still filters while entitlements you can see carry it; any other answers 400 UNKNOWN_CODE, whose details name the field and list the valid values.';

/** The `l1` filter of the list, the export and the reports. */
export const L1_FILTER = `L1 name in any case and spacing, or its id, e.g. Blocked, "in progress" or in-progress. ${UNKNOWN_LABEL}`;

/**
 * A number of days in a query string, in decimal digits (see {@link wholeNumberQuery}). One of only
 * spaces is refused as empty, as `page` is (coerced, it was 0: `maxDays=%20` listed only the
 * entitlements changed today); an empty one is left out before.
 */
const daysQuery = wholeNumberQuery({ min: 0, max: 100_000, unit: 'days', example: 30 });

/** Filters for lists, exports and reports. */
export const entitlementFilter = z.object({
  l1: text(200).optional().describe(`${L1_FILTER} Empty: no filter.`),
  l2: text(200).optional().describe('L2 name in any case and spacing, or the part of its code id after the slash, e.g. Legal/Regulatory or legal-regulatory. ' + UNKNOWN_LABEL + ' Empty: no filter.'),
  code: text(200).optional().describe('Code id, e.g. blocked/legal-regulatory. ' + UNKNOWN_LABEL + ' Empty: no filter.'),
  workload: text(100).optional().describe('Workload slug or name, e.g. exchange-online or Exchange Online (400 UNKNOWN_CODE for another)'),
  owner: text(200).optional().describe('Owner name, whole, case and surrounding spaces ignored. Empty or only spaces: no filter.'),
  partnerId: idQuery.optional(),
  customerId: idQuery.optional(),
  minDays: daysQuery.optional().describe('At least this many days in the current status: a whole number from 0 to 100,000, in decimal digits'),
  maxDays: daysQuery.optional().describe('At most this many days in the current status: a whole number from 0 to 100,000, in decimal digits; below minDays answers 400 BAD_ARGUMENTS'),
  q: text(200).optional().describe('Words that must all occur in the note, owner, customer name or workload name (any order, case ignored, the last word also as a prefix unless followed by a space), or an exact tenant id'),
});
export type EntitlementFilterQuery = z.infer<typeof entitlementFilter>;

export const entitlementListQuery = entitlementFilter.extend({
  sort: z.enum(SORT_FIELDS).optional(),
  // In any case (DESC, Asc): a URL written by hand is read as meant.
  order: z.preprocess((v) => (typeof v === 'string' ? v.toLowerCase() : v), z.enum(['asc', 'desc'])).optional().describe('asc or desc, in any case'),
  ...paging,
});
export type EntitlementListQuery = z.infer<typeof entitlementListQuery>;

export const history = z.object({
  id: z.number().int(),
  entitlementId: z.number().int(),
  kind: z.enum(['create', 'update', 'bulk', 'duplicate-invalid', 'import']),
  changedBy: z.number().int().nullable(),
  changedByName: z.string(),
  changedAt: z.string(),
  fromCode: z.string().nullable(),
  toCode: z.string(),
  daysInPrevious: z.number().int().nullable(),
  before: statusSnapshot.nullable(),
  after: statusSnapshot,
  noteGrade: z.string().nullable(),
  noteScore: z.number().nullable(),
  suggestion: z.object({ code: z.string(), l1: z.string(), l2: z.string().nullable(), confidence: z.number(), abstained: z.boolean() }).nullable(),
});
export type History = z.infer<typeof history>;
