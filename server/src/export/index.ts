// Files of the current view for other tools: folded stacks, speedscope JSON, and the
// profile itself with the filters applied (gzip pprof). Pure: Profile + Query -> bytes.
import type { Profile } from '../model/profile.js';
import type { Query } from '../model/query.js';
import { encodeProfileGzip } from '../encode/pprof.js';
import { filteredProfile } from './filtered-pprof.js';
import { foldedText } from './folded.js';
import { speedscopeFile } from './speedscope.js';
import { exportStacks } from './stacks.js';

export const EXPORT_FORMATS = ['folded', 'speedscope', 'pprof'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export const EXPORT_TYPES: Record<ExportFormat, { suffix: string; contentType: string }> = {
  folded: { suffix: '.folded.txt', contentType: 'text/plain; charset=utf-8' },
  speedscope: { suffix: '.speedscope.json', contentType: 'application/json' },
  pprof: { suffix: '.filtered.pb.gz', contentType: 'application/octet-stream' },
};

export function exportFile(p: Profile, q: Query, format: ExportFormat, name: string): Uint8Array {
  switch (format) {
    case 'folded':
      return new TextEncoder().encode(foldedText(exportStacks(p, q)));
    case 'speedscope':
      return new TextEncoder().encode(JSON.stringify(speedscopeFile(exportStacks(p, q), name)));
    case 'pprof':
      return encodeProfileGzip(filteredProfile(p, q));
  }
}

/**
 * A download name from the profile's own name: "checkout/cpu.pb.gz" -> "cpu" + suffix.
 * Only characters safe in every file system and in a Content-Disposition header.
 */
export function exportFileName(profileName: string, suffix: string): string {
  const base = profileName.split(/[\\/]/).pop() ?? '';
  const stem = base.replace(/\.(pb\.gz|pb|prof|pprof|gz|out)$/i, '').replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^[._]+/, '').slice(0, 100);
  return (stem || 'profile') + suffix;
}
