// Entry point of the source layer: builds the SourceReader for one profile, and loads the
// escape-analysis report that annotates its listings. Resolution order (each hit carries
// a SourceOrigin, the "where this file came from" line): uploaded archive; --source-path
// roots (else, in local mode, the working directory); the current module and its go.work
// workspace; vendor/; the module cache; the GOROOT of the profile's Go release; the
// bundled samples. The CLI's `list` uses the same Go steps (cli/source-reader.ts).
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, posix, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Profile } from '../model/profile.js';
import type { SourceReader, SourceReadResult } from '../report/index.js';
import { guessGoVersion } from '../insights/frames.js';
import { readSourceArchive, type SourceArchive } from './archive.js';
import { createArchiveSourceReader } from './archive-reader.js';
import { parseEscapeOutput, type EscapeReport } from './escape.js';
import { createFsSourceReader, readInside, type ReadResult } from './fs-reader.js';
import {
  chooseGoroot,
  goLayout,
  goModCache,
  installedGoroots,
  releaseInFileNames,
  type GorootChoice,
  type InstalledGo,
} from './go-layout.js';
import { createGoSourceReader, type GoResolverOptions } from './go-resolver.js';
import { isInside, relativeInside, safeRelative } from './paths.js';

export { createFsSourceReader } from './fs-reader.js';
export { createArchiveSourceReader } from './archive-reader.js';
export { readSourceArchive, ArchiveError, DEFAULT_ARCHIVE_LIMITS, type ArchiveLimits, type SourceArchive } from './archive.js';
export { parseEscapeOutput, type EscapeDecision, type EscapeReport, type EscapeKind } from './escape.js';
export { annotateListing, sourceHint, type AnnotatedListing } from './annotate.js';

export const SOURCES_ATTACHMENT = 'sources';
export const ESCAPE_ATTACHMENT = 'escape';

export interface SourceConfig {
  sourcePaths: string[];
  trimPaths: string[];
  /** Shared (team) server: no implicit root, no module or module-cache lookups, no server paths shown. */
  shared?: boolean;
  /** The server's data directory: never read as source. */
  dataDir?: string;
}

/** Tries readers in order; `tried` accumulates every path looked at. */
export function chainReaders(readers: SourceReader[]): SourceReader {
  const cache = new Map<string, ReadResult>();
  return {
    read(file: string): ReadResult {
      const hit = cache.get(file);
      if (hit) return hit;
      const tried: string[] = [];
      let result: ReadResult = { text: null, tried };
      for (const r of readers) {
        const got = r.read(file);
        tried.push(...got.tried);
        if (got.text !== null) {
          result = { ...got, tried };
          break;
        }
      }
      cache.set(file, result);
      return result;
    },
  };
}

// --- bundled samples ------------------------------------------------------------

let samplesDirCache: string | null | undefined;

/** The repository's samples/ directory (holding go.mod), found upwards from this module; null when absent. */
export function bundledSamplesDir(): string | null {
  if (samplesDirCache !== undefined) return samplesDirCache;
  samplesDirCache = null;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const cand = join(dir, 'samples');
    if (existsSync(join(cand, 'go.mod'))) {
      samplesDirCache = cand;
      break;
    }
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return samplesDirCache;
}

/** Test hook: point the bundled-samples lookup elsewhere (null disables it). */
export function setBundledSamplesDir(dir: string | null): void {
  samplesDirCache = dir;
  bundledEscapeCache = undefined;
}

function moduleOf(dir: string): string | null {
  try {
    const m = /^\s*module\s+("?)([^\s"]+)\1\s*$/m.exec(readFileSync(join(dir, 'go.mod'), 'utf8'));
    return m ? m[2] : null;
  } catch {
    return null;
  }
}

/**
 * Reads the bundled samples' own sources, only for file names under their module path
 * (example.com/samples/...), so a user's "main.go" never resolves to a sample's.
 */
function bundledSamplesReader(): SourceReader | null {
  const dir = bundledSamplesDir();
  if (!dir) return null;
  const mod = moduleOf(dir);
  if (!mod) return null;
  return {
    read(file: string): ReadResult {
      if (!file.startsWith(mod + '/')) return { text: null, tried: [] };
      const rel = safeRelative(file.slice(mod.length + 1));
      if (rel === null) return { text: null, tried: [] };
      const abs = posix.join(dir, rel);
      if (!isInside(abs, dir)) return { text: null, tried: [] };
      const text = readInside(abs, dir);
      return text === null
        ? { text, tried: [abs] }
        : { text, tried: [abs], origin: { step: 'samples', label: 'bundled samples', path: abs } };
    },
  };
}

