// Frame names and the sample walk every rule uses: normalised function names,
// runtime / standard-library / user classification, and per-sample stacks.
// Name sets follow the research notes (shared/research/concepts.md) (Go 1.19 .. current).
import { quoteMeta } from '../../../contract/go-regexp.js';
import type { Profile } from '../model/profile.js';
import { PROF_OVERHEAD } from './patterns.js';

export interface Frame {
  name: string;
  file: string;
  line: number;
  /** Classification, computed once per distinct frame (see codeOwner). */
  runtime: boolean;
  user: boolean;
}

export interface StackSample {
  /** Leaf first (inlined frames expanded, innermost first). */
  frames: Frame[];
  value: number;
  /** The `bytes` numeric label of heap samples (average object size), 0 when absent. */
  bytes: number;
  /** Companion count (CPU: samples, heap: objects, contention: contentions); 0 when absent. */
  count: number;
  /** The profiler's own work is on the stack (rules leave such samples out). */
  profiler: boolean;
  /**
   * Goroutine dumps only (goroutines/to-profile.ts: a `state` label and a `wait` label in
   * minutes): the wait reason and how long these goroutines have waited.
   */
  goroutine?: { state: string; waitMinutes: number };
}

/** Strip generic type arguments ("[...]") with a bracket-balanced scan. */
export function normalizeName(name: string): string {
  if (!name.includes('[')) return name;
  let out = '';
  let depth = 0;
  for (const ch of name) {
    if (ch === '[') depth++;
    else if (ch === ']') depth = Math.max(0, depth - 1);
    else if (depth === 0) out += ch;
  }
  return out;
}

/** Runtime-internal packages (their frames are never "the user's code"). */
export const RUNTIME_ANY =
  /^(runtime|internal\/runtime(\/[a-z0-9_]+)*|runtime\/internal\/[a-z0-9_]+|internal\/bytealg|internal\/sync|internal\/abi|internal\/goarch)\.|^gcWriteBarrier$/;

const STD_ROOTS = new Set(
  (
    'archive arena bufio builtin bytes cmp compress container context crypto database debug embed encoding errors ' +
    'expvar flag fmt go hash html image index internal io iter log maps math mime net os path plugin reflect regexp ' +
    'runtime simd slices sort strconv strings structs sync syscall testing text time unicode unique unsafe uuid vendor weak'
  ).split(' '),
);

/** Import path of the package a Go function name belongs to ("" for names without one). */
export function packagePath(name: string): string {
  const slash = name.lastIndexOf('/');
  const dot = name.indexOf('.', slash + 1);
  return dot < 0 ? '' : name.slice(0, dot);
}

/**
 * A regexp test remembered per name: profiles repeat the same few thousand function
 * names across hundreds of thousands of samples.
 */
export function memoTest(re: RegExp): (name: string) => boolean {
  const cache = new Map<string, boolean>();
  return (name) => {
    let v = cache.get(name);
    if (v === undefined) {
      v = re.test(name);
      if (cache.size > 200_000) cache.clear();
      cache.set(name, v);
    }
    return v;
  };
}

export const isRuntimeFrame = memoTest(RUNTIME_ANY);

export function isStdlibFrame(name: string): boolean {
  const pkg = packagePath(name);
  if (!pkg) return isRuntimeFrame(name);
  return STD_ROOTS.has(pkg.split('/')[0]);
}

const userCache = new Map<string, boolean>();

/**
 * Name-only test: a Go function outside runtime and standard library. It cannot tell the
 * main module from a dependency; stackSamples uses codeOwner, which can.
 */
export function isUserFrame(name: string): boolean {
  let v = userCache.get(name);
  if (v === undefined) {
    v = !!name && !name.startsWith('0x') && !name.startsWith('[') && packagePath(name) !== '' && !isStdlibFrame(name);
    if (userCache.size > 200_000) userCache.clear();
    userCache.set(name, v);
  }
  return v;
}

/** Source file of a module other than the main one: module cache (`mod@version`) or vendor tree. */
const DEPENDENCY_FILE = /@v\d|(^|\/)pkg\/mod\/|(^|\/)vendor\//;

