/** Shared request/response pieces. Zod schemas are the single source of the API's types. */
import { z } from 'zod';

/** How a refused value is quoted in a message: as sent, cut short when long. */
function quoted(value: unknown): string {
  const text = String(value);
  return JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}...` : text);
}

/**
 * A calendar date `YYYY-MM-DD` that exists. One mistake gets one message: a date written otherwise
 * ("15/01/2027") is told how to write it, and only a well-written date that does not exist
 * (2027-02-30) is told it is not a real date (`abort` stops zod from running that check too).
 */
export const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, { abort: true, error: (issue) => `must be a date written YYYY-MM-DD, such as 2027-01-15, not ${quoted(issue.input)}` })
  .refine((v) => {
    const d = new Date(`${v}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === v;
  }, 'must be a real calendar date');

/** The largest id (and version) the stores hold: PostgreSQL's integer columns stop here, so a larger one is refused as input (400), never sent to the database. */
export const MAX_ID = 2_147_483_647;
/** A row id in a JSON body. */
export const idNumber = z.number().int().positive().max(MAX_ID);
/**
 * A row id in a path or query string: decimal digits only (a plain coercion took `0x10` as 16 and
 * `1e3` as 1000), then a whole number in range.
 */
export const idQuery = z
  .string()
  .regex(/^\d+$/, 'must be a positive whole number written in decimal digits, such as 42')
  .pipe(z.coerce.number<string>().int().positive().max(MAX_ID));

export const idParam = z.object({ id: idQuery });

export const errorBody = z.object({
  error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }),
});
export type ErrorBody = z.infer<typeof errorBody>;

export const roleSchema = z.enum(['admin', 'manager', 'editor', 'viewer']);

/** Page envelope for list responses. */
export function pageOf<T extends z.ZodType>(item: T) {
  return z.object({
    items: z.array(item),
    total: z.number().int().describe('Every matching row, counted exactly (entitlements: a text search matching over 10,000 rows counts up to 10,000)'),
    totalCapped: z.boolean().optional().describe('True when more rows match than `total` says (only a broad entitlement text search)'),
    page: z.number().int(),
    pageSize: z.number().int(),
  });
}

export const paging = {
  page: z.coerce.number().int().min(1).max(100_000).optional(),
  pageSize: z.coerce.number().int().min(1).max(500).optional(),
};

/** Standard error responses, for the OpenAPI document. */
export const errorResponses = {
  400: errorBody,
  401: errorBody,
  403: errorBody,
  404: errorBody,
} as const;
