import { z } from 'zod';
import { idQuery, isoDate, wholeNumberQuery } from './common.js';
import { L1_FILTER } from './entitlements.js';

export const COUNT_DIMENSIONS = ['l1', 'l2', 'workload', 'partner', 'owner'] as const;

const scopeFilter = {
  partnerId: idQuery.optional(),
  workload: z.string().max(100).optional(),
};

export const countsQuery = z.object({ by: z.enum(COUNT_DIMENSIONS).default('l1'), l1: z.string().max(200).optional().describe(`Only this L1 (empty: every L1). ${L1_FILTER}`), ...scopeFilter });
export const countsReport = z.object({
  by: z.enum(COUNT_DIMENSIONS),
  total: z.number().int(),
  rows: z.array(z.object({ key: z.string(), label: z.string(), l1: z.string().nullable(), count: z.number().int() })),
});
export type CountsReport = z.infer<typeof countsReport>;

export const ageingQuery = z.object({ l1: z.string().max(200).optional().describe(`Days in this L1; default (also when empty) Blocked, with every L1 of the playbook's own that follows the Blocked rules. ${L1_FILTER}`), ...scopeFilter });
export const ageingReport = z.object({
  l1: z.string().describe('The L1 counted: the one asked for, else Blocked'),
  l1s: z.array(z.string()).describe("Every L1 counted: the one asked for, else Blocked and each L1 of the playbook's own that follows its rules (`rules: Blocked`)"),
  asOf: z.string(),
  buckets: z.array(z.object({ label: z.string(), minDays: z.number().int(), maxDays: z.number().int().nullable(), count: z.number().int() })),
  byL2: z.array(z.object({ code: z.string(), l2: z.string().nullable(), total: z.number().int(), counts: z.array(z.number().int()) })),
});
export type AgeingReport = z.infer<typeof ageingReport>;

export const forecastQuery = z.object({
  weeks: wholeNumberQuery({ min: 1, max: 104, unit: 'weeks', example: 12 }).optional().describe('Weeks from today to forecast: a whole number from 1 to 104, in decimal digits (default 12)'),
  ...scopeFilter,
});
export const forecastReport = z.object({
  asOf: z.string(),
  weeks: z.array(z.object({ weekStart: z.string(), projected: z.number().int(), expected: z.number().int() })),
  overdue: z.number().int().describe('Blocked entitlements whose projected unblock date is before today (in no week)'),
  expectedOverdue: z.number().int().describe('Blocked entitlements whose expected date from history is before today (in no week)'),
  outsideWindow: z.object({ projected: z.number().int(), expected: z.number().int() }),
  total: z.number().int().describe('Blocked entitlements in scope; each series (overdue, weeks, outside the window) adds up to it'),
  timeToClear: z.array(z.object({ code: z.string(), cleared: z.number().int(), averageDays: z.number().nullable() })),
});
export type ForecastReport = z.infer<typeof forecastReport>;

export const periodQuery = z.object({ from: isoDate.optional(), to: isoDate.optional(), partnerId: idQuery.optional() });
export const noteQualityReport = z.object({
  from: z.string(),
  to: z.string(),
  months: z.array(z.object({ month: z.string(), changes: z.number().int(), graded: z.number().int(), grades: z.record(z.string(), z.number().int()), averageScore: z.number().nullable() })),
});
export type NoteQualityReport = z.infer<typeof noteQualityReport>;

export const flowQuery = periodQuery.extend({ level: z.enum(['code', 'l1']).optional() });
export const flowReport = z.object({ from: z.string(), to: z.string(), level: z.enum(['code', 'l1']), rows: z.array(z.object({ from: z.string(), to: z.string(), count: z.number().int() })) });
export type FlowReport = z.infer<typeof flowReport>;