/**
 * Who wrote a function, decided from the profile itself: 'runtime' (runtime internals),
 * 'std' (standard library), 'dep' (a dependency module) or 'user' (the main module, or
 * any module of a go.work workspace; a module brought in by a local `replace` is a
 * dependency under -trimpath, which gives it a version, and the user's otherwise).
 *
 * The rule: a non-standard package is a dependency when one of its functions' source files
 * lies in the module cache or a vendor tree: `go build -trimpath` writes those as
 * `module@version/file.go`, an ordinary build as `.../pkg/mod/module@version/file.go` or
 * `.../vendor/module/file.go`, while main-module files are `module/dir/file.go` (trimpath)
 * or plain paths of the checkout. A function whose file lies in GOROOT (found from the
 * runtime's own file names) is the standard library's whatever its name. Profiles without
 * file names cannot tell a dependency from the main module: every non-standard package then
 * counts as the user's (the old, name-only rule).
 */
export type CodeOwner = 'runtime' | 'std' | 'dep' | 'user';

export function codeOwner(p: Profile): (name: string, file?: string) => CodeOwner {
  const depPackages = new Set<string>();
  let gorootSrc: string | null = null;
  for (const f of p.function) {
    if (gorootSrc === null && /^runtime\.[a-z]/.test(f.name)) {
      // runtime/proc.go under trimpath, /usr/lib/go/src/runtime/proc.go otherwise.
      const at = f.filename.lastIndexOf('runtime/');
      if (at >= 0 && (at === 0 || f.filename[at - 1] === '/')) gorootSrc = f.filename.slice(0, at);
    }
    if (!f.filename || !DEPENDENCY_FILE.test(f.filename)) continue;
    const pkg = packagePath(normalizeName(f.name));
    if (pkg && pkg !== 'main' && !isStdlibFrame(f.name)) depPackages.add(pkg);
  }
  // A function literal of a library function inlined into user code is named after the
  // user's function (log.Printf's closure inlined into main.handle is
  // main.handle.Printf.func1) but its file is the library's: the file decides.
  const stdFile = (file: string): boolean => {
    if (gorootSrc === null || !file.startsWith(gorootSrc)) return false;
    const rest = file.slice(gorootSrc.length);
    const slash = rest.indexOf('/');
    return slash > 0 && STD_ROOTS.has(rest.slice(0, slash));
  };
  const cache = new Map<string, CodeOwner>();
  return (name, file = '') => {
    const key = `${name}\u0000${file}`;
    let v = cache.get(key);
    if (v === undefined) {
      v = isRuntimeFrame(name)
        ? 'runtime'
        : !isUserFrame(name) || stdFile(file)
          ? 'std'
          : depPackages.has(packagePath(name)) || DEPENDENCY_FILE.test(file)
            ? 'dep'
            : 'user';
      cache.set(key, v);
    }
    return v;
  };
}

/** Expand every sample into leaf-first logical frames with the selected value. */
export function stackSamples(p: Profile, index: number, countIndex = -1): StackSample[] {
  const out: StackSample[] = [];
  // Frames are shared between samples: one array per location, and one object per
  // distinct (function, file, line), so rules can group by identity.
  const byLocation = new Map<object, Frame[]>();
  const interned = new Map<string, Frame>();
  const names = new Map<string, string>();
  const profilerLoc = new Map<object, boolean>();
  const owner = codeOwner(p);
  for (let i = 0; i < p.sample.length; i++) {
    const s = p.sample[i];
    const exact = p.exactValues?.[i]?.[index];
    const value = exact !== undefined ? Number(exact) : s.value[index];
    if (!value) continue;
    const frames: Frame[] = [];
    let profiler = false;
    for (const loc of s.location) {
      let lf = byLocation.get(loc);
      if (!lf) {
        lf = loc.line.map((ln) => {
          let name = names.get(ln.function.name);
          if (name === undefined) names.set(ln.function.name, (name = normalizeName(ln.function.name)));
          const key = `${name}\u0000${ln.function.filename}\u0000${ln.line}`;
          let f = interned.get(key);
          if (!f)
            interned.set(
              key,
              (f = {
                name,
                file: ln.function.filename,
                line: ln.line,
                runtime: isRuntimeFrame(name),
                user: owner(name, ln.function.filename) === 'user',
              }),
            );
          return f;
        });
        byLocation.set(loc, lf);
        profilerLoc.set(
          loc,
          lf.some((f) => PROF_OVERHEAD.test(f.name)),
        );
      }
      if (profilerLoc.get(loc)) profiler = true;
      for (const f of lf) frames.push(f);
    }
    const count = countIndex >= 0 ? s.value[countIndex] : 0;
    const st: StackSample = { frames, value, bytes: s.numLabel?.bytes?.[0] ?? 0, count, profiler };
    const state = s.label?.state?.[0];
    if (state !== undefined && s.numUnit?.wait?.[0] === 'minutes') st.goroutine = { state, waitMinutes: s.numLabel?.wait?.[0] ?? 0 };
    out.push(st);
  }
  return out;
}

