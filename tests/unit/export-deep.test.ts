// Every export format of a profile whose stack is deeper than JSON.stringify's recursion
// allows (found by the fuzzer: the HTML snapshot answered 500 "Maximum call stack size
// exceeded" on a 2,088-frame stack): each is written, whole.
import { describe, expect, it } from 'vitest';
import { EXPORT_FORMATS, exportFile } from '../../server/src/export/index.js';
import { prepareProfile } from '../../server/src/report/index.js';
import { decodePng } from '../api/png-decode.js';
import { deepProfile } from './deep-stack.js';

const DEPTH = 2500;

describe(`exports of a ${DEPTH}-frame stack`, () => {
  const p = prepareProfile(deepProfile([{ depth: DEPTH, value: 3 }]));
  const text = async (format: (typeof EXPORT_FORMATS)[number]) => new TextDecoder().decode(await exportFile(p, {}, format, 'deep.pb.gz'));

  it('html: the snapshot carries the whole tree', async () => {
    const html = await text('html');
    const json = /<script type="application\/json"[^>]*>([\s\S]*?)<\/script>/.exec(html)?.[1];
    expect(json).toBeDefined();
    let n: { name: string; children: unknown[] } = JSON.parse(json!).root;
    let depth = 0;
    while (n.children.length) {
      n = n.children[0] as typeof n;
      depth++;
    }
    expect(depth).toBe(DEPTH);
    expect(n.name).toBe(`main.f${DEPTH - 1}`);
  });

  it('folded, speedscope, pprof, svg and png are written', async () => {
    const folded = (await text('folded')).trimEnd();
    expect(folded.split(';')).toHaveLength(DEPTH);
    expect(folded.endsWith(`main.f${DEPTH - 1} 3`)).toBe(true);
    expect(JSON.parse(await text('speedscope')).shared.frames).toHaveLength(DEPTH);
    expect((await exportFile(p, {}, 'pprof', 'deep.pb.gz')).length).toBeGreaterThan(DEPTH);
    expect(await text('svg')).toContain(`main.f${DEPTH - 1}`);
    const png = decodePng(await exportFile(p, {}, 'png', 'deep.pb.gz'));
    expect(png.width * png.height).toBeGreaterThan(0);
  });
});
