import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, type MouseEvent as ReactMouseEvent, type ReactNode } from 'react';
import { Bar, BarChart, CartesianGrid, DefaultLegendContent, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis, type DefaultLegendContentProps } from 'recharts';
import { api, type AgeingReport, type CountsReport, type FlowReport, type ForecastReport, type NoteQualityReport, type Taxonomy } from '../api/client.js';
import { Empty, ErrorMessage, Loading } from '../components/states.js';
import { GRADE_COLORS, seriesColors } from '../lib/chart-colors.js';
import { watchChartLayers } from '../lib/chart-focus.js';
import { downloadPng, downloadSvg } from '../lib/chart-export.js';
import { AXIS_LABEL_PX, chartHeight, fitLabel, labelAxisWidth } from '../lib/chart-layout.js';
import { toCsv } from '../lib/csv.js';
import { downloadBlob } from '../lib/download.js';
import { ageingRequestL1, ageingTable, blockedL1s, joinL1s, reasonName } from '../lib/blocked-l1s.js';
import { reasonDrilldown, type Drilldown } from '../lib/drilldown.js';
import { findFollowedLink, focusFollowedLink, forgetFollowedLink, rememberFollowedLink, type FollowedLink } from '../lib/focus.js';
import { formatStatus } from '../lib/format.js';
import { usePartners, useTaxonomy, useWorkloads } from '../lib/reference-data.js';
import { goTo, keepTyped, navigate, toHref, type Route } from '../lib/router.js';
import { useAsync } from '../lib/use-async.js';
import { checkReportFilters, checkTypedPeriod, describeDroppedReportFilters, isLeftOutOfReports, REPORT_FILTER_KEYS, type ReportFilters, type TypedDate, type TypedPeriodProblem } from '../lib/url-filters.js';

type Cell = string | number;
type Row = Record<string, Cell>;

/** A report shaped for a chart: rows keyed by column, the category column, and the numeric series drawn. */
export interface ReportTable {
  rows: Row[];
  category: string;
  series: string[];
  /** Rows drawn when the chart shows fewer than the table (default: all rows). */
  chartRows?: Row[];
  /** Extra facts shown above the chart (e.g. overdue counts). */
  facts: string[];
  /** Rows added after `rows` in the CSV only, in the same columns (e.g. the forecast's overdue and total counts). */
  csvExtraRows?: Row[];
  /** The colour of each series, when its series are codes (each keeps its colour in every chart); otherwise by position. */
  colors?: string[];
  /**
   * Where each row leads, by its index in `rows` (and in the chart's rows, which begin with them): the
   * portfolio listing the entitlements it counted. `row` links the category cell, `cells` a series' cell.
   */
  links?: RowLinks[];
}

/** The links of one report row: the row's own, and its series cells'. */
export interface RowLinks {
  row?: Drilldown | undefined;
  cells?: Record<string, Drilldown | undefined>;
}

/** True when some row of the report leads to the portfolio (its chart's bars then show a pointer). */
function hasLinks(table: ReportTable): boolean {
  return !!table.links?.some((l) => l.row !== undefined || Object.values(l.cells ?? {}).some((d) => d !== undefined));
}

/**
 * Where the chart's bar of `column` in row `index` leads: its cell's link when the row has links per
 * cell (none for a cell without one, see drilldown.ts), else the row's.
 */
function barLink(table: ReportTable, index: number, column: string): Drilldown | undefined {
  const links = table.links?.[index];
  if (!links) return undefined;
  return links.cells && column in links.cells ? links.cells[column] : links.row;
}

type FilterName = keyof ReportFilters;

interface ReportSpec {
  name: string;
  title: string;
  description: string;
  /** Horizontal bars for long category labels; stacked when the series add up to a whole. */
  layout: 'horizontal' | 'vertical';
  stacked: boolean;
  filters: FilterName[];
  /** What the report says when it has nothing to show and no filter is chosen: what there is none of. */
  empty: string;
  load: (query: Record<string, string | undefined>, signal: AbortSignal, taxonomy: Taxonomy | undefined) => Promise<ReportTable>;
}

function codeLabel(taxonomy: Taxonomy | undefined, id: string): string {
  const code = taxonomy?.codes.find((c) => c.id === id);
  if (code) return formatStatus(code.l1, code.l2);
  return taxonomy?.l1s.find((n) => n.id === id)?.name ?? id;
}

/**
 * The L1 the Ageing list shows when none is chosen: the one blocked L1, else (a playbook with no blocked
 * L1) the first L1 the reports count, so the list and the chart agree. Undefined when several L1s follow
 * the Blocked rules: the list then shows them together (its first option).
 */
