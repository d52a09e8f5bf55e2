// Adds compiler escape-analysis decisions to a source listing (additive, optional
// fields), marks allocating lines the compiler says escape, and words the hint shown
// when a file could not be found.
import type { SourceLine, SourceListing, SourceRoutine } from '../../../contract/views.js';
import { matchEscapeFile, type EscapeDecision, type EscapeReport } from './escape.js';

/** A listing line with the optional escape fields this module adds. */
export type AnnotatedLine = SourceLine & {
  escape?: EscapeDecision[];
  /** The line allocates in this (heap/allocs) profile and the compiler says a value there escapes. */
  escapeMarker?: true;
};

export type AnnotatedRoutine = Omit<SourceRoutine, 'lines'> & { lines: AnnotatedLine[]; escapeFile?: string };
export type AnnotatedListing = Omit<SourceListing, 'routines'> & { routines: AnnotatedRoutine[]; escapeSource?: string };

const ESCAPING = new Set(['escapes', 'moved-to-heap']);

/** Memory profiles: allocation or in-use counts/bytes (Go heap/allocs, also V8 heap). */
export function isMemorySampleType(type: string, unit: string): boolean {
  return (
    /^(alloc|inuse)_(space|objects)$/.test(type) || ((type === 'space' || type === 'objects') && (unit === 'bytes' || unit === 'count'))
  );
}

export interface AnnotateOptions {
  /** Only use an escape file with exactly the routine's file name (for the bundled samples' data). */
  exactOnly?: boolean;
  /** Label of where the decisions came from, echoed as `escapeSource`. */
  source?: string;
  /** Replaces `missing.hint` of routines whose file was not found. */
  hint?: string;
}

export function annotateListing(listing: SourceListing, escape: EscapeReport | null, opts: AnnotateOptions = {}): AnnotatedListing {
  const memory = isMemorySampleType(listing.sampleType.type, listing.sampleType.unit);
  let used = false;
  const routines = listing.routines.map((r): AnnotatedRoutine => {
    const missing = r.missing && opts.hint ? { ...r.missing, hint: opts.hint } : r.missing;
    const base: AnnotatedRoutine = missing ? { ...r, missing } : { ...r };
    if (!escape) return base;
    const file = opts.exactOnly ? (escape.files.has(r.file) ? r.file : null) : matchEscapeFile(escape, r.file);
    if (!file) return base;
    const byLine = escape.files.get(file)!;
    const lines = r.lines.map((l): AnnotatedLine => {
      const ds = byLine.get(l.line);
      if (!ds || ds.length === 0) return l;
      used = true;
      const out: AnnotatedLine = { ...l, escape: ds };
      if (memory && l.flat !== 0 && ds.some((d) => ESCAPING.has(d.kind))) out.escapeMarker = true;
      return out;
    });
    return { ...base, lines, escapeFile: file };
  });
  const out: AnnotatedListing = { ...listing, routines };
  if (used && opts.source) out.escapeSource = opts.source;
  return out;
}

/** How to supply sources, worded for the server's mode. */
export function sourceHint(shared: boolean, profileId: string): string {
  // The button is the Source tab's "Upload sources…", shown to the profile's owner.
  const upload = `upload the sources as a .tar.gz or .zip archive (the "Upload sources…" button on this tab, shown to whoever uploaded the profile; POST /api/profiles/${profileId}/sources; or the multipart field "sources" when uploading the profile)`;
  if (shared) return `Source file not found. On this shared server, ${upload}.`;
  return (
    'Source file not found. Start pprof-lens with --source-path DIR[,DIR] pointing at your checkout (the directory with go.mod, ' +
    "or a parent of it), add --trim-path PREFIX to remove the build machine's path prefix, or " +
    upload +
    '. ' +
    'Without flags, files are also looked up in the current Go module and its go.work workspace, vendor/, ' +
    "the module cache ($GOMODCACHE) and the GOROOT of the profile's Go release: start pprof-lens from inside your module to use them."
  );
}
