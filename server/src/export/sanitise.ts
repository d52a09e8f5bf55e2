// A copy of a profile safe to share beyond its team: no sample labels (often user or
// tenant ids), no comments, no mapping file paths or build ids, and optionally source
// paths reduced to module-relative ones ("<package import path>/<file name>", which also
// hides home directories and build machines). Every number stays the same: samples,
// values, stacks, functions and lines are untouched. pprof's own "pprof::" labels (the
// diff base marker, which decides totals) are kept.
import type { Func, Line, Location, Mapping, Profile, Sample } from '../model/profile.js';

export interface SanitiseOptions {
  /** Reduce source file paths to "<package>/<file>". */
  modulePaths?: boolean;
}

/** What a sanitised copy leaves out, for the user to see before confirming. */
export interface SanitiseReport {
  labels: { keys: string[]; samples: number };
  comments: string[];
  mappings: { file: string; buildId: string }[];
  /** Source paths rewritten (first 50) and how many there are in all. */
  files: { from: string; to: string }[];
  filesTotal: number;
}

const KEEP_LABEL = /^pprof::/;
const MAX_LISTED = 50;

/** "example.com/m/pkg.(*T).f" -> "example.com/m/pkg"; "" when there is no package part. */
export function packagePath(funcName: string): string {
  const slash = funcName.lastIndexOf('/', funcName.search(/[([]|$/));
  const dot = funcName.indexOf('.', slash + 1);
  return dot > 0 ? funcName.slice(0, dot) : '';
}

function moduleRelative(f: Func): string {
  if (!f.filename) return f.filename;
  const base = f.filename.split(/[\\/]/).pop() ?? f.filename;
  const pkg = packagePath(f.name) || packagePath(f.systemName);
  return pkg ? `${pkg}/${base}` : base;
}

function cleanLabels<T>(m: Record<string, T> | null, removed: Set<string>): Record<string, T> | null {
  if (!m) return null;
  let out: Record<string, T> | null = null;
  for (const [k, v] of Object.entries(m)) {
    if (KEEP_LABEL.test(k)) (out ??= {})[k] = v;
    else removed.add(k);
  }
  return out;
}

export function sanitiseProfile(p: Profile, opts: SanitiseOptions = {}): { profile: Profile; report: SanitiseReport } {
  const removedKeys = new Set<string>();
  let labelled = 0;
  const userKey = (k: string) => !KEEP_LABEL.test(k);
  const samples: Sample[] = p.sample.map((s) => {
    if (Object.keys(s.label ?? {}).some(userKey) || Object.keys(s.numLabel ?? {}).some(userKey)) labelled++;
    const label = cleanLabels(s.label, removedKeys);
    const numLabel = cleanLabels(s.numLabel, removedKeys);
    const numUnit = numLabel ? cleanLabels(s.numUnit, new Set()) : null;
    return { location: s.location, value: s.value, label, numLabel, numUnit };
  });
  const mappings = new Map<Mapping, Mapping>();
  const reportMappings: SanitiseReport['mappings'] = [];
  for (const m of p.mapping) {
    if (m.file || m.buildId) reportMappings.push({ file: m.file, buildId: m.buildId });
    mappings.set(m, { ...m, file: '', buildId: '' });
  }
  const funcs = new Map<Func, Func>();
  const files = new Map<string, string>();
  for (const f of p.function) {
    const filename = opts.modulePaths ? moduleRelative(f) : f.filename;
    if (filename !== f.filename) files.set(f.filename, filename);
    funcs.set(f, { ...f, filename });
  }
  const locs = new Map<Location, Location>();
  for (const l of p.location) {
    locs.set(l, {
      ...l,
      mapping: l.mapping ? (mappings.get(l.mapping) ?? { ...l.mapping, file: '', buildId: '' }) : null,
      line: l.line.map((ln): Line => ({ ...ln, function: funcs.get(ln.function) ?? ln.function })),
    });
  }
  for (const s of samples) s.location = s.location.map((l) => locs.get(l) ?? l);
  const profile: Profile = {
    ...p,
    sample: samples,
    location: p.location.map((l) => locs.get(l)!),
    function: p.function.map((f) => funcs.get(f)!),
    mapping: p.mapping.map((m) => mappings.get(m)!),
    comments: [],
  };
  const fileList = [...files].map(([from, to]) => ({ from, to }));
  return {
    profile,
    report: {
      labels: { keys: [...removedKeys].sort(), samples: labelled },
      comments: p.comments.slice(),
      mappings: reportMappings,
      files: fileList.slice(0, MAX_LISTED),
      filesTotal: fileList.length,
    },
  };
}