function defaultAgeingL1(taxonomy: Taxonomy | undefined): string | undefined {
  const blocked = blockedL1s(taxonomy);
  if (blocked.length > 1) return undefined;
  return blocked[0] ?? ageingRequestL1(undefined, taxonomy);
}

/** The shortest unambiguous name of a code: its L2, or its L1 when it has none. */
function shortCodeLabel(taxonomy: Taxonomy | undefined, id: string): string {
  const code = taxonomy?.codes.find((c) => c.id === id);
  return code ? (code.l2 ?? code.l1) : codeLabel(taxonomy, id);
}

/** Most moves drawn in the flow chart; the data table and CSV keep every row. */
const FLOW_CHART_LIMIT = 20;

export const REPORTS: ReportSpec[] = [
  {
    name: 'blockers',
    title: 'Blockers by reason',
    description: 'Blocked entitlements per L2 reason.',
    layout: 'horizontal',
    stacked: false,
    filters: ['workload', 'partnerId'],
    empty: 'No entitlement you can see is blocked, so there is no reason to count.',
    load: async (q, signal, taxonomy) => {
      // Blocked and every L1 of the playbook's own that follows its rules (kind `blocked`), one count each.
      const blocked = taxonomy ? blockedL1s(taxonomy) : ['Blocked'];
      // A playbook of a partner's own with no Blocked status has no blockers (the server refused the L1).
      if (blocked.length === 0) return { rows: [], category: 'reason', series: ['entitlements'], facts: ['This playbook has no Blocked status, so no entitlement counts as blocked.'] };
      const reports = await Promise.all(blocked.map((l1) => api.getReport<CountsReport>('counts', { by: 'l2', l1, workload: q.workload, partnerId: q.partnerId }, signal)));
      const rows = reports.flatMap((r, i) => r.rows.map((row) => ({ ...row, l1: row.l1 ?? blocked[i]! }))).sort((a, b) => b.count - a.count);
      const total = reports.reduce((sum, r) => sum + r.total, 0);
      return {
        rows: rows.map((row) => ({ reason: reasonName(blocked, row.l1, row.label === row.l1 ? null : row.label), entitlements: row.count })),
        links: rows.map((row) => ({ row: reasonDrilldown(taxonomy, row, q) })),
        category: 'reason',
        series: ['entitlements'],
        facts: [blocked.length > 1 ? `${total} blocked in total (${joinL1s(blocked)})` : `${total} blocked in total`],
      };
    },
  },
  {
    name: 'ageing',
    title: 'Ageing',
    description: 'How long entitlements have been in their current status, as a distribution, split by reason.',
    layout: 'vertical',
    stacked: true,
    filters: ['l1', 'workload', 'partnerId'],
    empty: 'No entitlement you can see is in this status now, so there is no age to show.',
    load: async (q, signal, taxonomy) => {
      // By default no L1 is sent: the server counts Blocked and every L1 that follows its rules (`l1s`).
      const r = await api.getReport<AgeingReport>('ageing', { l1: ageingRequestL1(q.l1, taxonomy), workload: q.workload, partnerId: q.partnerId }, signal);
      // A bucket leads to its entitlements in the portfolio, and each reason's count in it to that reason's.
      return { ...ageingTable(r, taxonomy, q), category: 'days' };
    },
  },
  {
    name: 'forecast',
    title: 'Unblock forecast',
    description: 'Blocked entitlements expected to unblock per week: from their projected dates, and from how long each reason took to clear before.',
    layout: 'vertical',
    stacked: false,
    filters: ['weeks', 'workload', 'partnerId'],
    empty: 'No blocked entitlement is expected to unblock in the weeks shown.',
    load: async (q, signal) => {
      const r = await api.getReport<ForecastReport>('forecast', { weeks: q.weeks, workload: q.workload, partnerId: q.partnerId }, signal);
      const rows = r.weeks.map((w) => ({ week: w.weekStart, 'projected date': w.projected, 'history of the reason': w.expected }));
      const any = rows.some((row) => row['projected date'] > 0 || row['history of the reason'] > 0);
      return {
        rows: any ? rows : [],
        // The counts shown above the chart, after the weeks, in the same two columns.
        csvExtraRows: [
          { week: 'overdue', 'projected date': r.overdue, 'history of the reason': r.expectedOverdue },
          { week: 'beyond the window', 'projected date': r.outsideWindow.projected, 'history of the reason': r.outsideWindow.expected },
          { week: 'total blocked', 'projected date': r.total, 'history of the reason': r.total },
        ],
        category: 'week',
        series: ['projected date', 'history of the reason'],
        // With no reason ever cleared (a new partner), history expects nothing: the API counts those rows
        // beyond the window, which would read as a forecast made from a history there is not.
        facts: [
          `${r.total} blocked in all`,
          `${r.overdue} overdue (projected date passed)`,
          ...(r.timeToClear.length === 0 && r.total > 0
            ? [`beyond the window: ${r.outsideWindow.projected} projected`, 'none expected from history: no blocked entitlement has been unblocked yet']
            : [`${r.expectedOverdue} past the date their reason's history expected`, `beyond the window: ${r.outsideWindow.projected} projected, ${r.outsideWindow.expected} from history`]),
        ],
      };
    },
  },
  {
    name: 'quality',
    title: 'Note quality',
    description: 'Grades of the notes written with each status change, per month.',
    layout: 'vertical',
    stacked: true,
    filters: ['from', 'to', 'partnerId'],
    empty: 'No note was graded in this period: no status change with a note was saved.',
    load: async (q, signal) => {
      const r = await api.getReport<NoteQualityReport>('note-quality', { from: q.from, to: q.to, partnerId: q.partnerId }, signal);
      const grades = [...new Set(r.months.flatMap((m) => Object.keys(m.grades)))];
      const order = ['great', 'marginal', 'poor'];
      grades.sort((a, b) => (order.indexOf(a) + 1 || 99) - (order.indexOf(b) + 1 || 99));
      const rows = r.months.map((m) => {
        // Out of 100, as the note coach shows a note's score.
        const row: Row = { month: m.month, 'average score (of 100)': m.averageScore === null ? '' : Math.round(m.averageScore * 100) };
        for (const g of grades) row[g] = m.grades[g] ?? 0;
        return row;
      });
      return { rows: r.months.some((m) => m.graded > 0) ? rows : [], category: 'month', series: grades, colors: seriesColors(grades, (g) => GRADE_COLORS[g]), facts: [`${r.from.slice(0, 10)} to ${r.to.slice(0, 10)}`] };
    },
  },
  {
    name: 'flow',
    title: 'Status flow',
    description: 'How many entitlements moved from each code to each other code in the period.',
    layout: 'horizontal',
    stacked: false,
    filters: ['level', 'from', 'to', 'partnerId'],
    empty: 'No entitlement changed status in this period.',
    load: async (q, signal, taxonomy) => {
      const r = await api.getReport<FlowReport>('flow', { level: q.level, from: q.from, to: q.to, partnerId: q.partnerId }, signal);
      const rows = [...r.rows]
        .sort((a, b) => b.count - a.count)
        .map((row) => ({ move: `${shortCodeLabel(taxonomy, row.from)} → ${shortCodeLabel(taxonomy, row.to)}`, from: codeLabel(taxonomy, row.from), to: codeLabel(taxonomy, row.to), moves: row.count }));
      const facts = [`${r.from.slice(0, 10)} to ${r.to.slice(0, 10)}, by ${r.level === 'l1' ? 'L1' : 'code'}`];
      if (rows.length > FLOW_CHART_LIMIT) facts.push(`chart shows the ${FLOW_CHART_LIMIT} largest of ${rows.length} moves; the table and CSV have all`);
      return { rows, chartRows: rows.slice(0, FLOW_CHART_LIMIT), category: 'move', series: ['moves'], facts };
    },
  },
];

