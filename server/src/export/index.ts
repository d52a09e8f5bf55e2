// Files of the current view for other tools: folded stacks, speedscope JSON, the
// profile itself with the filters applied (gzip pprof), an offline HTML snapshot, the
// flame graph as SVG or PNG. Profile + Query -> bytes (no side effects).
import type { Profile } from '../model/profile.js';
import type { Query } from '../../../contract/query.js';
import { encodeProfileGzip } from '../encode/pprof.js';
import { filteredProfile } from './filtered-pprof.js';
import { MAX_PNG_LABELS, pngScale, svgToPng } from './flame-png.js';
import { flameSvgFile, type FlameSvgView } from './flame-svg.js';
import { foldedText } from './folded.js';
import { htmlSnapshot, type SnapshotView } from './html-snapshot.js';
import { speedscopeFile } from './speedscope.js';
import { exportStacks } from './stacks.js';

export { exportFileName } from '../../../contract/file-name.js';

export const EXPORT_FORMATS = ['folded', 'speedscope', 'pprof', 'html', 'svg', 'png'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export const EXPORT_TYPES: Record<ExportFormat, { suffix: string; contentType: string }> = {
  folded: { suffix: '.folded.txt', contentType: 'text/plain; charset=utf-8' },
  speedscope: { suffix: '.speedscope.json', contentType: 'application/json' },
  pprof: { suffix: '.filtered.pb.gz', contentType: 'application/octet-stream' },
  html: { suffix: '.snapshot.html', contentType: 'text/html; charset=utf-8' },
  svg: { suffix: '.flame.svg', contentType: 'image/svg+xml' },
  png: { suffix: '.flame.png', contentType: 'image/png' },
};

/** Where the view stands besides its query (html, svg and png): zoom path, search, theme, orientation, width. */
export type ExportView = SnapshotView & FlameSvgView;

/** The image's title line: profile, sample type, filters, zoom, search (as the page's SVG button writes it). */
function viewTitle(p: Profile, q: Query, name: string, view: ExportView): string {
  const parts = [name, q.sampleIndex || p.defaultSampleType || p.sampleType[p.sampleType.length - 1]?.type || ''];
  const filters = (
    [
      ['focus', q.focus],
      ['ignore', q.ignore],
      ['hide', q.hide],
      ['show', q.show],
      ['show_from', q.showFrom],
      ['granularity', q.granularity],
    ] as const
  )
    .filter(([, v]) => v)
    .map(([k, v]) => `${k}=${v}`);
  if (filters.length) parts.push(filters.join(' '));
  if (view.zoom?.length) parts.push(`zoom: ${view.zoom[view.zoom.length - 1]}`);
  if (view.search) parts.push(`search: ${view.search}`);
  return parts.join(' · ');
}

export async function exportFile(p: Profile, q: Query, format: ExportFormat, name: string, view: ExportView = {}): Promise<Uint8Array> {
  switch (format) {
    case 'svg':
      return new TextEncoder().encode(flameSvgFile(p, q, viewTitle(p, q, name, view), view).svg);
    case 'png': {
      // Labels cut to fit rather than clipped, and bounded: drawn in time linear in the frames (svg-document.ts).
      const title = viewTitle(p, q, name, view);
      let doc = flameSvgFile(p, q, title, view, { clipLabels: false, maxLabels: MAX_PNG_LABELS });
      if (pngScale(doc.width, doc.height) < 0.5) doc = flameSvgFile(p, q, title, view, { clipLabels: false, maxLabels: 0 });
      return svgToPng(doc.svg, doc.width, doc.height);
    }
    case 'html':
      return new TextEncoder().encode(htmlSnapshot(p, q, name, view));
    case 'folded':
      return new TextEncoder().encode(foldedText(exportStacks(p, q)));
    case 'speedscope':
      return new TextEncoder().encode(JSON.stringify(speedscopeFile(exportStacks(p, q), name)));
    case 'pprof':
      return encodeProfileGzip(filteredProfile(p, q));
  }
}
