/**
 * Keeps recharts' drawing layers out of the Tab order. recharts 3 draws each z-index layer of a chart
 * into a `<g>` through a React portal; React listens for focus events on every portal's container, and
 * Chromium makes an SVG element with focus listeners a Tab stop. Each chart so had five nameless stops
 * (one of them 0 × 0, where the focus ring vanished) between the chart and its data table. The chart's
 * own stop (its `svg`, whose arrow keys move the tooltip) stays.
 */

/** The layers recharts draws into (`recharts-zIndex-layer_100` and so on). */
const LAYER_SELECTOR = 'g[class*="recharts-zIndex-layer"]';

/** Marks every layer under `root` as not a Tab stop (`tabindex="-1"`); a layer with a tabindex of its own is left alone. */
export function removeLayerTabStops(root: ParentNode): void {
  for (const layer of root.querySelectorAll(LAYER_SELECTOR)) {
    if (!layer.hasAttribute('tabindex')) layer.setAttribute('tabindex', '-1');
  }
}

/**
 * Keeps the layers of every chart drawn under `root` out of the Tab order, also those drawn later
 * (another report, new filters); returns the function that stops watching.
 */
export function watchChartLayers(root: HTMLElement): () => void {
  removeLayerTabStops(root);
  const observer = new MutationObserver(() => removeLayerTabStops(root));
  observer.observe(root, { childList: true, subtree: true });
  return () => observer.disconnect();
}