/** The chart's legend as recharts draws it, reporting the height it takes (it wraps on a narrow chart). */
function MeasuredLegend({ onHeight, ...props }: DefaultLegendContentProps & { onHeight: (height: number) => void }) {
  const ref = useRef<HTMLDivElement>(null);
  useLayoutEffect(() => {
    const element = ref.current;
    if (!element) return;
    const report = () => onHeight(Math.ceil(element.getBoundingClientRect().height));
    report();
    const observer = new ResizeObserver(report);
    observer.observe(element);
    return () => observer.disconnect();
  }, [onHeight]);
  return (
    <div ref={ref}>
      <DefaultLegendContent {...props} />
    </div>
  );
}

/**
 * The label axis's ticks at 12 px. The size goes in `style` too, with its unit: recharts measures the words it wraps
 * a label into with the text's style, and without it measured them at the page's 15 px, wrapping
 * labels that fit two lines into three, over their neighbours.
 */
const AXIS_LABEL_TICK = { fontSize: AXIS_LABEL_PX, style: { fontSize: `${AXIS_LABEL_PX}px` } };

/** The accessible name of a report's chart: its figure and its keyboard layer ("Blockers by reason chart"). */
function chartName(spec: ReportSpec): string {
  return `${spec.title} chart`;
}

/**
 * What the chart's keyboard layer does, as its description, per layout. Recharts takes only the left and
 * right arrow keys, and moves through the rows by their order: on columns the right arrow key goes right;
 * on horizontal bars (its "vertical" layout) the rows run top to bottom and the left arrow key goes down.
 * The focus shows the first row's numbers; Enter hides or shows them.
 */
