/** Layout of the horizontal bar charts (category labels on the Y axis), from the width they get. */

/** The widest the label axis gets: enough for the longest reason names on a laptop. */
export const MAX_LABEL_AXIS = 340;
/** The narrowest: a few words of a label, still leaving room for the bars. */
export const MIN_LABEL_AXIS = 90;
/** The share of the chart's width the labels may take, so the bars always keep the larger part. */
const LABEL_SHARE = 0.4;
/** Width of one character of the 12 px axis labels, on average (px). */
const CHAR_PX = 6.6;

/** The label axis width for a chart `width` px wide (0 while it is not measured yet gives the widest). */
export function labelAxisWidth(width: number): number {
  if (!(width > 0)) return MAX_LABEL_AXIS;
  return Math.round(Math.min(MAX_LABEL_AXIS, Math.max(MIN_LABEL_AXIS, width * LABEL_SHARE)));
}

/** Lines the axis wraps one label into at most before it is shortened. */
const LABEL_LINES = 2;

/** `label` shortened with an ellipsis to fit an axis `axisWidth` px wide in two lines (the tooltip and table keep it whole). */
export function fitLabel(label: string, axisWidth: number): string {
  const chars = Math.max(4, Math.floor(((axisWidth - 12) / CHAR_PX) * LABEL_LINES) - 2);
  return label.length <= chars ? label : `${label.slice(0, chars - 1).trimEnd()}…`;
}
