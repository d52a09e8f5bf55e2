// Files of the current view for other tools: folded stacks, speedscope JSON, the
// profile itself with the filters applied (gzip pprof), an offline HTML snapshot. Pure: Profile + Query -> bytes.
import type { Profile } from '../model/profile.js';
import type { Query } from '../model/query.js';
import { encodeProfileGzip } from '../encode/pprof.js';
import { filteredProfile } from './filtered-pprof.js';
import { foldedText } from './folded.js';
import { htmlSnapshot, type SnapshotView } from './html-snapshot.js';
import { speedscopeFile } from './speedscope.js';
import { exportStacks } from './stacks.js';

export { exportFileName } from './file-name.js';
export type { SnapshotView } from './html-snapshot.js';

export const EXPORT_FORMATS = ['folded', 'speedscope', 'pprof', 'html'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export const EXPORT_TYPES: Record<ExportFormat, { suffix: string; contentType: string }> = {
  folded: { suffix: '.folded.txt', contentType: 'text/plain; charset=utf-8' },
  speedscope: { suffix: '.speedscope.json', contentType: 'application/json' },
  pprof: { suffix: '.filtered.pb.gz', contentType: 'application/octet-stream' },
  html: { suffix: '.snapshot.html', contentType: 'text/html; charset=utf-8' },
};

export function exportFile(p: Profile, q: Query, format: ExportFormat, name: string, view?: SnapshotView): Uint8Array {
  switch (format) {
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