const CHART_KEYS: Record<ReportSpec['layout'], string> = {
  vertical:
    'The chart starts on its first column, on the left. The right arrow key moves right to the next column and the left arrow key moves back, each showing its numbers; Enter hides or shows them. The table below the chart lists them all.',
  horizontal:
    'The chart starts on its top bar. The left arrow key moves down to the next bar and the right arrow key moves back up, each showing its numbers; Enter hides or shows them. The table below the chart lists them all.',
};

function ReportChart({ spec, table }: { spec: ReportSpec; table: ReportTable }) {
  const horizontal = spec.layout === 'horizontal';
  const rows = table.chartRows ?? table.rows;
  // The chart grows by what its legend takes, so ten reasons wrapped over many lines on a phone leave the plot its height.
  const [legendHeight, setLegendHeight] = useState(0);
  const onLegendHeight = useCallback((h: number) => setLegendHeight(h), []);
  // A stacked chart's series are reasons or grades: named in a legend even when there is one, or its colour says nothing.
  const hasLegend = table.series.length > 1 || spec.stacked;
  const height = chartHeight(spec.layout, rows.length, hasLegend ? legendHeight : 0);
  // The label axis takes a share of the width the chart gets, so a narrow screen still shows the bars.
  const [width, setWidth] = useState(0);
  const axisWidth = labelAxisWidth(width);
  const colors = table.colors ?? seriesColors(table.series);
  // The legend and the tooltip name the series in the table's order (its columns, left to right, and the
  // stack, from the axis up), not alphabetically as recharts sorts them by default: the reasons of Ageing
  // come most entitlements first, so a reader matches a column to its colour and reads the biggest first.
  const seriesOrder = (key: unknown) => table.series.indexOf(String(key));
  return (
    <ResponsiveContainer width="100%" height={height} onResize={(w) => setWidth(w)}>
      <BarChart
        data={rows}
        layout={horizontal ? 'vertical' : 'horizontal'}
        margin={{ top: 10, right: 24, bottom: 10, left: horizontal ? 16 : 0 }}
        // The chart's own Tab stop (recharts' keyboard layer, role application) says which chart it is,
        // and what its keys do; an aria-label, not a <title>, which would show over the whole chart on hover.
        aria-label={chartName(spec)}
        desc={CHART_KEYS[spec.layout]}
      >
        <CartesianGrid strokeDasharray="3 3" />
        {horizontal ? <XAxis type="number" allowDecimals={false} /> : <XAxis dataKey={table.category} />}
        {horizontal ? (
          <YAxis type="category" dataKey={table.category} width={axisWidth} tick={AXIS_LABEL_TICK} interval={0} tickFormatter={(value: unknown) => fitLabel(String(value), axisWidth)} />
        ) : (
          <YAxis allowDecimals={false} />
        )}
        <Tooltip separator=": " itemSorter={(item) => seriesOrder(item.dataKey)} />
        {hasLegend ? <Legend itemSorter={(item) => seriesOrder(item.dataKey)} content={(props) => <MeasuredLegend {...props} onHeight={onLegendHeight} />} /> : null}
        {table.series.map((s, i) => (
          <Bar
            key={s}
            dataKey={s}
            fill={colors[i]}
            stackId={spec.stacked ? 'a' : undefined}
            // A white line between the parts of a stacked bar: two neighbouring series colours may be close
            // in lightness, and each is 4.5:1 or more against white (WCAG 1.4.11).
            stroke={spec.stacked ? '#ffffff' : undefined}
            strokeWidth={spec.stacked ? 1 : undefined}
            isAnimationActive={false}
            // A bar opens what its table cell links to (the table's links serve the keyboard).
            onClick={(_, index) => {
              const link = barLink(table, index, s);
              if (link) goTo(link.href, 'push');
            }}
          />
        ))}
      </BarChart>
    </ResponsiveContainer>
  );
}

function Field({ id, label, children }: { id: string; label: string; children: ReactNode }) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {children}
    </div>
  );
}

/** The keys the Reports page reads from its address: the report and its filters. */
const REPORT_ADDRESS_KEYS: readonly string[] = ['report', ...REPORT_FILTER_KEYS];

