// Finds a profile's Go source files where a Go developer already has them, with no flags:
// the current module and its go.work workspace (and local `replace` targets), vendor/,
// the module cache by module@version, and the GOROOT of the profile's Go release. Each
// hit says where it came from (SourceOrigin) and, when the file found is not the version
// the binary was built from, why (notes).
//
// Safety: every read goes through readInside (fs-reader.ts): the real path must lie
// inside the step's root, name a source file and avoid the excluded directories.
import { readdirSync, statSync } from 'node:fs';
import { posix } from 'node:path';
import type { SourceOrigin } from '../../../contract/views.js';
import type { SourceReader, SourceReadResult } from '../report/index.js';
import { readInside } from './fs-reader.js';
import type { GoLayout, GorootChoice } from './go-layout.js';
import { escapeModulePath, safeRelative, toSlash, trimPrefixes, unescapeModulePath } from './paths.js';
import { quoteMeta } from '../../../contract/go-regexp.js';

export interface GoResolverOptions {
  /** Modules and vendor directories around the working directory (go-layout.ts goLayout). */
  layout: GoLayout | null;
  /** The module cache, read-only; null to skip. */
  modCache: string | null;
  /** GOROOT for standard-library files; null to skip. */
  goroot: GorootChoice | null;
  trimPaths?: string[];
  /** Never read inside these (the server's data directory). */
  exclude?: string[];
}

const MAX_TRIED = 40;
/** How many leading components a module path in an absolute name may have before its "@version". */
const MAX_MODULE_DEPTH = 8;

/** "example.com/dep@v1.0.0/x.go" or ".../pkg/mod/example.com/dep@v1.0.0/x.go" split at the version. */
interface Versioned {
  /** Components before the one holding "@". */
  before: string[];
  /** Last module path component (before "@"), the version, and the path inside the module. */
  last: string;
  version: string;
  rest: string;
}

function splitVersioned(f: string): Versioned | null {
  const parts = f.split('/').filter((p) => p !== '');
  const k = parts.findIndex((p) => /^[^@]+@v[^@]+$/.test(p));
  if (k === -1 || k === parts.length - 1) return null;
  const at = parts[k].indexOf('@');
  const rest = safeRelative(parts.slice(k + 1).join('/'));
  if (rest === null) return null;
  return { before: parts.slice(0, k), last: parts[k].slice(0, at), version: parts[k].slice(at + 1), rest };
}

/** Candidate module paths for a versioned name: the longest first (absolute names carry a machine prefix). */
function modulePathCandidates(v: Versioned, absolute: boolean): string[] {
  const out: string[] = [];
  const from = absolute ? Math.max(0, v.before.length - MAX_MODULE_DEPTH) : 0;
  for (let s = from; s <= v.before.length; s++) {
    const p = [...v.before.slice(s), v.last].join('/');
    if (safeRelative(p) === p) out.push(p);
    if (!absolute) break;
  }
  return out;
}

