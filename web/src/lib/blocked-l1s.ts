/*
 * The Reports page's blocked L1s (pure: tests import it without a browser). A playbook of a partner's
 * own may have L1s that follow the Blocked rules (`rules: Blocked` on the L1 page; GET /api/taxonomy
 * gives them `kind: 'blocked'`): Blockers by reason and the default Ageing count them beside Blocked,
 * as the server's reports do.
 */
import { joinWords, slugify } from '../../../src/lib/text.js';
import type { AgeingReport, Taxonomy } from '../api/types.js';
import { codeColor, seriesColors } from './chart-colors.js';
import { ageingDrilldown, type Drilldown, type DrilldownScope } from './drilldown.js';
import { formatStatus } from './format.js';
import { isLeftOutOfReports } from './url-filters.js';

/**
 * The L1s that follow the Blocked rules, in the taxonomy's order, as the server finds them: the L1
 * whose id is `blocked`, and every L1 whose kind is `blocked`. Empty while the taxonomy is unknown, or
 * for a playbook with no blocked status at all.
 */
export function blockedL1s(taxonomy: Taxonomy | undefined): string[] {
  return (taxonomy?.l1s ?? []).filter((n) => n.id === 'blocked' || n.kind === 'blocked').map((n) => n.name);
}

/** `Blocked`, `Blocked and Stalled`, `Blocked, Stalled and Parked`. */
export function joinL1s(l1s: readonly string[]): string {
  return joinWords(l1s);
}

/**
 * The `l1` the Ageing report asks the server for: the one chosen; none by default, so the server counts
 * Blocked and every L1 that follows its rules. A playbook with no blocked L1 gets its first L1 the
 * reports count instead (the server's default would count an L1 the playbook lacks), so the list and the
 * chart agree.
 */
export function ageingRequestL1(chosen: string | undefined, taxonomy: Taxonomy | undefined): string | undefined {
  if (chosen) return chosen;
  if (!taxonomy || blockedL1s(taxonomy).length > 0) return undefined;
  return taxonomy.l1s.find((n) => !isLeftOutOfReports(n))?.name;
}

/**
 * The name of a reason of `l1` in a chart of the `l1s` counted: its L2 (or the L1, for none) under the
 * first L1; `Stalled / Staffing Gap` under another, so that reasons of two L1s never share a name.
 */
export function reasonName(l1s: readonly string[], l1: string, l2: string | null): string {
  return l1 === l1s[0] ? (l2 ?? l1) : formatStatus(l1, l2);
}

/**
 * The L1 of an ageing report's reason entry: the taxonomy's L1 of its code, else (a label of an older
 * playbook) the counted L1 whose slug the code starts with, as the server spells such codes.
 */
export function reasonL1(taxonomy: Taxonomy | undefined, l1s: readonly string[], code: string): string {
  const known = taxonomy?.codes.find((c) => c.id === code)?.l1;
  if (known !== undefined && l1s.includes(known)) return known;
  const prefix = code.split('/')[0] ?? code;
  return l1s.find((l1) => slugify(l1) === prefix) ?? l1s[0] ?? '';
}

type Row = Record<string, string | number>;

/** The Ageing report shaped for its chart and table (see ReportTable in pages/reports.tsx). */
export interface AgeingTable {
  rows: Row[];
  series: string[];
  colors: string[];
  links: { row?: Drilldown | undefined; cells?: Record<string, Drilldown | undefined> }[];
  facts: string[];
}

/**
 * The Ageing chart of `r`, titled from every L1 it counted (`l1s`): one series per reason, named by
 * {@link reasonName} and coloured as its code is everywhere. A bucket links to the portfolio when one L1
 * holds all of its entitlements (the portfolio filters by one L1); each reason's count always can.
 */
export function ageingTable(r: AgeingReport, taxonomy: Taxonomy | undefined, scope: DrilldownScope): AgeingTable {
  const l1s = r.l1s && r.l1s.length > 0 ? r.l1s : [r.l1];
  const reasons = r.byL2
    .filter((b) => b.total > 0)
    .map((b) => {
      const l1 = reasonL1(taxonomy, l1s, b.code);
      return { ...b, l1, name: reasonName(l1s, l1, b.l2) };
    });
  const rows = r.buckets.map((bucket, i) => {
    const row: Row = { days: bucket.label };
    if (reasons.length > 0) for (const b of reasons) row[b.name] = (Number(row[b.name]) || 0) + (b.counts[i] ?? 0);
    else row.entitlements = bucket.count;
    return row;
  });
  const total = r.buckets.reduce((s, b) => s + b.count, 0);
  const series = reasons.length > 0 ? [...new Set(reasons.map((b) => b.name))] : ['entitlements'];
  // Each reason keeps its colour whichever others are shown.
  const colorOf = new Map(reasons.map((b) => [b.name, codeColor(taxonomy, b.l1, b.l2)]));
  const colors = seriesColors(series, (name) => colorOf.get(name));
  const links = r.buckets.map((bucket, i) => {
    const byL1 = new Map<string, number>();
    for (const b of reasons) if ((b.counts[i] ?? 0) > 0) byL1.set(b.l1, (byL1.get(b.l1) ?? 0) + b.counts[i]!);
    const only = l1s.length === 1 ? l1s[0]! : byL1.size === 1 ? [...byL1.keys()][0]! : undefined;
    return {
      row: only === undefined ? undefined : ageingDrilldown(taxonomy, only, bucket, i, scope),
      cells: Object.fromEntries(reasons.map((b) => [b.name, ageingDrilldown(taxonomy, b.l1, bucket, i, scope, { l2: b.l2, count: b.counts[i] ?? 0 })])),
    };
  });
  return { rows: total === 0 ? [] : rows, series, colors, links, facts: [`${joinL1s(l1s)}, as of ${r.asOf.slice(0, 10)}: ${total} entitlement(s)`] };
}