/** The address's query with only the keys the page reads, for a rewritten address (unknown keys are dropped). */
function knownQuery(query: URLSearchParams): Record<string, string> {
  const next: Record<string, string> = {};
  query.forEach((v, k) => {
    if (REPORT_ADDRESS_KEYS.includes(k)) next[k] = v;
  });
  return next;
}

/** The keys of the address the page does not read, each once, in address order. */
function unknownKeys(query: URLSearchParams): string[] {
  return [...new Set([...query.keys()].filter((k) => !REPORT_ADDRESS_KEYS.includes(k)))];
}

/** A promise that never settles: what a report loads while its filters are still being checked. */
const NEVER = new Promise<never>(() => undefined);

/**
 * Remembers a data-table link followed in this tab (not one opened in a new tab or window): Back to the
 * report then opens the data table again with the focus on that link, so a keyboard or screen-reader
 * user goes on from the row they left rather than from the top of a closed table (the shared
 * followed-link helpers in lib/focus.ts; the item is the row's label).
 */
function noteFollowed(event: ReactMouseEvent<HTMLAnchorElement>, item: string): void {
  if (event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) return;
  rememberFollowedLink({ href: event.currentTarget.getAttribute('href') ?? '', item, scrollTop: 0 });
}

/** The link to `link.href` in the data-table row `link.item` inside `container`, if shown. */
function findLinkIn(container: HTMLElement | null, link: FollowedLink): HTMLElement | null {
  const row = [...(container?.querySelectorAll<HTMLElement>('tr[data-row-id]') ?? [])].find((r) => r.dataset.rowId === link.item);
  return [...(row?.querySelectorAll('a') ?? [])].find((a) => a.getAttribute('href') === link.href) ?? null;
}

/**
 * One report. `filters` are the checked filters of the address; `ready` is false while they are being
 * checked or the address is being corrected, and nothing is requested until then.
 */