/** Index of the first user frame at or above `from` (towards the root), or -1. */
export function userFrameIndex(frames: Frame[], from = 0): number {
  for (let i = from; i < frames.length; i++) if (frames[i].user) return i;
  return -1;
}

/**
 * The caller edge of a runtime operation at `at` (what `go tool pprof -peek` lists as its
 * callers, at line granularity): the first frame towards the root that is not runtime
 * code, i.e. the function whose own call site performs the operation. -1 when none.
 */
export function callSiteIndex(frames: Frame[], at: number): number {
  for (let i = at + 1; i < frames.length; i++) if (!frames[i].runtime) return i;
  return -1;
}

/**
 * Where the user's code enters library code (standard library or a dependency) on the way
 * to frame `from`: the first user frame at or above it, and the library function it called.
 * null when a user frame performs `from` itself or no user frame is above it.
 */
export function libraryEntry(frames: Frame[], from: number): { user: number; entry: number } | null {
  if (from < 0 || frames[from].user) return null;
  const u = userFrameIndex(frames, from + 1);
  if (u < 0) return null;
  let entry = u - 1;
  while (entry > from && frames[entry].runtime) entry--;
  return frames[entry].runtime ? null : { user: u, entry };
}

/** Index of the first frame matching `re`, or -1. */
export function findFrame(frames: Frame[], re: RegExp): number {
  for (let i = 0; i < frames.length; i++) if (re.test(frames[i].name)) return i;
  return -1;
}

/** Regexp source matching exactly these frame names (for the UI's highlight). */
export function exactNamesRegExp(names: string[]): string {
  const uniq = [...new Set(names)];
  return uniq.length ? `^(${uniq.map(quoteMeta).join('|')})$` : '';
}

/** True when the profile was written by a Go program (runtime.* frames exist). */
export function looksLikeGo(p: Profile): boolean {
  return p.function.some((f) => /^runtime\.[A-Za-z_]/.test(f.name) || /^main\.[A-Za-z_]/.test(f.name));
}

/**
 * Guess the Go release from version-specific runtime names (concepts.md 1.8).
 * Returns a range such as ">=1.26", "1.24-1.25", "1.19-1.21" or "" when no marker is present.
 */
export function guessGoVersion(p: Profile): string {
  const names = new Set(p.function.map((f) => f.name));
  const any = (re: RegExp) => p.function.some((f) => re.test(f.name));
  if (any(/^runtime\.scanObject$|^internal\/strconv\.|^internal\/runtime\/syscall\/linux\./)) return '>=1.26';
  if (any(/^internal\/sync\.|^runtime\.mallocgc(Tiny|SmallScanNoHeader|SmallNoscan|Large)|^internal\/runtime\/maps\./)) return '>=1.24';
  if (any(/^internal\/runtime\/syscall\.Syscall6$/)) return '1.23-1.25';
  if (names.has('runtime.heapSetType')) return '1.22-1.23';
  if (names.has('runtime.heapBitsSetType') || any(/^fmt\.glob\.\.func/)) return '<=1.21';
  if (any(/^runtime\/internal\/syscall\./)) return '<=1.22';
  return '';
}