function isDir(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/** Numeric-aware comparison of "v1.10.0" style versions (pre-releases sort before releases). */
function compareVersions(a: string, b: string): number {
  const pa = a.replace(/^v/, '').split(/[.+-]/);
  const pb = b.replace(/^v/, '').split(/[.+-]/);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = pa[i] ?? '';
    const y = pb[i] ?? '';
    const nx = Number(x);
    const ny = Number(y);
    if (x !== '' && y !== '' && Number.isInteger(nx) && Number.isInteger(ny)) {
      if (nx !== ny) return nx - ny;
    } else if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

export function createGoSourceReader(opts: GoResolverOptions): SourceReader {
  const modules = opts.layout?.modules ?? [];
  const vendors = opts.layout?.vendor ?? [];
  const exclude = opts.exclude ?? [];
  const trims = opts.trimPaths ?? [];
  const cache = new Map<string, SourceReadResult>();
  const versionsCache = new Map<string, string[]>();

  /** Versions of one module present in the module cache (directory "<escaped path>@<version>"). */
  const cachedVersions = (escaped: string): string[] => {
    let list = versionsCache.get(escaped);
    if (list) return list;
    list = [];
    const parent = posix.join(opts.modCache!, posix.dirname(escaped));
    const base = posix.basename(escaped) + '@';
    try {
      for (const n of readdirSync(parent)) if (n.startsWith(base) && isDir(posix.join(parent, n))) list.push(n.slice(base.length));
    } catch {
      // No such module in the cache.
    }
    list.sort(compareVersions);
    versionsCache.set(escaped, list);
    return list;
  };

  function lookup(file: string): SourceReadResult {
    const tried: string[] = [];
    const f = toSlash(trimPrefixes(file, trims) ?? file);
    const absolute = f.startsWith('/');
    const rel = absolute ? null : safeRelative(f);
    const versioned = splitVersioned(f);
    const read = (abs: string, root: string, origin: Omit<SourceOrigin, 'path'>, notes?: string[]): SourceReadResult | null => {
      const p = posix.normalize(abs);
      if (tried.length < MAX_TRIED && !tried.includes(p)) tried.push(p);
      const text = readInside(p, root, undefined, exclude);
      if (text === null) return null;
      return { text, tried, origin: { ...origin, path: p }, notes: notes?.length ? notes : undefined };
    };

    // 1. The current module, go.work modules and local replace targets.
    let local: SourceReadResult | null = null;
    for (const m of modules) {
      const what = { step: m.kind, label: `${STEP_NAMES[m.kind]} ${m.path}` } as const;
      if (rel !== null) {
        // -trimpath names: "<module path>[@version]/<path in module>".
        const hit = rel === m.path ? null : new RegExp(`^${quoteMeta(m.path)}(?:@([^/]+))?/`).exec(rel);
        if (hit) {
          // A versioned name of a main or go.work module was built from a released copy, and
          // the working tree may have moved on. (A directory `replace` is what was built.)
          // That exact version in vendor/ or the module cache is preferred to the working tree.
          const released = !!hit[1] && m.kind !== 'replace';
          const notes = released
            ? [
                `module version differs: the binary was built with ${m.path} ${hit[1]}, showing the local ${STEP_NAMES[m.kind]} (working tree)`,
              ]
            : [];
          const r = read(posix.join(m.dir, rel.slice(hit[0].length)), m.dir, what, notes);
          if (r && !released) return r;
          if (r && !local) local = r;
        }
        continue;
      }
      if (!absolute || versioned) continue;
      // Built on this machine, or elsewhere from a checkout whose folder has the same name
      // ("/ci/build/app/pkg/a.go" with the module in ".../app"), or any deeper layout.
      if (f.startsWith(m.dir + '/')) {
        const r = read(f, m.dir, what);
        if (r) return r;
      }
      const want = '/' + posix.basename(m.dir) + '/';
      const i = f.lastIndexOf(want);
      const inside = i === -1 ? null : safeRelative(f.slice(i + want.length));
      // Files under vendor/ belong to the vendor step (with its module versions).
      if (inside !== null && !inside.startsWith('vendor/')) {
        const r = read(posix.join(m.dir, inside), m.dir, what);
        if (r) return r;
      }
    }

    // 2. vendor/: "<module>@<version>/..." (-trimpath) or ".../vendor/<module>/..." names.
    for (const v of vendors) {
      const vendored = [...v.versions.keys()].sort((a, b) => b.length - a.length);
      if (versioned) {
        for (const cand of modulePathCandidates(versioned, absolute)) {
          const mod = unescapeModulePath(cand);
          const have = v.versions.get(mod);
          if (have === undefined) continue;
          const notes = have === versioned.version ? [] : [versionNote(mod, versioned.version, have, 'vendor/modules.txt has')];
          const r = read(posix.join(v.dir, mod, versioned.rest), v.dir, { step: 'vendor', label: `vendor/ ${mod} ${have}` }, notes);
          if (r) return r;
        }
      } else if (absolute) {
        const i = f.lastIndexOf('/vendor/');
        const inside = i === -1 ? null : safeRelative(f.slice(i + 8));
        const mod = inside === null ? undefined : vendored.find((p) => inside.startsWith(p + '/'));
        if (inside !== null && mod) {
          const r = read(posix.join(v.dir, inside), v.dir, { step: 'vendor', label: `vendor/ ${mod} ${v.versions.get(mod)}` });
          if (r) return r;
        }
      }
    }

    // 3. The module cache, by module@version; another cached version of the module when
    //    that one is absent, with a note that it differs.
    if (opts.modCache && versioned) {
      const cands = modulePathCandidates(versioned, absolute);
      for (const cand of cands) {
        const esc = escapeModulePath(cand);
        const mod = unescapeModulePath(cand);
        const dir = posix.join(opts.modCache, `${esc}@${versioned.version}`);
        if (!isDir(dir)) continue;
        const r = read(posix.join(dir, versioned.rest), opts.modCache, {
          step: 'module-cache',
          label: `module cache ${mod}@${versioned.version}`,
        });
        if (r) return r;
      }
      if (local) return local;
      for (const cand of cands) {
        const esc = escapeModulePath(cand);
        const mod = unescapeModulePath(cand);
        const others = cachedVersions(esc).filter((x) => x !== versioned.version);
        const newest = others[others.length - 1];
        if (!newest) continue;
        const note = versionNote(mod, versioned.version, newest, 'the module cache has only');
        const r = read(
          posix.join(opts.modCache, `${esc}@${newest}`, versioned.rest),
          opts.modCache,
          { step: 'module-cache', label: `module cache ${mod}@${newest}` },
          [note],
        );
        if (r) return r;
      }
    }

    if (local) return { ...local, tried };
    // 4. Standard library: "runtime/proc.go" (-trimpath; no dot in the first component, as
    //    Go reserves those for the standard library) or ".../src/runtime/proc.go" of any GOROOT.
    const forms: string[] = [];
    if (!versioned) {
      if (rel !== null && !rel.split('/')[0].includes('.')) forms.push(rel);
      if (absolute) for (let i = f.lastIndexOf('/src/'); i !== -1; i = f.lastIndexOf('/src/', i - 1)) forms.push(f.slice(i + 5));
    }
    // (opts.goroot is read only for such names: finding it may run `go env`.)
    if (forms.length > 0 && opts.goroot) {
      const src = posix.join(opts.goroot.dir, 'src');
      for (const form of forms.slice(0, 4)) {
        const r2 = safeRelative(form);
        if (r2 === null) continue;
        const notes = opts.goroot.warning ? [opts.goroot.warning] : [];
        const r = read(posix.join(src, r2), src, { step: 'goroot', label: `GOROOT ${opts.goroot.version}` }, notes);
        if (r) return r;
      }
    }
    return { text: null, tried };
  }

  return {
    read(file: string): SourceReadResult {
      let r = cache.get(file);
      if (!r) cache.set(file, (r = lookup(file)));
      return r;
    },
  };
}

const STEP_NAMES = { module: 'current module', workspace: 'go.work module', replace: 'replace directive' } as const;

function versionNote(mod: string, built: string, have: string, where: string): string {
  return `module version differs: the binary was built with ${mod} ${built}, ${where} ${have}`;
}