let bundledEscapeCache: EscapeReport | null | undefined;

/** All samples/<prog>/escape.txt merged (their file names are distinct per program). */
export function bundledEscapeReport(): EscapeReport | null {
  if (bundledEscapeCache !== undefined) return bundledEscapeCache;
  bundledEscapeCache = null;
  const dir = bundledSamplesDir();
  if (!dir) return null;
  const texts: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const f = join(dir, e.name, 'escape.txt');
    if (e.isDirectory() && existsSync(f) && statSync(f).isFile()) texts.push(readFileSync(f, 'utf8'));
  }
  if (texts.length > 0) bundledEscapeCache = parseEscapeOutput(texts.join('\n'));
  return bundledEscapeCache;
}

// --- per-profile attachments ------------------------------------------------------

/** Small cache of parsed attachments keyed by content hash (attachments can be replaced). */
class HashCache<T> {
  private map = new Map<string, T>();
  constructor(private max: number) {}
  key(bytes: Uint8Array): string {
    return createHash('sha256').update(bytes).digest('hex');
  }
  get(k: string): T | undefined {
    const v = this.map.get(k);
    if (v !== undefined) {
      this.map.delete(k);
      this.map.set(k, v);
    }
    return v;
  }
  set(k: string, v: T): void {
    this.map.set(k, v);
    while (this.map.size > this.max) this.map.delete(this.map.keys().next().value as string);
  }
}

/**
 * Parsed archives kept per process, bounded by their inflated bytes: each may inflate to
 * DEFAULT_ARCHIVE_LIMITS.maxTotalBytes, so a count alone let a few small uploads pin
 * hundreds of MB.
 */
export const ARCHIVE_CACHE_BYTES = 64 << 20;
const archiveCache = new Map<string, SourceArchive>();
let archiveCacheBytes = 0;
/** Archives are inflated one at a time per process, so concurrent uploads cannot add up. */
let archiveQueue: Promise<unknown> = Promise.resolve();
const escapeCache = new HashCache<EscapeReport>(16);

function keepArchive(k: string, a: SourceArchive): void {
  if (a.totalBytes > ARCHIVE_CACHE_BYTES) return;
  archiveCache.set(k, a);
  archiveCacheBytes += a.totalBytes;
  for (const [old, v] of archiveCache) {
    if (archiveCacheBytes <= ARCHIVE_CACHE_BYTES) break;
    archiveCache.delete(old);
    archiveCacheBytes -= v.totalBytes;
  }
}

/** Bytes of parsed archives this process keeps (tests check the bound). */
export function cachedArchiveBytes(): number {
  return archiveCacheBytes;
}

export function loadArchive(bytes: Uint8Array): Promise<SourceArchive> {
  const k = createHash('sha256').update(bytes).digest('hex');
  const hit = archiveCache.get(k);
  if (hit) {
    archiveCache.delete(k);
    archiveCache.set(k, hit);
    return Promise.resolve(hit);
  }
  const run = archiveQueue.then(async () => {
    const again = archiveCache.get(k);
    if (again) return again;
    const a = await readSourceArchive(bytes);
    keepArchive(k, a);
    return a;
  });
  archiveQueue = run.catch(() => undefined);
  return run;
}

export function loadEscape(bytes: Uint8Array): EscapeReport {
  const k = escapeCache.key(bytes);
  let r = escapeCache.get(k);
  if (!r) {
    r = parseEscapeOutput(new TextDecoder().decode(bytes));
    escapeCache.set(k, r);
  }
  return r;
}

export interface AttachmentSource {
  getAttachment(id: string, key: string): Promise<Uint8Array | null>;
}

let installedCache: InstalledGo[] | undefined;

/** Installed Go toolchains, looked up once per process. */
function installedGo(): InstalledGo[] {
  return (installedCache ??= installedGoroots());
}

/** The Go release a profile names or suggests, per decoded profile (one scan of its functions). */
const profileRelease = new WeakMap<Profile, { named: string | null; guessed: string }>();

