// The flame graph PNG export (GET /api/profiles/:id/export/png), rendered without a browser:
// the PNG decodes, has the size of the SVG export for the same view, and its pixels show
// what the SVG draws: the background of the theme, a title line, the root frame, and the
// search highlight only when searching.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../server/src/http/server.js';
import { countColour, decodePng, pixel, type DecodedPng } from './png-decode.js';
import { sample, startTestServer, tempDir, uploadOk } from './server-helpers.js';

let srv: RunningServer;
const temp = tempDir();
let id = '';

beforeAll(async () => {
  srv = await startTestServer(temp.dir);
  id = await uploadOk(srv.url, sample('cpu/cpu.pb.gz'), 'cpu.pb.gz');
});
afterAll(async () => {
  await srv?.close();
  temp.remove();
});

async function exported(format: 'png' | 'svg', params: string): Promise<{ res: Response; bytes: Uint8Array }> {
  const res = await fetch(`${srv.url}/api/profiles/${id}/export/${format}?${params}`);
  return { res, bytes: new Uint8Array(await res.arrayBuffer()) };
}

async function png(params: string): Promise<{ img: DecodedPng; svg: string }> {
  const p = await exported('png', params);
  expect(p.res.status, new TextDecoder().decode(p.bytes.subarray(0, 200))).toBe(200);
  expect(p.res.headers.get('content-type')).toBe('image/png');
  expect(p.res.headers.get('content-disposition')).toBe('attachment; filename="cpu.flame.png"');
  const s = await exported('svg', params);
  expect(s.res.status).toBe(200);
  return { img: decodePng(p.bytes), svg: new TextDecoder().decode(s.bytes) };
}

/** Dark (light theme) or bright (dark theme) pixels in the title band, i.e. drawn text. */
function titleInk(img: DecodedPng, dark: boolean): number {
  let n = 0;
  for (let y = 0; y < 28; y++)
    for (let x = 0; x < img.width; x++) {
      const [r] = pixel(img, x, y);
      if (dark ? r > 150 : r < 100) n++;
    }
  return n;
}

const SEARCH = encodeURIComponent('main\\.fib');

describe('flame graph PNG export', () => {
  it('has the size of the SVG, the light theme, a title line and the frames', async () => {
    const { img, svg } = await png('width=900');
    const [, w, h] = /<svg [^>]*width="(\d+)" height="(\d+)"/.exec(svg)!;
    expect([img.width, img.height]).toEqual([Number(w), Number(h)]);
    expect(img.width).toBe(900);
    expect(pixel(img, 0, 0)).toEqual([255, 255, 255, 255]);
    expect(titleInk(img, false)).toBeGreaterThan(100);
    // The root frame (#c8c8c8) spans the whole width in the bottom row.
    expect(countColour(img, '#c8c8c8')).toBeGreaterThan(img.width * 10);
    expect(pixel(img, img.width >> 1, img.height - 9).slice(0, 3)).toEqual([0xc8, 0xc8, 0xc8]);
    // Not searching: no highlighted frame.
    expect(countColour(img, '#ff6ec7')).toBe(0);
  });

  it('shows the search highlight, the dark theme and the zoom of the SVG', async () => {
    const light = await png(`width=900&search=${SEARCH}`);
    expect(light.svg).toContain('fill="#ff6ec7"');
    expect(countColour(light.img, '#ff6ec7')).toBeGreaterThan(100);

    const dark = await png(`width=900&search=${SEARCH}&theme=dark`);
    expect(pixel(dark.img, 0, 0)).toEqual([0x1e, 0x1e, 0x1e, 255]);
    expect(titleInk(dark.img, true)).toBeGreaterThan(100);
    expect(countColour(dark.img, '#c2185b')).toBeGreaterThan(100);
    expect(countColour(dark.img, '#ff6ec7')).toBe(0);

    // Zoomed: the path's ancestors are drawn faded (opacity 0.55 over the background), so
    // the root's solid colour is gone and the image is as tall as the zoomed SVG.
    const zoom = encodeURIComponent(JSON.stringify(['runtime.main', 'main.main']));
    const zoomed = await png(`width=900&zoom=${zoom}`);
    const [, , h] = /<svg [^>]*width="(\d+)" height="(\d+)"/.exec(zoomed.svg)!;
    expect(zoomed.img.height).toBe(Number(h));
    expect(countColour(zoomed.img, '#c8c8c8')).toBe(0);
    const faded = pixel(zoomed.img, zoomed.img.width >> 1, zoomed.img.height - 9);
    // A grey between the root's #c8c8c8 and the white background.
    expect(faded[0]).toBe(faded[1]);
    expect(faded[1]).toBe(faded[2]);
    expect(faded[0]).toBeGreaterThan(0xc8);
    expect(faded[0]).toBeLessThan(0xff);
  });

  it('answers 400 for a bad view parameter, as the SVG does', async () => {
    const r = await exported('png', 'width=abc');
    expect(r.res.status).toBe(400);
    expect(JSON.parse(new TextDecoder().decode(r.bytes)).error).toMatch(/width/);
  });
});
