// Where a Go developer's code lives on this machine, as the go command sees it from a
// directory: the current module or the go.work workspace around it (with local `replace`
// targets and vendor/modules.txt), the module cache ($GOMODCACHE, default
// $GOPATH/pkg/mod, default $HOME/go/pkg/mod) and the installed GOROOTs (Debian's
// /usr/lib/go-1.NN side by side, /usr/local/go, $HOME/sdk/go1.N.P, toolchains in the
// module cache). Read-only: nothing here downloads or runs the go command.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { findGoroot } from './go-env.js';

export interface LocalModule {
  /** Module path from its go.mod. */
  path: string;
  dir: string;
  /** How it was found: the module around the working directory, a go.work `use`, a `replace` target. */
  kind: 'module' | 'workspace' | 'replace';
}

export interface VendorDir {
  dir: string;
  /** Module path -> version, from vendor/modules.txt. */
  versions: Map<string, string>;
}

export interface GoLayout {
  modules: LocalModule[];
  vendor: VendorDir[];
}

const MAX_GO_FILE = 1 << 20;

function readSmall(p: string): string | null {
  try {
    const st = statSync(p);
    return st.isFile() && st.size <= MAX_GO_FILE ? readFileSync(p, 'utf8') : null;
  } catch {
    return null;
  }
}

