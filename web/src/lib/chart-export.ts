import { downloadBlob } from './download.js';

const SVG_NS = 'http://www.w3.org/2000/svg';
/** Parts of a recharts chart that are HTML around the surface and may hold small SVGs of their own (legend icons). */
const OUTSIDE_SURFACE = '.recharts-legend-wrapper, .recharts-tooltip-wrapper';
const LEGEND_ROW = 20;
const LEGEND_PAD = 12;

/** A chart serialised as standalone SVG text, with its size in CSS pixels. */
export interface ChartSvg {
  text: string;
  width: number;
  height: number;
}

/**
 * The chart's own drawing surface in `container`: the largest <svg> that is not part of the legend or
 * tooltip (recharts draws each legend icon as a small `svg.recharts-surface`, which may come first in
 * the document). Undefined when the container holds no chart.
 */
export function findChartSurface(container: ParentNode): SVGSVGElement | undefined {
  let best: SVGSVGElement | undefined;
  let bestArea = -1;
  for (const svg of container.querySelectorAll('svg')) {
    if (svg.closest(OUTSIDE_SURFACE) || svg.parentElement?.closest('svg')) continue;
    const { width, height } = svg.getBoundingClientRect();
    if (width * height > bestArea) {
      best = svg;
      bestArea = width * height;
    }
  }
  return best;
}

/** The legend entries shown with the chart (label and colour), in order; empty when it has no legend. */
function readLegend(container: ParentNode): { label: string; color: string }[] {
  return [...container.querySelectorAll('.recharts-legend-item')].map((item) => {
    const text = item.querySelector('.recharts-legend-item-text');
    const icon = item.querySelector('.recharts-legend-icon');
    const color = icon?.getAttribute('fill') ?? (text ? getComputedStyle(text).color : '#000');
    return { label: text?.textContent?.trim() ?? '', color };
  });
}

/**
 * Serialises the chart in `container` to standalone SVG text: its main surface with inline fonts and,
 * when the chart has a legend (HTML next to the surface), the legend redrawn below the plot so the
 * colours keep their meaning. Undefined when there is no chart.
 */
export function serialiseChart(container: HTMLElement): ChartSvg | undefined {
  const svg = findChartSurface(container);
  if (!svg) return undefined;
  const box = svg.getBoundingClientRect();
  const width = Math.round(box.width);
  let height = Math.round(box.height);
  const clone = svg.cloneNode(true) as SVGSVGElement;
  const legend = readLegend(container).filter((entry) => entry.label !== '');
  if (legend.length > 0) {
    const group = document.createElementNS(SVG_NS, 'g');
    group.setAttribute('class', 'exported-legend');
    let x = LEGEND_PAD;
    let y = height + LEGEND_PAD;
    for (const entry of legend) {
      const itemWidth = 12 + 6 + entry.label.length * 7 + 18;
      if (x > LEGEND_PAD && x + itemWidth > width - LEGEND_PAD) {
        x = LEGEND_PAD;
        y += LEGEND_ROW;
      }
      const swatch = document.createElementNS(SVG_NS, 'rect');
      for (const [k, v] of Object.entries({ x: x, y: y, width: 12, height: 12, fill: entry.color })) swatch.setAttribute(k, String(v));
      const label = document.createElementNS(SVG_NS, 'text');
      for (const [k, v] of Object.entries({ x: x + 18, y: y + 10, fill: '#111' })) label.setAttribute(k, String(v));
      label.textContent = entry.label;
      group.append(swatch, label);
      x += itemWidth;
    }
    clone.append(group);
    height = y + LEGEND_ROW;
  }
  clone.setAttribute('xmlns', SVG_NS);
  clone.setAttribute('width', String(width));
  clone.setAttribute('height', String(height));
  clone.setAttribute('viewBox', `0 0 ${width} ${height}`);
  clone.setAttribute('style', 'font-family: system-ui, sans-serif; font-size: 12px; background: #fff');
  return { text: new XMLSerializer().serializeToString(clone), width, height };
}

/** Downloads the chart in `container` as an SVG file; false when there is no chart. */
export function downloadSvg(container: HTMLElement, filename: string): boolean {
  const chart = serialiseChart(container);
  if (!chart) return false;
  downloadBlob(new Blob([chart.text], { type: 'image/svg+xml' }), filename);
  return true;
}

/** Renders the chart in `container` to a 2x PNG and downloads it; resolves false when there is no chart. */
export async function downloadPng(container: HTMLElement, filename: string): Promise<boolean> {
  const chart = serialiseChart(container);
  if (!chart) return false;
  const { width, height } = chart;
  const image = new Image();
  const url = URL.createObjectURL(new Blob([chart.text], { type: 'image/svg+xml' }));
  try {
    await new Promise<void>((resolve, reject) => {
      image.onload = () => resolve();
      image.onerror = () => reject(new Error('The chart could not be rendered as an image.'));
      image.src = url;
    });
    const canvas = document.createElement('canvas');
    canvas.width = Math.round(width * 2);
    canvas.height = Math.round(height * 2);
    const context = canvas.getContext('2d');
    if (!context) return false;
    context.fillStyle = '#fff';
    context.fillRect(0, 0, canvas.width, canvas.height);
    context.scale(2, 2);
    context.drawImage(image, 0, 0, width, height);
    const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/png'));
    if (!blob) return false;
    downloadBlob(blob, filename);
    return true;
  } finally {
    URL.revokeObjectURL(url);
  }
}
