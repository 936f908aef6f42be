/** Layout of the horizontal bar charts (category labels on the Y axis), from the width they get. */

/** The widest the label axis gets: enough for the longest reason names on a laptop. */
export const MAX_LABEL_AXIS = 340;
/** The narrowest: a few words of a label, still leaving room for the bars. */
export const MIN_LABEL_AXIS = 90;
/** The share of the chart's width the labels may take, so the bars always keep the larger part. */
const LABEL_SHARE = 0.4;
/** Font size of the axis labels (px). */
export const AXIS_LABEL_PX = 12;
/**
 * Width of one character of the 12 px axis labels (px): a little over the average (6.5 px for the
 * reason names in DejaVu Sans, narrower in most system fonts), so a label estimated to take two
 * lines does not take three on screen.
 */
const CHAR_PX = 7;

/** The label axis width for a chart `width` px wide (0 while it is not measured yet gives the widest). */
export function labelAxisWidth(width: number): number {
  if (!(width > 0)) return MAX_LABEL_AXIS;
  return Math.round(Math.min(MAX_LABEL_AXIS, Math.max(MIN_LABEL_AXIS, width * LABEL_SHARE)));
}

/** Lines the axis wraps one label into at most before it is shortened. */
const LABEL_LINES = 2;

/**
 * `label` wrapped as the chart's axis wraps it: whole words, greedily, each line at most `lineChars`
 * characters (a word longer than a line takes lines of its own, cut). The axis breaks only at spaces
 * and never splits a word, so a label of 2 lines' worth of characters may still take 3.
 */
export function wrapLabel(label: string, lineChars: number): string[] {
  const width = Math.max(1, Math.floor(lineChars));
  const lines: string[] = [];
  let line = '';
  for (const word of label.split(/\s+/).filter((w) => w !== '')) {
    if (line && line.length + 1 + word.length <= width) {
      line += ` ${word}`;
      continue;
    }
    if (line) lines.push(line);
    let rest = word;
    while (rest.length > width) {
      lines.push(rest.slice(0, width));
      rest = rest.slice(width);
    }
    line = rest;
  }
  if (line) lines.push(line);
  return lines;
}

/** Characters of the 12 px axis labels that fit on one line of an axis `axisWidth` px wide. */
export function labelLineChars(axisWidth: number): number {
  return Math.max(4, Math.floor((axisWidth - 12) / CHAR_PX));
}

/**
 * `label` shortened with an ellipsis so that, wrapped at spaces as the axis wraps it, it takes at most
 * two lines of an axis `axisWidth` px wide (the tooltip and table keep it whole). Labels at rows 32 px
 * apart overlap from the third line on.
 */
export function fitLabel(label: string, axisWidth: number): string {
  const chars = labelLineChars(axisWidth);
  if (wrapLabel(label, chars).length <= LABEL_LINES) return label;
  for (let end = Math.min(label.length - 1, chars * LABEL_LINES); end > 0; end--) {
    const shortened = `${label.slice(0, end).trimEnd()}…`;
    if (wrapLabel(shortened, chars).length <= LABEL_LINES) return shortened;
  }
  return '…';
}

/** Height of a vertical bar chart without its legend: the plot, its axis and margins (px). */
const VERTICAL_CHART_HEIGHT = 314;
/** The least a vertical chart is high, as it was before legends counted (one legend line fits in it). */
const MIN_VERTICAL_CHART_HEIGHT = 340;
/** Height of one bar of a horizontal chart, and of its axis and margins (px). */
const ROW_HEIGHT = 32;
const HORIZONTAL_FRAME = 60;
const MIN_HORIZONTAL_CHART_HEIGHT = 240;

/**
 * The height to give a bar chart: horizontal charts grow with their rows, and every chart with the
 * height its legend takes (`legendHeight`, measured; 0 without a legend), so a legend wrapped over many
 * lines on a narrow screen adds to the chart instead of squeezing its bars flat.
 */
export function chartHeight(layout: 'horizontal' | 'vertical', rows: number, legendHeight: number): number {
  const legend = Number.isFinite(legendHeight) && legendHeight > 0 ? Math.ceil(legendHeight) : 0;
  if (layout === 'horizontal') return Math.max(MIN_HORIZONTAL_CHART_HEIGHT, rows * ROW_HEIGHT + HORIZONTAL_FRAME) + legend;
  return Math.max(MIN_VERTICAL_CHART_HEIGHT, VERTICAL_CHART_HEIGHT + legend);
}