function isDir(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/** go.mod/go.work text without // comments. */
function stripComments(text: string): string {
  return text.replace(/\/\/[^\n]*/g, '');
}

/** Arguments of a directive in its single-line and block forms (`use ./a` / `use ( ./a ./b )`). */
export function directiveLines(text: string, verb: string): string[] {
  const out: string[] = [];
  const src = stripComments(text);
  const block = new RegExp(`^\\s*${verb}\\s*\\(([^)]*)\\)`, 'gm');
  for (let m = block.exec(src); m; m = block.exec(src)) {
    for (const l of m[1].split('\n')) if (l.trim()) out.push(l.trim());
  }
  const single = new RegExp(`^\\s*${verb}\\s+([^(\\s][^\\n]*)$`, 'gm');
  for (let m = single.exec(src); m; m = single.exec(src)) out.push(m[1].trim());
  return out;
}

const unquote = (s: string): string => s.replace(/^"(.*)"$/, '$1');

export function moduleLine(text: string): string | null {
  const l = directiveLines(text, 'module')[0];
  return l ? unquote(l.split(/\s+/)[0]) : null;
}

/** Local-directory `replace` targets of a go.mod: module path -> directory. */
export function localReplaces(text: string, modDir: string): { path: string; dir: string }[] {
  const out: { path: string; dir: string }[] = [];
  for (const l of directiveLines(text, 'replace')) {
    const m = /^(\S+)(?:\s+\S+)?\s*=>\s*(\S+)\s*$/.exec(l);
    if (!m) continue;
    const target = unquote(m[2]);
    // Only filesystem targets (./x, ../x, /x); "example.com/fork v1.2.3" lives in the module cache.
    if (!/^(\.\.?\/|\/)/.test(target)) continue;
    out.push({ path: unquote(m[1]), dir: resolve(modDir, target) });
  }
  return out;
}

/** vendor/modules.txt: "# example.com/dep v1.0.0" lines. */
export function vendorVersions(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of text.matchAll(/^# (\S+) (v\S+)/gm)) out.set(m[1], m[2]);
  return out;
}

/** The nearest ancestor of `start` (inclusive) holding `name`, or null. */
function findUp(start: string, name: string): string | null {
  for (let dir = resolve(start); ; dir = dirname(dir)) {
    if (existsSync(join(dir, name))) return dir;
    if (dirname(dir) === dir) return null;
  }
}

/**
 * The Go layout around `cwd`: the go.work workspace when there is one ($GOWORK, or
 * go.work found upwards; GOWORK=off disables it), else the module holding `cwd`.
 */
export function goLayout(cwd: string, env: NodeJS.ProcessEnv = process.env): GoLayout {
  const modules: LocalModule[] = [];
  const vendor: VendorDir[] = [];
  const addModule = (dir: string, kind: LocalModule['kind']): void => {
    const text = readSmall(join(dir, 'go.mod'));
    const path = text ? moduleLine(text) : null;
    if (!text || !path || modules.some((m) => m.dir === dir)) return;
    modules.push({ path, dir, kind });
    for (const r of localReplaces(text, dir)) {
      if (isDir(r.dir) && !modules.some((m) => m.path === r.path)) modules.push({ path: r.path, dir: r.dir, kind: 'replace' });
    }
  };
  const addVendor = (dir: string): void => {
    const text = readSmall(join(dir, 'vendor', 'modules.txt'));
    if (text) vendor.push({ dir: join(dir, 'vendor'), versions: vendorVersions(text) });
  };
  const gowork = env.GOWORK;
  let workFile: string | null = null;
  if (gowork && gowork !== 'off' && isAbsolute(gowork)) workFile = gowork;
  else if (gowork !== 'off') {
    const d = findUp(cwd, 'go.work');
    if (d) workFile = join(d, 'go.work');
  }
  const work = workFile ? readSmall(workFile) : null;
  if (work && workFile) {
    const base = dirname(workFile);
    for (const u of directiveLines(work, 'use')) addModule(resolve(base, unquote(u.split(/\s+/)[0])), 'workspace');
    for (const r of localReplaces(work, base)) {
      if (isDir(r.dir) && !modules.some((m) => m.path === r.path)) modules.push({ path: r.path, dir: r.dir, kind: 'replace' });
    }
    addVendor(base);
  } else {
    const d = findUp(cwd, 'go.mod');
    if (d) {
      addModule(d, 'module');
      addVendor(d);
    }
  }
  // Longest module path first so nested modules win over their parents.
  modules.sort((a, b) => b.path.length - a.path.length);
  return { modules, vendor };
}

/** $GOMODCACHE, else the first $GOPATH entry's pkg/mod, else $HOME/go/pkg/mod; null when absent. */
export function goModCache(env: NodeJS.ProcessEnv = process.env): string | null {
  const gopath = (env.GOPATH ?? '').split(':').find((p) => p !== '');
  const home = env.HOME || homedir();
  const dir = env.GOMODCACHE || (gopath ? join(gopath, 'pkg', 'mod') : home ? join(home, 'go', 'pkg', 'mod') : '');
  return dir && isDir(dir) ? resolve(dir) : null;
}

// --- GOROOT per Go version ------------------------------------------------------------

export interface InstalledGo {
  dir: string;
  /** "1.23" style release (major.minor) and the full version when known ("go1.23.2"). */
  release: string;
  version: string;
}

/** "go1.23.2" / "1.23" / "go-1.23" -> "1.23"; null otherwise. */
export function releaseOf(v: string): string | null {
  const m = /(?:^|go-?)(1\.\d+)/.exec(v);
  return m ? m[1] : null;
}

function versionOf(dir: string, fallback: string): string {
  const text = readSmall(join(dir, 'VERSION'));
  const first = text?.split('\n')[0].trim();
  return first && /^go1\./.test(first) ? first : fallback;
}

function addGo(out: InstalledGo[], dir: string, fallback: string): void {
  if (!isDir(join(dir, 'src', 'runtime'))) return;
  const real = resolve(dir);
  if (out.some((g) => g.dir === real)) return;
  const version = versionOf(real, fallback);
  const release = releaseOf(version);
  if (release) out.push({ dir: real, release, version });
}

/** Go installations found in the usual places, the default one (findGoroot) first. */
export function installedGoroots(env: NodeJS.ProcessEnv = process.env, modCache = goModCache(env)): InstalledGo[] {
  const out: InstalledGo[] = [];
  const def = findGoroot();
  if (def) addGo(out, def, '');
  const list = (dir: string): string[] => {
    try {
      return readdirSync(dir);
    } catch {
      return [];
    }
  };
  for (const n of list('/usr/lib')) if (/^go-1\.\d+$/.test(n)) addGo(out, join('/usr/lib', n), n);
  addGo(out, '/usr/local/go', '');
  const home = env.HOME || homedir();
  if (home) for (const n of list(join(home, 'sdk'))) if (/^go1\.\d+/.test(n)) addGo(out, join(home, 'sdk', n), n);
  if (modCache) {
    for (const n of list(join(modCache, 'golang.org'))) {
      const m = /^toolchain@v0\.0\.1-(go1\.[^.]+(?:\.\d+)?)\./.exec(n);
      if (m) addGo(out, join(modCache, 'golang.org', n), m[1]);
    }
  }
  return out;
}

/**
 * The Go release a profile names in its GOROOT file names ("/usr/lib/go-1.21/src/...",
 * "/usr/local/go1.22.3/src/...", "golang.org/toolchain@v0.0.1-go1.23.5.linux-amd64/src/..."),
 * or null when its names carry none (-trimpath builds).
 */
export function releaseInFileNames(files: Iterable<string>): string | null {
  const re = /(?:^|\/)(?:go-|go|toolchain@v0\.0\.1-go)(1\.\d+)(?:\.\d+)?[^/]*\/src\//;
  for (const f of files) {
    const m = re.exec(f);
    if (m) return m[1];
  }
  return null;
}

/** True when release "1.NN" lies in a guessed range (">=1.24", "1.22-1.23", "<=1.21"). */
export function releaseInRange(release: string, range: string): boolean {
  const n = (r: string): number => Number(r.split('.')[1]);
  const v = n(release);
  let m: RegExpExecArray | null;
  if ((m = /^>=(1\.\d+)$/.exec(range))) return v >= n(m[1]);
  if ((m = /^<=(1\.\d+)$/.exec(range))) return v <= n(m[1]);
  if ((m = /^(1\.\d+)-(1\.\d+)$/.exec(range))) return v >= n(m[1]) && v <= n(m[2]);
  return false;
}

export interface GorootChoice {
  dir: string;
  version: string;
  /** Set when the profile's Go release is known to differ from this GOROOT's. */
  warning?: string;
}

/**
 * The GOROOT to read standard-library files from: the installed Go of the profile's
 * release (named in its file names, else guessed from runtime function names), else the
 * default GOROOT with a warning. Null when no Go is installed.
 */
export function chooseGoroot(installed: InstalledGo[], named: string | null, guessed: string): GorootChoice | null {
  if (installed.length === 0) return null;
  const def = installed[0];
  if (named) {
    const same = installed.find((g) => g.release === named);
    if (same) return { dir: same.dir, version: same.version };
    return {
      dir: def.dir,
      version: def.version,
      warning: `the profile was built with Go ${named} but only ${[...new Set(installed.map((g) => g.release))].join(', ')} is installed: showing ${def.version}, so standard-library lines may not match (Debian: apt install golang-${named}-go)`,
    };
  }
  if (guessed) {
    const fits = installed.filter((g) => releaseInRange(g.release, guessed));
    if (fits.length > 0) return { dir: fits[0].dir, version: fits[0].version };
    return {
      dir: def.dir,
      version: def.version,
      warning: `the profile's runtime functions suggest Go ${guessed}; showing ${def.version}, so standard-library lines may not match`,
    };
  }
  return { dir: def.dir, version: def.version };
}
