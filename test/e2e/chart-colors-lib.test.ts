/**
 * The report charts' colours (web/src/lib/chart-colors.ts), without a browser: the codes of one L1
 * (the series of one Ageing chart) get colours far apart, each code keeps its colour whichever other
 * codes a chart shows, and names written in the colours are readable on white.
 */
import { describe, expect, it } from 'vitest';
import { buildFallbackTaxonomy } from '../hand-built-taxonomy.js';
import { codeColor, deltaE, GRADE_COLORS, paletteColor, SERIES_PALETTE, seriesColors } from '../../web/src/lib/chart-colors.js';

const taxonomy = buildFallbackTaxonomy('chartcolors1');

/** The smallest difference (ΔE*ab) two series of one chart may have: clearly apart side by side. */
const MIN_DELTA_E = 25;

/** Every pair of `colors` closer than {@link MIN_DELTA_E}, as `a b (distance)`. */
function closePairs(colors: readonly string[], names: readonly string[] = colors): string[] {
  const close: string[] = [];
  for (let i = 0; i < colors.length; i++) {
    for (let j = i + 1; j < colors.length; j++) {
      const d = deltaE(colors[i] as string, colors[j] as string);
      if (d < MIN_DELTA_E) close.push(`${names[i]} ${names[j]} (${d.toFixed(1)})`);
    }
  }
  return close;
}

/** WCAG contrast ratio of `hex` against white. */
function contrastOnWhite(hex: string): number {
  const n = parseInt(hex.slice(1), 16);
  const [r, g, b] = [(n >> 16) & 255, (n >> 8) & 255, n & 255].map((v) => {
    const c = v / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 1.05 / (0.2126 * r + 0.7152 * g + 0.0722 * b + 0.05);
}

describe('report chart colours', () => {
  it('measures colour differences in CIELAB', () => {
    expect(deltaE('#000000', '#ffffff')).toBeCloseTo(100, 1);
    expect(deltaE('#1d4ed8', '#1d4ed8')).toBe(0);
    // The earlier palette's two purples and two greens: the metric and threshold catch them.
    expect(closePairs(['#6d28d9', '#7e22ce'])).toHaveLength(1);
    expect(closePairs(['#15803d', '#4d7c0f'])).toHaveLength(1);
    expect(closePairs(['#1d4ed8', '#b91c1c', '#15803d', '#b45309', '#6d28d9', '#0e7490', '#be185d', '#4b5563', '#4d7c0f', '#7e22ce']).length).toBeGreaterThan(1);
  });

  it('keeps every two colours of the palette clearly apart, each readable on white', () => {
    expect(SERIES_PALETTE).toHaveLength(new Set(SERIES_PALETTE).size);
    expect(closePairs(SERIES_PALETTE)).toEqual([]);
    // The legend and the tooltip write each series' name in its colour: text contrast, 4.5:1.
    expect(SERIES_PALETTE.filter((c) => contrastOnWhite(c) < 4.5)).toEqual([]);
    expect(Object.values(GRADE_COLORS).filter((c) => contrastOnWhite(c) < 4.5)).toEqual([]);
    expect(closePairs(Object.values(GRADE_COLORS))).toEqual([]);
  });

  it('gives the codes of each L1 colours clearly apart from one another', () => {
    for (const l1 of taxonomy.l1s) {
      const names = l1.codes.map((id) => {
        const code = taxonomy.codes.find((c) => c.id === id);
        return code?.l2 ?? l1.name;
      });
      const colors = names.map((name) => codeColor(taxonomy, l1.name, name));
      expect(colors.filter((c) => c === undefined), l1.name).toEqual([]);
      expect(closePairs(colors as string[], names), l1.name).toEqual([]);
    }
    // The pair that looked alike in the Ageing chart.
    const feature = codeColor(taxonomy, 'Blocked', 'Product Feature/Capability') as string;
    const reliability = codeColor(taxonomy, 'Blocked', 'Service Reliability') as string;
    expect(deltaE(feature, reliability)).toBeGreaterThanOrEqual(MIN_DELTA_E);
  });

  it('keeps a code\'s colour whichever other codes the chart shows', () => {
    const all = ['Legal/Regulatory', 'Adoption Readiness', 'Product Feature/Capability', 'Service Reliability', 'App Compatibility'];
    const colorOf = (name: string) => codeColor(taxonomy, 'Blocked', name);
    const full = Object.fromEntries(all.map((name, i) => [name, seriesColors(all, colorOf)[i]]));
    const some = ['Service Reliability', 'Legal/Regulatory'];
    expect(seriesColors(some, colorOf)).toEqual([full['Service Reliability'], full['Legal/Regulatory']]);
    // An L1 without L2s is its own single code.
    expect(codeColor(taxonomy, 'Duplicate/Invalid', null)).toBe(SERIES_PALETTE[0]);
    // Unknown codes and series that are not codes go by position.
    expect(codeColor(taxonomy, 'Blocked', 'Not a reason')).toBeUndefined();
    expect(codeColor(undefined, 'Blocked', 'Service Reliability')).toBeUndefined();
    expect(seriesColors(['projected date', 'history of the reason'])).toEqual([paletteColor(0), paletteColor(1)]);
    expect(seriesColors(['poor', 'great'], (g) => GRADE_COLORS[g])).toEqual([GRADE_COLORS.poor, GRADE_COLORS.great]);
  });
});
