// The flame graph image format shared by the web UI's SVG/PNG buttons (frames read from
// the drawn chart, web/src/views/flame-export.ts) and the server's SVG export (frames laid
// out from the flame graph model, server/src/export/flame-svg.ts): plain SVG shapes and text under a title
// line, no foreignObject, so any viewer opens it and a canvas may draw it.

export interface SvgFrame {
  x: number;
  y: number;
  w: number;
  h: number;
  fill: string;
  /** 1 = opaque; the zoom path's ancestors are faded. */
  opacity: number;
  label: string;
  /** Hover text; the label when absent. */
  tooltip?: string;
}

export const SVG_TITLE_H = 28;

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Average advance of a 12 px sans-serif glyph, generously rounded up, for cutting labels to fit. */
const GLYPH_PX = 7.5;

/**
 * How frames are written for a rasteriser (server/src/export/flame-png.ts): `clipLabels`
 * false cuts labels to whole characters that fit instead of clipping them with a nested
 * <svg> per frame, leaves out the hover titles (an image has no hover), and fades with
 * fill-opacity instead of a group opacity. The image looks the same, but clipping and group
 * opacity each cost the rasteriser a canvas-sized layer. `maxLabels` bounds the frame labels
 * drawn (each is shaped and outlined, the costly part).
 */
export interface SvgDocumentOptions {
  clipLabels?: boolean;
  maxLabels?: number;
}

export function svgDocument(
  frames: SvgFrame[],
  title: string,
  dark: boolean,
  chartWidth: number,
  chartHeight: number,
  { clipLabels = true, maxLabels = Infinity }: SvgDocumentOptions = {},
): { svg: string; width: number; height: number } {
  const width = Math.max(Math.ceil(chartWidth), 400);
  const height = Math.ceil(chartHeight) + SVG_TITLE_H;
  const bg = dark ? '#1e1e1e' : '#ffffff';
  const fg = dark ? '#e8e8e8' : '#1a1a1a';
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="-apple-system, 'Segoe UI', Helvetica, Arial, sans-serif" font-size="12">`,
    `<title>${esc(title)}</title>`,
    `<rect width="100%" height="100%" fill="${bg}"/>`,
    `<text x="8" y="18" font-size="14" font-weight="600" fill="${fg}">${esc(title)}</text>`,
    `<g transform="translate(0 ${SVG_TITLE_H})">`,
  ];
  for (const f of frames) {
    if (!clipLabels) {
      const fo = f.opacity < 1 ? ` fill-opacity="${f.opacity.toFixed(2)}"` : '';
      const fit = Math.floor((f.w - 6) / GLYPH_PX);
      const label = f.w > 14 && fit > 0 && maxLabels-- > 0 ? f.label.slice(0, fit) : '';
      parts.push(
        `<rect x="${f.x.toFixed(1)}" y="${f.y.toFixed(1)}" width="${f.w.toFixed(1)}" height="${f.h.toFixed(1)}" fill="${esc(f.fill)}"${fo} stroke="${bg}" stroke-width="1"/>` +
          (label
            ? `<text x="${(f.x + 4).toFixed(1)}" y="${(f.y + Math.round(f.h / 2 + 4)).toFixed(1)}" fill="${fg}"${fo}>${esc(label)}</text>`
            : ''),
      );
      continue;
    }
    const op = f.opacity < 1 ? ` opacity="${f.opacity.toFixed(2)}"` : '';
    // A nested <svg> clips its label to the frame, as the chart's own labels are clipped.
    parts.push(
      `<svg x="${f.x.toFixed(1)}" y="${f.y.toFixed(1)}" width="${f.w.toFixed(1)}" height="${f.h.toFixed(1)}"${op}>` +
        `<title>${esc(f.tooltip ?? f.label)}</title>` +
        `<rect width="100%" height="100%" fill="${esc(f.fill)}" stroke="${bg}" stroke-width="1"/>` +
        (f.w > 14 ? `<text x="4" y="${Math.round(f.h / 2 + 4)}" fill="${fg}">${esc(f.label)}</text>` : '') +
        `</svg>`,
    );
  }
  parts.push('</g></svg>');
  return { svg: parts.join('\n'), width, height };
}
