/**
 * Pure helpers behind the qa6 fixes of the Reports and Import pages (no browser): the period typed in
 * the Reports date fields (partial years are not applied, a To before From is reported on the field),
 * the label axis wrapping labels as the chart does, the chart height growing with its legend, and the
 * whole-file refusals the Import preview can tell before sending.
 */
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { readImportCsv } from '../../src/http/csv.js';
import { chartHeight, fitLabel, labelLineChars, wrapLabel } from '../../web/src/lib/chart-layout.js';
import { EXPORT_COLUMNS } from '../../src/lib/import-header.js';
import { headerSeparator, previewCsv, previewRefusal } from '../../web/src/lib/import-report.js';
import { checkReportFilters, checkTypedPeriod, MIN_TYPED_YEAR, type TypedDate } from '../../web/src/lib/url-filters.js';

const TODAY = '2026-11-26';
const date = (value: string, incomplete = false): TypedDate => ({ value, incomplete });

describe('checkTypedPeriod (the Reports period as it is typed)', () => {
  it('does not apply the years a date field reports while its year is typed digit by digit', () => {
    const from = date('2026-03-01');
    // Chromium reports 0002-06-30, 0020-06-30, 0202-06-30, then 2026-06-30 while "2026" is typed.
    for (const partial of ['0002-06-30', '0020-06-30', '0202-06-30']) {
      const checked = checkTypedPeriod(from, date(partial), TODAY, 'to');
      expect(checked.ok).toBe(false);
      if (!checked.ok) {
        expect(checked.problem.key).toBe('to');
        // Only shown once the field is left: the user is probably still typing.
        expect(checked.problem.whileTyping).toBe(true);
      }
    }
    expect(checkTypedPeriod(from, date('2026-06-30'), TODAY, 'to')).toEqual({ ok: true, from: '2026-03-01', to: '2026-06-30' });
    // The same for From, with no To: no request for year 2 or 20.
    expect(checkTypedPeriod(date('0020-03-01'), date(''), TODAY, 'from').ok).toBe(false);
    expect(checkTypedPeriod(date(`${MIN_TYPED_YEAR}-01-01`), date(''), TODAY, 'from')).toEqual({ ok: true, from: `${MIN_TYPED_YEAR}-01-01` });
  });

  it('reports a To before From on the field just typed, at once, and keeps both dates out of the address', () => {
    const typedTo = checkTypedPeriod(date('2026-03-01'), date('2026-01-31'), TODAY, 'to');
    expect(typedTo).toEqual({
      ok: false,
      problem: { key: 'to', message: 'To (2026-01-31) is before From (2026-03-01): the period must end on or after its first day.', whileTyping: false },
    });
    const typedFrom = checkTypedPeriod(date('2026-03-01'), date('2026-01-31'), TODAY, 'from');
    expect(typedFrom.ok).toBe(false);
    if (!typedFrom.ok) expect(typedFrom.problem).toMatchObject({ key: 'from', whileTyping: false });
    // Without To the period ends today: a From after today has nothing to report.
    const future = checkTypedPeriod(date('2026-12-01'), date(''), TODAY, 'from');
    expect(future.ok).toBe(false);
    if (!future.ok) expect(future.problem.message).toBe('From (2026-12-01) is after today (2026-11-26): there is nothing to report yet.');
  });

  it('waits for a date typed only in part, and applies a field cleared on purpose', () => {
    const partial = checkTypedPeriod(date('2026-03-01'), date('', true), TODAY, 'to');
    expect(partial.ok).toBe(false);
    if (!partial.ok) expect(partial.problem).toMatchObject({ key: 'to', whileTyping: true });
    expect(checkTypedPeriod(date('2026-03-01'), date(''), TODAY, 'to')).toEqual({ ok: true, from: '2026-03-01' });
    expect(checkTypedPeriod(date(''), date(''), TODAY, 'from')).toEqual({ ok: true });
    // The field being edited is reported first, even when the other is incomplete too.
    const both = checkTypedPeriod(date('', true), date('0002-01-01'), TODAY, 'to');
    expect(!both.ok && both.problem.key).toBe('to');
  });

  it('applies only periods the address check keeps as they are', () => {
    const cases: [string, string][] = [
      ['2026-03-01', '2026-06-30'],
      ['2026-03-01', ''],
      ['', '2026-06-30'],
      ['2026-06-30', '2026-06-30'],
    ];
    for (const [from, to] of cases) {
      const typed = checkTypedPeriod(date(from), date(to), TODAY, 'to');
      expect(typed.ok).toBe(true);
      if (!typed.ok) continue;
      const address = { from: typed.from, to: typed.to };
      expect(checkReportFilters(address, { taxonomy: null, workloads: null, partners: null, today: TODAY }).changed).toBe(false);
    }
  });
});

