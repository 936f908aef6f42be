import { downloadBlob } from './download.js';

/** Serialises the first <svg> inside `container` to standalone SVG text with inline computed fonts. */
export function serialiseSvg(container: HTMLElement): string | undefined {
  const svg = container.querySelector('svg');
  if (!svg) return undefined;
  const clone = svg.cloneNode(true) as SVGSVGElement;
  const { width, height } = svg.getBoundingClientRect();
  clone.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  clone.setAttribute('width', String(Math.round(width)));
  clone.setAttribute('height', String(Math.round(height)));
  clone.setAttribute('style', 'font-family: system-ui, sans-serif; font-size: 12px; background: #fff');
  return new XMLSerializer().serializeToString(clone);
}

/** Downloads the chart in `container` as an SVG file; false when there is no chart. */
export function downloadSvg(container: HTMLElement, filename: string): boolean {
  const text = serialiseSvg(container);
  if (!text) return false;
  downloadBlob(new Blob([text], { type: 'image/svg+xml' }), filename);
  return true;
}

/** Renders the chart in `container` to a 2x PNG and downloads it; resolves false when there is no chart. */
export async function downloadPng(container: HTMLElement, filename: string): Promise<boolean> {
  const text = serialiseSvg(container);
  const svg = container.querySelector('svg');
  if (!text || !svg) return false;
  const { width, height } = svg.getBoundingClientRect();
  const image = new Image();
  const url = URL.createObjectURL(new Blob([text], { type: 'image/svg+xml' }));
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
