// The flame graph as shown, as a standalone SVG (and PNG drawn from it): the frames on
// screen with their positions, colours, fading and labels (zoom, search highlight and
// theme included), under a title line naming the profile, sample type and filters. Built
// from the drawn chart, so it is exactly what the user sees, in the format of
// contract/svg-document.ts.
import { svgDocument, type SvgFrame } from '../../../contract/svg-document.js';

const FONT = '12px -apple-system, "Segoe UI", Helvetica, Arial, sans-serif';

function drawnFrames(chart: Element): { frames: SvgFrame[]; width: number; height: number } {
  const base = chart.getBoundingClientRect();
  const frames: SvgFrame[] = [];
  let width = 0;
  let height = 0;
  for (const g of chart.querySelectorAll<SVGGElement & { __data__?: { data: { name: string }; parent: unknown } }>('g.frame')) {
    const rect = g.querySelector('rect');
    if (!rect) continue;
    const r = rect.getBoundingClientRect();
    if (r.width <= 0 || r.height <= 0) continue;
    const cs = getComputedStyle(rect);
    const gcs = getComputedStyle(g);
    const d = g.__data__;
    const label = d ? (d.parent ? d.data.name : 'root') : (g.textContent ?? '');
    const f: SvgFrame = {
      x: r.left - base.left,
      y: r.top - base.top,
      w: r.width,
      h: r.height,
      fill: rect.getAttribute('fill') || cs.fill,
      opacity: Number(gcs.opacity) * Number(cs.opacity),
      label,
    };
    frames.push(f);
    width = Math.max(width, f.x + f.w);
    height = Math.max(height, f.y + f.h);
  }
  return { frames, width: Math.ceil(width), height: Math.ceil(height) };
}

/** The SVG text; `chart` is the element holding the drawn d3-flame-graph. */
export function flameSvg(chart: Element, title: string, dark: boolean): { svg: string; width: number; height: number } {
  const { frames, width, height } = drawnFrames(chart);
  return svgDocument(frames, title, dark, width, height);
}

/** PNG of the same picture, at the screen's pixel density. */
export async function flamePng(svg: { svg: string; width: number; height: number }): Promise<Blob> {
  const scale = Math.max(1, Math.min(3, window.devicePixelRatio || 1));
  const img = new Image();
  // data: URLs are allowed images under the app's CSP (img-src 'self' data:).
  img.src = `data:image/svg+xml;base64,${btoa(unescape(encodeURIComponent(svg.svg)))}`;
  await img.decode();
  const canvas = document.createElement('canvas');
  canvas.width = Math.round(svg.width * scale);
  canvas.height = Math.round(svg.height * scale);
  const g = canvas.getContext('2d')!;
  g.scale(scale, scale);
  g.font = FONT;
  g.drawImage(img, 0, 0, svg.width, svg.height);
  return new Promise((resolve, reject) =>
    canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('could not encode the PNG'))), 'image/png'),
  );
}

/** Saves a blob under a file name through a temporary link. */
export function saveBlob(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.append(a);
  a.click();
  a.remove();
  window.setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