describe('the label axis of horizontal charts', () => {
  const labels = [
    'New Subscription or Workload → Technical Onboarding and Deployment',
    'Customer Unresponsive → Technical Onboarding and Deployment',
    'Technical Onboarding and Deployment → Solution or User Adoption',
    'Customer IT Infrastructure and Remediation',
    'Security/Privacy (Non-Product/Feature)',
    'Legal/Regulatory',
  ];

  it('wraps a label at spaces as the axis does, never splitting a word that fits a line', () => {
    expect(wrapLabel('New Subscription or Workload → Tec…', 17)).toEqual(['New Subscription', 'or Workload →', 'Tec…']);
    expect(wrapLabel('Legal/Regulatory', 40)).toEqual(['Legal/Regulatory']);
    expect(wrapLabel('Infrastructure', 6)).toEqual(['Infras', 'tructu', 're']);
    expect(wrapLabel('  ', 10)).toEqual([]);
  });

  it('shortens each label so that it wraps into at most two lines at every axis width', () => {
    for (const axisWidth of [90, 110, 136, 160, 220, 340]) {
      const chars = labelLineChars(axisWidth);
      for (const label of labels) {
        const fitted = fitLabel(label, axisWidth);
        expect(wrapLabel(fitted, chars).length, `${label} at ${axisWidth} px: ${fitted}`).toBeLessThanOrEqual(2);
        if (fitted !== label) {
          expect(fitted.endsWith('…')).toBe(true);
          expect(label.startsWith(fitted.slice(0, -1))).toBe(true);
        }
      }
    }
    // The label the QA pass saw on three lines at 390 px (an axis of 136 px) now takes two.
    expect(wrapLabel(fitLabel(labels[0]!, 136), labelLineChars(136))).toHaveLength(2);
    // Labels that fit stay whole.
    expect(fitLabel('Legal/Regulatory', 136)).toBe('Legal/Regulatory');
    expect(fitLabel(labels[0]!, 340)).toBe(labels[0]);
  });
});

describe('chartHeight', () => {
  it('adds the legend to the chart, so the plot keeps its height however many lines the legend takes', () => {
    const plot = (legend: number) => chartHeight('vertical', 6, legend) - legend;
    expect(chartHeight('vertical', 6, 0)).toBe(340);
    // One legend line fits in the height charts always had.
    expect(chartHeight('vertical', 6, 22)).toBe(340);
    // Ten reasons wrapped over 283 px at 390 px wide: the plot keeps what it has with one line.
    expect(plot(283)).toBe(plot(26));
    expect(plot(283)).toBeGreaterThanOrEqual(300);
    expect(chartHeight('vertical', 6, Number.NaN)).toBe(340);
  });

  it('grows horizontal charts with their rows, and with a legend too', () => {
    expect(chartHeight('horizontal', 20, 0)).toBe(700);
    expect(chartHeight('horizontal', 2, 0)).toBe(240);
    expect(chartHeight('horizontal', 20, 44)).toBe(744);
  });
});

describe('previewRefusal (whole files the import refuses, known from the preview)', () => {
  it('names an empty file, a file with a header only, and a header separated by semicolons or tabs', () => {
    expect(previewRefusal(previewCsv('', true), true)).toMatch(/^This file is empty/);
    expect(previewRefusal(previewCsv('tenant_id,workload\r\n', true), true)).toMatch(/header but no data rows/);
    const exportHeader = `\uFEFF${EXPORT_COLUMNS.join(',')}\n`;
    expect(previewRefusal(previewCsv(exportHeader, true), true)).toMatch(/^This file is an export that matched no entitlement/);
    // Not the whole export's header (days_in_status left out): rows never added, as before.
    expect(previewRefusal(previewCsv(`${EXPORT_COLUMNS.slice(0, -1).join(',')}\n`, true), true)).toMatch(/header but no data rows/);
    expect(previewRefusal(previewCsv('tenant_id;workload;note\na.example;teams;x\n', true), true)).toMatch(/uses semicolons between its cells/);
    expect(previewRefusal(previewCsv('tenant_id\tworkload\na.example\tteams\n', true), true)).toMatch(/uses tabs between its cells/);
    expect(previewRefusal(previewCsv('tenant_id,workload\na.example,teams\n', true), true, 'This file is UTF-16 text…')).toBe('This file is UTF-16 text…');
  });

  it('leaves the rest to the server: good files, files read only in part, and files the preview could not read to the end', () => {
    expect(previewRefusal(previewCsv('tenant_id,workload\na.example,teams\n', true), true)).toBeUndefined();
    // Only the start was read: the rows may come later, and a long first line may still end.
    expect(previewRefusal(previewCsv('tenant_id,workload\r\n', false), false)).toBeUndefined();
    expect(previewRefusal(previewCsv('', false), false)).toBeUndefined();
    expect(previewRefusal(previewCsv('h1,h2\na,"open\n', true), true)).toBeUndefined();
    // A semicolon inside a data cell is text, not a separator.
    expect(previewRefusal(previewCsv('tenant_id,workload,note\na.example,teams,one; two\n', true), true)).toBeUndefined();
    expect(headerSeparator(['tenant_id', 'workload\t'])).toBeUndefined();
    expect(headerSeparator(['tenant_id;workload'])).toBe('semicolons');
  });

  it('names a separator for exactly the headers the server refuses for one', async () => {
    const headers = [
      'tenant_id;workload;note',
      'tenant_id\tworkload\tl1\tl2',
      'text;id',
      'tenant_id,workload,note;extra',
      'tenant_id,workload,Notes; kept apart',
      'tenant_id,workload;l1,l2',
      'tenant_id,workload\t',
      'tenant_id,workload,note',
    ];
    for (const header of headers) {
      const server = await readImportCsv(Readable.from([`${header}\na.example,teams,x\n`]), 1_000_000).then(
        () => undefined,
        (error: { details?: { separator?: string } }) => error.details?.separator,
      );
      expect(headerSeparator(previewCsv(`${header}\na.example,teams,x\n`, true).header), header).toBe(server);
    }
  });
});
