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

/** How a refused query value is named after "not": as written when it reads as a number (`0x10`, `1e400`), else quoted (`"abc"`, `" 5"`); cut short when long. */
function sentValue(raw: string): string {
  const text = raw.length > 40 ? `${raw.slice(0, 40)}...` : raw;
  return Number.isNaN(Number(raw)) || /\s/.test(raw) ? JSON.stringify(text) : text;
}

/** The bounds and words of a {@link wholeNumberQuery}. */
export interface WholeNumberQuery {
  min: number;
  max: number;
  /** What it counts, for the messages (`days`: "must be a whole number of days ..."); none for a plain number. */
  unit?: string;
  /** A typical value, shown in the message that refuses another form. */
  example: number;
}

/**
 * A whole number in a query string, written in decimal digits only (leading zeros allowed), then held
 * to `min`..`max`. A coercion with `Number()` read `0x10` as 16, `1e2` as 100, `+5`, ` 5` and `5.0` as
 * 5 and `0b11` as 3; every such form (a fraction and text too) is refused with one message naming the
 * value as sent: `must be a whole number of days written in decimal digits, such as 30, not 1e2`. A
 * minus sign is read where `min` is below 0, else it is below the range as written (`must be at least
 * 0, not -1`). One of only spaces is refused as empty (a blank one is left out before: see
 * validation.ts). The OpenAPI document shows it as text of decimal digits, the range in its description.
 */
export function wholeNumberQuery({ min, max, unit, example }: WholeNumberQuery) {
  const noun = unit ? `a whole number of ${unit}` : 'a whole number';
  const negatives = min < 0;
  return z
    .string()
    .transform((raw, ctx): number => {
      const fail = (message: string) => {
        ctx.addIssue({ code: 'custom', message });
        return z.NEVER;
      };
      if (raw.trim() === '') return fail(`must be ${noun}; it is empty`);
      if (!/^-?\d+$/.test(raw)) return fail(`must be ${noun} written in decimal digits, such as ${example}, not ${sentValue(raw)}`);
      // `-0` is 0 to Number() but a minus sign all the same: below a range that starts at 0, as written.
      const value = Number(raw);
      if (value < min || (!negatives && raw.startsWith('-'))) return fail(`must be at least ${min}, not ${sentValue(raw)}`);
      if (value > max) return fail(`must be at most ${max}, not ${sentValue(raw)}`);
      return value === 0 ? 0 : value;
    })
    .meta({
      pattern: negatives ? '^-?\\d+$' : '^\\d+$',
      description: `${noun.charAt(0).toUpperCase()}${noun.slice(1)} from ${min} to ${max.toLocaleString('en')}, in decimal digits`,
    });
}

export const paging = {
  page: wholeNumberQuery({ min: 1, max: 100_000, example: 2 }).optional().describe('The page, a whole number from 1 to 100,000, in decimal digits (default 1)'),
  pageSize: wholeNumberQuery({ min: 1, max: 500, example: 50 }).optional().describe('Rows per page, a whole number from 1 to 500, in decimal digits (default 50)'),
};

/** Standard error responses, for the OpenAPI document. */
export const errorResponses = {
  400: errorBody,
  401: errorBody,
  403: errorBody,
  404: errorBody,
} as const;
