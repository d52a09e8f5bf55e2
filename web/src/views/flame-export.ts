// The flame graph as shown, as a standalone SVG (and PNG drawn from it): the frames on
// screen with their positions, colours, fading and labels (zoom, search highlight and
// theme included), under a title line naming the profile, sample type and filters. Built
// from the drawn chart, so it is exactly what the user sees; plain SVG shapes and text
// (no foreignObject), so any viewer opens it and a canvas may draw it.

interface DrawnFrame {
  x: number;
  y: number;
  w: number;
  h: number;
  fill: string;
  opacity: number;
  label: string;
}

const TITLE_H = 28;
const FONT = '12px -apple-system, "Segoe UI", Helvetica, Arial, sans-serif';

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function drawnFrames(chart: Element): { frames: DrawnFrame[]; width: number; height: number } {
  const base = chart.getBoundingClientRect();
  const frames: DrawnFrame[] = [];
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
    const f: DrawnFrame = {
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
  const { frames, width: fw, height: fh } = drawnFrames(chart);
  const width = Math.max(fw, 400);
  const height = fh + TITLE_H;
  const bg = dark ? '#1e1e1e' : '#ffffff';
  const fg = dark ? '#e8e8e8' : '#1a1a1a';
  const stroke = bg;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="-apple-system, 'Segoe UI', Helvetica, Arial, sans-serif" font-size="12">`,
    `<title>${esc(title)}</title>`,
    `<rect width="100%" height="100%" fill="${bg}"/>`,
    `<text x="8" y="18" font-size="14" font-weight="600" fill="${fg}">${esc(title)}</text>`,
    `<g transform="translate(0 ${TITLE_H})">`,
  ];
  for (const f of frames) {
    const op = f.opacity < 1 ? ` opacity="${f.opacity.toFixed(2)}"` : '';
    // A nested <svg> clips its label to the frame, as the chart's own labels are clipped.
    parts.push(
      `<svg x="${f.x.toFixed(1)}" y="${f.y.toFixed(1)}" width="${f.w.toFixed(1)}" height="${f.h.toFixed(1)}"${op}>` +
        `<title>${esc(f.label)}</title>` +
        `<rect width="100%" height="100%" fill="${esc(f.fill)}" stroke="${stroke}" stroke-width="1"/>` +
        (f.w > 14 ? `<text x="4" y="${Math.round(f.h / 2 + 4)}" fill="${fg}">${esc(f.label)}</text>` : '') +
        `</svg>`,
    );
  }
  parts.push('</g></svg>');
  return { svg: parts.join('\n'), width, height };
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
  return new Promise((resolve, reject) => canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('could not encode the PNG'))), 'image/png'));
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
