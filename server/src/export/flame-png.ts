// The flame graph as a PNG without a browser (GET .../export/png): the SVG export
// (flame-svg.ts) rasterised by resvg compiled to WebAssembly (@resvg/resvg-wasm, no native
// code), with DejaVu Sans (dejavu-fonts-ttf) for the text, so the image does not depend on
// the fonts of the machine. Same title line, zoom, search highlight and theme as the SVG.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { initWasm, Resvg } from '@resvg/resvg-wasm';

/** Larger images are scaled down to this many pixels (a deep stack is tens of thousands of px tall). */
export const MAX_PNG_PIXELS = 2_000_000;
/** Frame labels drawn at most; none once the image is scaled below half size (unreadable). */
export const MAX_PNG_LABELS = 1500;

/** Scale at which an image of `width` x `height` px is drawn. */
export function pngScale(width: number, height: number): number {
  return Math.min(1, Math.sqrt(MAX_PNG_PIXELS / Math.max(1, width * height)));
}

const require = createRequire(import.meta.url);
let ready: Promise<Uint8Array[]> | null = null;

/** Loads the WebAssembly module (once per thread) and the fonts. */
function setup(): Promise<Uint8Array[]> {
  ready ??= (async () => {
    await initWasm(readFileSync(require.resolve('@resvg/resvg-wasm/index_bg.wasm')));
    return ['DejaVuSans.ttf', 'DejaVuSans-Bold.ttf'].map((f) => new Uint8Array(readFileSync(require.resolve(`dejavu-fonts-ttf/ttf/${f}`))));
  })();
  return ready;
}

/** PNG of an SVG document of `width` x `height` px (svg-document.ts). */
export async function svgToPng(svg: string, width: number, height: number): Promise<Uint8Array> {
  const fonts = await setup();
  const scale = pngScale(width, height);
  const resvg = new Resvg(svg, {
    font: { fontBuffers: fonts, defaultFontFamily: 'DejaVu Sans', sansSerifFamily: 'DejaVu Sans', defaultFontSize: 12 },
    fitTo: scale < 1 ? { mode: 'zoom', value: scale } : { mode: 'original' },
  });
  try {
    const image = resvg.render();
    try {
      return image.asPng();
    } finally {
      image.free();
    }
  } finally {
    resvg.free();
  }
}