/** The GOROOT for a profile's standard-library files (its Go release when installed). */
export function gorootForProfile(p: Profile | null, installed: InstalledGo[] = installedGo()): GorootChoice | null {
  if (!p) return chooseGoroot(installed, null, '');
  let r = profileRelease.get(p);
  if (!r) profileRelease.set(p, (r = { named: releaseInFileNames(p.function.map((f) => f.filename)), guessed: guessGoVersion(p) }));
  return chooseGoroot(installed, r.named, r.guessed);
}

/**
 * The Go steps (current module, go.work, vendor/, module cache, GOROOT) as seen from
 * `cwd`; on a shared server only GOROOT (`cwd` null).
 */
export function goStepsReader(cwd: string | null, profile: Profile | null, trimPaths: string[], exclude: string[] = []): SourceReader {
  const opts: GoResolverOptions = {
    layout: cwd ? goLayout(cwd) : null,
    modCache: cwd ? goModCache() : null,
    goroot: null,
    trimPaths,
    exclude,
  };
  // GOROOT found when a standard-library name first needs it: finding the installed Go
  // releases runs `go env GOROOT` (75 ms of a `list` whose files are all elsewhere).
  let goroot: GorootChoice | null | undefined;
  Object.defineProperty(opts, 'goroot', {
    enumerable: true,
    get: () => (goroot === undefined ? (goroot = gorootForProfile(profile)) : goroot),
  });
  return createGoSourceReader(opts);
}

/**
 * The reader for one profile, in the resolution order above. On a shared server the
 * paths it reports (tried, origin) never name server directories.
 */
export async function createSourceReader(
  profileId: string,
  config: SourceConfig,
  att: AttachmentSource,
  profile: Profile | null = null,
): Promise<SourceReader> {
  const readers: SourceReader[] = [];
  const bytes = await att.getAttachment(profileId, SOURCES_ATTACHMENT);
  if (bytes) {
    try {
      readers.push(createArchiveSourceReader(await loadArchive(bytes), config.trimPaths));
    } catch {
      // A stored archive was validated on upload; if it no longer parses, fall through to the roots.
    }
  }
  const exclude = config.dataDir ? [resolve(config.dataDir)] : [];
  const roots = config.sourcePaths.map((p) => resolve(p));
  const local = config.shared === false;
  if (roots.length > 0) {
    readers.push(createFsSourceReader({ roots, trimPaths: config.trimPaths, exclude }));
  } else if (local) {
    // Local mode without --source-path: the working directory, as pprof searches it, but
    // without the loose suffix match (it would guess among unrelated files there).
    readers.push(
      createFsSourceReader({ roots: [process.cwd()], trimPaths: config.trimPaths, suffixMatch: false, step: 'working-dir', exclude }),
    );
  }
  const goSteps = goStepsReader(local ? process.cwd() : null, profile, config.trimPaths, exclude);
  readers.push(goSteps);
  const samples = bundledSamplesReader();
  if (samples) readers.push(samples);
  const chain = chainReaders(readers);
  if (local) return chain;
  const places = [
    ...roots.map((r, i) => ({ dir: r, name: `<source-path ${i + 1}>` })),
    ...installedGo().map((g) => ({ dir: g.dir, name: `<GOROOT ${g.version}>` })),
  ];
  return { read: (file: string) => redactPaths(chain.read(file), places) };
}

/**
 * A result without server paths: tried paths become "<source-path 1>/pkg/a.go" style
 * names (others are left out) and the origin loses its path.
 */
export function redactPaths(r: SourceReadResult, places: { dir: string; name: string }[]): SourceReadResult {
  const tried: string[] = [];
  for (const t of r.tried) {
    if (t.startsWith('archive:')) {
      tried.push(t);
      continue;
    }
    for (const p of places) {
      const rel = relativeInside(t, p.dir);
      if (rel !== null) {
        tried.push(`${p.name}/${rel}`);
        break;
      }
    }
  }
  const out: SourceReadResult = { ...r, tried };
  // Archive entry names are the uploader's own; every other path is the server's.
  if (r.origin && r.origin.step !== 'archive') out.origin = { step: r.origin.step, label: r.origin.label };
  return out;
}

/** The escape report for a profile: its 'escape' attachment, else null. */
export async function escapeReportFor(profileId: string, att: AttachmentSource): Promise<EscapeReport | null> {
  const bytes = await att.getAttachment(profileId, ESCAPE_ATTACHMENT);
  return bytes ? loadEscape(bytes) : null;
}
