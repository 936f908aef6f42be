/**
 * Colours of the report charts' series. A code keeps one colour in every chart: its place among its
 * L1's codes in the taxonomy picks it, so filters that hide a reason do not repaint the others.
 * The palette's colours are far apart in CIELAB (see {@link deltaE}), and each has at least 4.5:1
 * contrast against white, as recharts writes legend and tooltip names in their series' colour.
 */
import type { Taxonomy } from '../api/types.js';

/**
 * Ten colours, one per reason of the largest L1 (Blocked): blue, orange, emerald, violet, pink, cyan,
 * brown, olive, plum and near-black. No two are closer than about 35 ΔE*ab.
 */
export const SERIES_PALETTE: readonly string[] = ['#1e40af', '#c2410c', '#047857', '#7c3aed', '#db2777', '#0e7490', '#713f12', '#4d7c0f', '#86198f', '#1f2937'];

/** The colour of the `index`th series of a chart whose series are not codes. */
export function paletteColor(index: number): string {
  return SERIES_PALETTE[((index % SERIES_PALETTE.length) + SERIES_PALETTE.length) % SERIES_PALETTE.length] as string;
}

/**
 * The colour of the code `l2` under `l1` (an L1 without L2s: `l2` null or the L1's name), the same in
 * every chart; undefined when the taxonomy does not know it.
 */
export function codeColor(taxonomy: Taxonomy | undefined, l1: string, l2: string | null): string | undefined {
  const node = taxonomy?.l1s.find((n) => n.name === l1);
  if (!taxonomy || !node) return undefined;
  const index = node.codes.findIndex((id) => {
    const code = taxonomy.codes.find((c) => c.id === id);
    return code !== undefined && (code.l2 ?? code.l1) === (l2 ?? l1);
  });
  return index < 0 ? undefined : paletteColor(index);
}

/** Note grades in green, amber and red, so the quality chart reads at a glance (each 4.5:1 on white). */
export const GRADE_COLORS: Readonly<Record<string, string>> = { great: '#15803d', marginal: '#b45309', poor: '#b91c1c' };

/** The colour of each of `series`: its code's colour when `colorOf` knows it, otherwise by position. */
export function seriesColors(series: readonly string[], colorOf: (name: string) => string | undefined = () => undefined): string[] {
  return series.map((name, i) => colorOf(name) ?? paletteColor(i));
}

/** `#rrggbb` as CIELAB (D65). */
export function toLab(hex: string): [number, number, number] {
  const n = parseInt(hex.replace(/^#/, ''), 16);
  const [r, g, b] = [(n >> 16) & 255, (n >> 8) & 255, n & 255].map((v) => {
    const c = v / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  const x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047;
  const y = 0.2126 * r + 0.7152 * g + 0.0722 * b;
  const z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883;
  const f = (t: number) => (t > 216 / 24389 ? Math.cbrt(t) : ((24389 / 27) * t + 16) / 116);
  const [fx, fy, fz] = [f(x), f(y), f(z)];
  return [116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)];
}

/** The CIE76 colour difference (ΔE*ab) of two `#rrggbb` colours: about 2.3 is just noticeable. */
export function deltaE(a: string, b: string): number {
  const [l1, a1, b1] = toLab(a);
  const [l2, a2, b2] = toLab(b);
  return Math.hypot(l1 - l2, a1 - a2, b1 - b2);
}