function ReportView({ spec, route, filters, ready }: { spec: ReportSpec; route: Route; filters: ReportFilters; ready: boolean }) {
  const workloads = useWorkloads();
  const partners = usePartners();
  const taxonomy = useTaxonomy();
  const query: Record<string, string | undefined> = {};
  for (const f of spec.filters) query[f] = filters[f];
  // The taxonomy names the codes in the charts: wait for it (or its failure) rather than load twice.
  const go = ready && (taxonomy.data !== undefined || taxonomy.error !== undefined);
  const data = useAsync((signal) => (go ? spec.load(query, signal, taxonomy.data) : NEVER), [spec.name, JSON.stringify(query), taxonomy.data, go]);
  const chartRef = useRef<HTMLDivElement>(null);
  /** The report's body, where its chart is drawn: recharts' layers under it are kept out of the Tab order. */
  const bodyRef = useRef<HTMLDivElement>(null);
  useEffect(() => (bodyRef.current ? watchChartLayers(bodyRef.current) : undefined), []);
  const [exportError, setExportError] = useState<string>();
  // A refused report shows its error alone: the chart of the previous filters would no longer match.
  const table = data.status === 'error' ? undefined : data.data;
  const stale = data.status === 'loading' && !!table;
  const columns = useMemo(() => (table?.rows[0] ? Object.keys(table.rows[0]) : []), [table]);
  /** The data-table link Back returned to (see noteFollowed): the table opens on it once the report has loaded. */
  const [returnTo, setReturnTo] = useState(() => findFollowedLink(window.location.hash));
  const [tableOpen, setTableOpen] = useState(() => returnTo !== undefined);
  const tableRef = useRef<HTMLDetailsElement>(null);
  useEffect(() => {
    if (!returnTo || !table || stale) return;
    setReturnTo(undefined);
    // The address changed before the report loaded (a filter chosen meanwhile): another report's table.
    if (returnTo.from !== window.location.hash) return forgetFollowedLink(returnTo);
    const details = tableRef.current;
    if (!findLinkIn(details, returnTo)) return forgetFollowedLink(returnTo);
    focusFollowedLink(returnTo, () => findLinkIn(details, returnTo));
  }, [table, stale, returnTo]);
  /** Typing in a box (Weeks ahead, From, To) not applied yet: the address when it began, and the last one it wrote. */
  const typing = useRef<{ before: string; typed: string } | undefined>(undefined);
  /** Applies what was typed (Enter, or leaving the box): it becomes one step Back undoes. */
  const applyTyped = () => {
    const pending = typing.current;
    typing.current = undefined;
    if (pending) keepTyped(pending.before, pending.typed);
  };
  /**
   * Writes filters to the address. A value chosen (a list, a button) is a step of history Back undoes
   * (`push`); a value being typed replaces the entry (`typed`), so Back is not one step per keystroke,
   * until it is applied.
   */
  const setParams = (values: Record<string, string | undefined>, how: 'push' | 'typed') => {
    const next = knownQuery(route.query);
    for (const [key, value] of Object.entries(values)) {
      if (value) next[key] = value;
      else delete next[key];
    }
    const href = toHref('/reports', next);
    if (how === 'push') {
      applyTyped();
      goTo(href, 'push');
      return;
    }
    // The typing goes on from the address it last wrote; otherwise (the first key, or the address moved
    // since: Back, a correction) it begins at the address shown.
    const shown = window.location.hash;
    const before = typing.current?.typed === shown ? typing.current.before : shown;
    goTo(href, 'replace');
    typing.current = { before, typed: window.location.hash };
  };
  const setParam = (key: string, value: string) => setParams({ [key]: value }, 'push');
  /** What a box being typed in needs: Enter or leaving it applies the value. */
  const typedBoxProps = {
    onBlur: applyTyped,
    onKeyDown: (e: { key: string }) => {
      if (e.key === 'Enter') applyTyped();
    },
  };

  // The period as typed. A date field reports each digit of its year as a date (0002, 0020, 0202,
  // 2026), so what is typed goes to the address only once it is a whole period that works: a partial
  // date or a To before From stays in its field, with the reason under the fields, and the report
  // keeps the last period that worked. The fields follow the address when it changes otherwise.
  const [period, setPeriod] = useState<{ from: TypedDate; to: TypedDate }>(() => ({ from: { value: filters.from ?? '' }, to: { value: filters.to ?? '' } }));
  const [periodProblem, setPeriodProblem] = useState<TypedPeriodProblem>();
  /** The period field last left while it held a date still being typed: its problem is shown then. */
  const [leftField, setLeftField] = useState<'from' | 'to'>();
  useEffect(() => {
    setPeriod({ from: { value: filters.from ?? '' }, to: { value: filters.to ?? '' } });
    setPeriodProblem(undefined);
  }, [filters.from, filters.to]);
  const typePeriod = (key: 'from' | 'to', input: HTMLInputElement) => {
    const next = { ...period, [key]: { value: input.value, incomplete: input.validity.badInput } };
    setPeriod(next);
    const checked = checkTypedPeriod(next.from, next.to, todayUtc(), key);
    if (!checked.ok) return setPeriodProblem(checked.problem);
    setPeriodProblem(undefined);
    if ((checked.from ?? '') !== (filters.from ?? '') || (checked.to ?? '') !== (filters.to ?? '')) setParams({ from: checked.from, to: checked.to }, 'typed');
  };
  const shownPeriodProblem = periodProblem && (!periodProblem.whileTyping || leftField === periodProblem.key) ? periodProblem : undefined;
  const periodFieldProps = (key: 'from' | 'to') => ({
    // A partly typed date reads as '' in the field, as in the state: React leaves its typed parts alone.
    value: period[key].value,
    onChange: (e: { target: HTMLInputElement }) => typePeriod(key, e.target),
    onFocus: () => setLeftField((left) => (left === key ? undefined : left)),
    onBlur: () => {
      setLeftField(key);
      applyTyped();
    },
    onKeyDown: typedBoxProps.onKeyDown,
    ...(shownPeriodProblem?.key === key ? { 'aria-invalid': true, 'aria-describedby': 'r-period-problem' } : {}),
  });
  const fileBase = `unblock-${spec.name}`;
  const hasRows = !!table && table.rows.length > 0;
  /** A filter is chosen in the address: an empty report then says so, else what there is none of. */
  const filterChosen = spec.filters.some((f) => query[f] !== undefined && query[f] !== '');
  // Downloads are of the chart on screen, so not while it is the previous filters' one.
  const canDownload = hasRows && !stale;

  return (
    <section className="card report" aria-labelledby="report-title">
      <h2 id="report-title">{spec.title}</h2>
      <p className="muted">{spec.description}</p>
      <form className="filters inline" aria-label={`${spec.title} filters`} onSubmit={(e) => e.preventDefault()}>
        {spec.filters.includes('l1') ? (
          <Field id="r-l1" label="L1">
            <select id="r-l1" value={query.l1 ?? defaultAgeingL1(taxonomy.data) ?? ''} onChange={(e) => setParam('l1', e.target.value)}>
              {/* Several L1s follow the Blocked rules: the default counts them together. */}
              {blockedL1s(taxonomy.data).length > 1 ? <option value="">{joinL1s(blockedL1s(taxonomy.data))}</option> : null}
              {/* Reports leave Duplicate/Invalid customers out (and those of each L1 that follows its rules), so such an L1 would always count 0. */}
              {(taxonomy.data?.l1s ?? [])
                .filter((n) => !isLeftOutOfReports(n))
                .map((n) => (
                  <option key={n.id}>{n.name}</option>
                ))}
            </select>
          </Field>
        ) : null}
        {spec.filters.includes('level') ? (
          <Field id="r-level" label="Level">
            <select id="r-level" value={query.level ?? 'code'} onChange={(e) => setParam('level', e.target.value)}>
              <option value="code">Code (L1 / L2)</option>
              <option value="l1">L1 only</option>
            </select>
          </Field>
        ) : null}
        {spec.filters.includes('workload') ? (
          <Field id="r-workload" label="Workload">
            <select id="r-workload" value={query.workload ?? ''} onChange={(e) => setParam('workload', e.target.value)}>
              <option value="">All</option>
              {(workloads.data ?? []).map((w) => (
                <option key={w.slug} value={w.slug}>
                  {w.name}
                </option>
              ))}
            </select>
          </Field>
        ) : null}
        {spec.filters.includes('partnerId') && (partners.data?.length ?? 0) > 1 ? (
          <Field id="r-partner" label="Partner">
            <select id="r-partner" value={query.partnerId ?? ''} onChange={(e) => setParam('partnerId', e.target.value)}>
              <option value="">All</option>
              {(partners.data ?? []).map((p) => (
                <option key={p.id} value={String(p.id)}>
                  {p.name}
                </option>
              ))}
            </select>
          </Field>
        ) : null}
        {spec.filters.includes('weeks') ? (
          <Field id="r-weeks" label="Weeks ahead">
            <input id="r-weeks" type="number" min={1} max={104} value={query.weeks ?? ''} placeholder="12" onChange={(e) => setParams({ weeks: e.target.value }, 'typed')} {...typedBoxProps} />
          </Field>
        ) : null}
        {spec.filters.includes('from') ? (
          <Field id="r-from" label="From">
            <input id="r-from" type="date" {...periodFieldProps('from')} />
          </Field>
        ) : null}
        {spec.filters.includes('to') ? (
          <Field id="r-to" label="To">
            <input id="r-to" type="date" {...periodFieldProps('to')} />
          </Field>
        ) : null}
        <div className="field actions-field downloads">
          <button
            type="button"
            disabled={!canDownload}
            onClick={() => table && downloadBlob(new Blob([toCsv([...table.rows, ...(table.csvExtraRows ?? [])], columns)], { type: 'text/csv' }), `${fileBase}.csv`)}
          >
            Download CSV
          </button>
          <button type="button" disabled={!canDownload} onClick={() => chartRef.current && !downloadSvg(chartRef.current, `${fileBase}.svg`) && setExportError('No chart to export.')}>
            Download SVG
          </button>
          <button
            type="button"
            disabled={!canDownload}
            onClick={() => {
              if (!chartRef.current) return;
              downloadPng(chartRef.current, `${fileBase}.png`).catch((e: unknown) => setExportError((e as Error).message));
            }}
          >
            Download PNG
          </button>
        </div>
      </form>
      {shownPeriodProblem ? (
        <p id="r-period-problem" className="field-error period-problem" role="alert">
          {shownPeriodProblem.message} The report still shows the last period that worked.
        </p>
      ) : null}
      {exportError ? (
        <p className="field-error" role="alert">
          {exportError}
        </p>
      ) : null}
      {data.status === 'error' ? <ErrorMessage error={data.error} onRetry={data.reload} /> : null}
      {data.status === 'loading' && !table ? <Loading label={`Loading ${spec.title.toLowerCase()}…`} /> : null}
      <div ref={bodyRef} className={stale ? 'report-body stale' : 'report-body'} aria-busy={stale || undefined}>
        {table && table.facts.length > 0 ? <p className="report-facts">{table.facts.join(' · ')}</p> : null}
        {table && !hasRows ? <Empty>{filterChosen ? 'Nothing to report for these filters.' : spec.empty}</Empty> : null}
        {table && hasRows ? (
          <>
            <figure className={hasLinks(table) ? 'chart drillable' : 'chart'} ref={chartRef} aria-label={chartName(spec)} data-testid="report-chart">
              <ReportChart spec={spec} table={table} />
            </figure>
            <details ref={tableRef} open={tableOpen} onToggle={(e) => setTableOpen(e.currentTarget.open)}>
              <summary>Data table</summary>
              <div className="table-scroll" role="region" aria-label={`${spec.title} data`} tabIndex={0}>
              <table className="data-table">
                <caption className="visually-hidden">{spec.title} data</caption>
                <thead>
                  <tr>
                    {columns.map((c) => (
                      <th key={c} scope="col">
                        {c}
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {table.rows.map((r, i) => (
                    <tr key={i} data-row-id={String(r[table.category])}>
                      {columns.map((c) => {
                        // In the table a count links only to its own cell's list; the row's link is on its label.
                        const links = table.links?.[i];
                        const link = c === table.category ? links?.row : links?.cells?.[c];
                        return (
                          <td key={c} className={typeof r[c] === 'number' ? 'num' : undefined}>
                            {link ? (
                              <a href={link.href} aria-label={link.label} onClick={(e) => noteFollowed(e, String(r[table.category]))}>
                                {r[c]}
                              </a>
                            ) : (
                              r[c]
                            )}
                          </td>
                        );
                      })}
                    </tr>
                  ))}
                </tbody>
              </table>
              </div>
            </details>
          </>
        ) : null}
      </div>
    </section>
  );
}

/** Today as `YYYY-MM-DD` in UTC, as the server dates the end of its default period. */
function todayUtc(): string {
  return new Date().toISOString().slice(0, 10);
}

/** Reports: one chart per report with its filters and CSV / SVG / PNG downloads; the report and filters live in the URL. */
export default function ReportsPage({ route }: { route: Route }) {
  const asked = route.query.get('report');
  const known = asked === null || REPORTS.some((r) => r.name === asked);
  const spec = (known ? REPORTS.find((r) => r.name === asked) : undefined) ?? REPORTS[0];
  const taxonomy = useTaxonomy();
  const workloads = useWorkloads();
  const partners = usePartners();
  const input: ReportFilters = {};
  for (const key of REPORT_FILTER_KEYS) input[key] = route.query.get(key) ?? undefined;
  const checked = checkReportFilters(input, {
    taxonomy: taxonomy.error ? null : taxonomy.data,
    workloads: workloads.error ? null : workloads.data,
    partners: partners.error ? null : partners.data,
    today: todayUtc(),
  });
  // A notice belongs to the address it was raised for (the corrected one the page moved to): any other
  // address (a filter changed, another report, an address entered) is not what it talks about.
  const address = toHref(route.path, Object.fromEntries(route.query));
  const [urlNotice, setUrlNotice] = useState<{ address: string; text: string }>();
  // Before the correction below, so that a correction's own notice (set in the same pass) survives.
  useEffect(() => setUrlNotice((prev) => (prev && prev.address === address ? prev : undefined)), [address]);

  // An unknown report or invalid filters in the address (edited, or an old bookmark) are dropped from
  // it in one step, with a notice naming them; known values are respelled as the controls show them,
  // and keys the page does not read go too. Until then no report is requested, so a bad value never
  // reaches the server.
  const fixKey = checked.pending || (known && !checked.changed) ? '' : JSON.stringify([known ? null : asked, checked.filters, address]);
  useEffect(() => {
    if (!fixKey || !spec) return;
    const parts: string[] = [];
    if (!known && asked !== null) parts.push(`report "${asked}" (not a report; showing ${spec.title})`);
    if (checked.dropped.length > 0) parts.push(describeDroppedReportFilters(checked.dropped));
    const unknown = unknownKeys(route.query);
    if (parts.length > 0 && unknown.length > 0) parts.push(`${unknown.map((k) => `"${k.length > 40 ? `${k.slice(0, 40)}…` : k}"`).join(', ')} (not used by reports)`);
    const next: Record<string, string | undefined> = knownQuery(route.query);
    if (!known) delete next.report;
    for (const key of REPORT_FILTER_KEYS) next[key] = checked.filters[key];
    const corrected = toHref('/reports', next);
    setUrlNotice(parts.length > 0 ? { address: corrected, text: `Ignored from the address: ${parts.join('; ')}.` } : undefined);
    navigate(corrected, true);
    // route and checked are read fresh each render; only a new correction triggers this.
  }, [fixKey]);

  if (!spec) return null;
  return (
    <div className="page reports">
      <h1>Reports</h1>
      {urlNotice && urlNotice.address === address ? (
        <p className="notice url-notice" role="status">
          {urlNotice.text}{' '}
          <button type="button" className="button-link" onClick={() => setUrlNotice(undefined)}>
            Dismiss
          </button>
        </p>
      ) : null}
      <nav aria-label="Reports" className="tabs">
        <ul>
          {REPORTS.map((r) => (
            <li key={r.name}>
              <a href={toHref('/reports', { report: r.name })} aria-current={r.name === spec.name ? 'page' : undefined}>
                {r.title}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <ReportView key={spec.name} spec={spec} route={route} filters={checked.filters} ready={!checked.pending && !fixKey} />
    </div>
  );
}
