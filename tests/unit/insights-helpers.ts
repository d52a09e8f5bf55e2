// Shared helpers for the insights tests: load real profiles, run the engine, and ask
// `go tool pprof` for the reference numbers.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeProfile } from '../../server/src/decode/index.js';
import { computeInsights } from '../../server/src/insights/engine.js';
import type { Finding, InsightsReport } from '../../contract/insights.js';
import type { Profile } from '../../server/src/model/profile.js';
import { CORPUS_DIR } from '../corpus.js';

export const ROOT = join(import.meta.dirname, '../..');
export const GO_VERSIONS_DIR = CORPUS_DIR + '/go-versions';
export const GO_VERSIONS = ['1.19', '1.22', '1.24', '1.26'];
export const GOOGLE_CORPUS = CORPUS_DIR + '/google-pprof';

export function load(file: string): Profile {
  return decodeProfile(readFileSync(file));
}

export function insights(file: string, si?: string): InsightsReport {
  return computeInsights(load(file), si);
}

export function byRule(r: InsightsReport, rule: string): Finding[] {
  return r.findings.filter((f) => f.rule === rule);
}

export function forFunction(r: InsightsReport, rule: string, fn: string): Finding | undefined {
  return r.findings.find((f) => f.rule === rule && f.functions.some((x) => x.name === fn));
}

let goBin: string | null = null;
function go(): string {
  if (!goBin) goBin = execFileSync('bash', [join(ROOT, 'scripts/ensure-go.sh')], { encoding: 'utf8' }).trim();
  return goBin;
}

export interface PprofRow {
  flatPct: number;
  cumPct: number;
}

/** `go tool pprof -top` rows (name -> flat%/cum%) for one sample index. */
export function pprofTop(file: string, sampleIndex?: string): Map<string, PprofRow> {
  const args = ['tool', 'pprof', '-top', '-nodefraction=0', '-nodecount=100000'];
  if (sampleIndex) args.push(`-sample_index=${sampleIndex}`);
  args.push(file);
  const out = execFileSync(go(), args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  const rows = new Map<string, PprofRow>();
  for (const line of out.split('\n')) {
    const m = /^\s*\S+\s+([\d.]+)%\s+[\d.]+%\s+\S+\s+([\d.]+)%\s+(.+?)\s*$/.exec(line);
    if (m) rows.set(m[3].replace(/ \(inline\)$/, ''), { flatPct: Number(m[1]), cumPct: Number(m[2]) });
  }
  return rows;
}

export function hasFile(f: string): boolean {
  return existsSync(f);
}

/** Share (percent) of the total that `go tool pprof -focus=F -ignore=I` keeps. */
export function pprofFocusedPct(file: string, focus: string, ignore: string, sampleIndex?: string): number {
  const args = ['tool', 'pprof', '-top', '-nodefraction=0', '-nodecount=100000', `-focus=${focus}`, `-ignore=${ignore}`];
  if (sampleIndex) args.push(`-sample_index=${sampleIndex}`);
  args.push(file);
  const out = execFileSync(go(), args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  const m = /Showing nodes accounting for \S+, ([\d.]+)% of/.exec(out);
  if (!m) throw new Error(`no "Showing nodes" line from pprof for ${file}`);
  return Number(m[1]);
}

/** `go tool pprof -proto` of a file (legacy formats included), or null when pprof cannot read it. */
export function pprofProto(file: string): Uint8Array | null {
  try {
    return execFileSync(go(), ['tool', 'pprof', '-proto', '-symbolize=none', file], {
      stdio: ['ignore', 'pipe', 'ignore'],
      maxBuffer: 64 << 20,
    });
  } catch {
    return null;
  }
}
