// Scores the insights engine on the labelled evaluation set (tests/fixtures/insights-eval,
// format in its README.md): per-rule precision and recall over every labelled profile.
// Shared by tests/unit/insights-eval.test.ts (pass/fail) and bench/insights-eval.bench.ts
// (figures only).
import { readFileSync, readdirSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeProfile } from '../../server/src/decode/index.js';
import { computeInsights } from '../../server/src/insights/engine.js';
import type { Finding, FindingFunction, InsightsReport } from '../../contract/insights.js';
import type { Profile } from '../../server/src/model/profile.js';

export const EVAL_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../fixtures/insights-eval');
const ROOT = resolve(EVAL_DIR, '../../..');

/** Every rule id a label may name: today's rules and the ones issue 14 adds. */
export const RULE_IDS = [
  'cpu.library-hotspot',
  'cpu.slice-growth',
  'cpu.map-growth',
  'cpu.string-concat',
  'cpu.sprintf',
  'cpu.interface-boxing',
  'cpu.lock-contention',
  'cpu.allocation',
  'cpu.gc-pressure',
  'heap.library-hotspot',
  'heap.slice-growth',
  'heap.string-concat',
  'heap.sprintf',
  'heap.strconv',
  'heap.buffer-growth',
  'heap.small-objects',
  'goroutine.leak',
  'goroutine.proven-leak',
  'goroutine.growth',
  'mutex.hot-lock',
  'block.lock-wait',
] as const;

/** A finding that must (expect) or may (optional) be reported, naming this function. */
export interface Label {
  rule: string;
  function: string;
  /** When set, the finding must give this line for the function (the call site). */
  line?: number;
  /** With line: the source file, as the end of the profile's path ("cpueval/main.go"). */
  file?: string;
}

export interface LabelledProfile {
  /** Profile file, relative to the case folder. */
  file: string;
  /** Earlier profile of the same program (goroutine growth), relative to the case folder. */
  base?: string;
  /** A trap: something a naive rule would flag wrongly. */
  trap: boolean;
  why: string;
  expect: Label[];
  optional: Label[];
  /** Rule ids that must not fire at all; "*" = no rule may fire. */
  silent: string[];
}

export interface EvalCase {
  id: string;
  dir: string;
  program: string;
  go: string;
  profiles: LabelledProfile[];
}

function fail(where: string, msg: string): never {
  throw new Error(`${relative(ROOT, where)}: ${msg}`);
}

function ruleId(where: string, v: unknown): string {
  if (typeof v !== 'string' || !(v === '*' || (RULE_IDS as readonly string[]).includes(v)))
    fail(where, `unknown rule id ${JSON.stringify(v)}`);
  return v;
}

function labels(where: string, v: unknown): Label[] {
  if (v === undefined) return [];
  if (!Array.isArray(v)) fail(where, 'labels must be an array');
  return v.map((x: unknown) => {
    const o = x as Record<string, unknown>;
    if (typeof o !== 'object' || o === null || typeof o.function !== 'string' || !o.function) fail(where, `bad label ${JSON.stringify(x)}`);
    if (o.line !== undefined && (typeof o.line !== 'number' || !Number.isInteger(o.line) || o.line <= 0))
      fail(where, `bad line in ${JSON.stringify(x)}`);
    const l: Label = { rule: ruleId(where, o.rule), function: o.function };
    if (l.rule === '*') fail(where, '"*" is only for silent');
    if (typeof o.line === 'number') l.line = o.line;
    if (typeof o.file === 'string') l.file = o.file;
    return l;
  });
}

/** Reads and checks every case folder's expect.json. */
export function loadEvalCases(dir = join(EVAL_DIR, 'cases')): EvalCase[] {
  const out: EvalCase[] = [];
  for (const id of readdirSync(dir).sort()) {
    const caseDir = join(dir, id);
    const where = join(caseDir, 'expect.json');
    const raw = JSON.parse(readFileSync(where, 'utf8')) as Record<string, unknown>;
    if (!Array.isArray(raw.profiles) || raw.profiles.length === 0) fail(where, 'no profiles');
    const profiles = raw.profiles.map((x: unknown): LabelledProfile => {
      const o = x as Record<string, unknown>;
      if (typeof o.file !== 'string') fail(where, 'profile without file');
      if (typeof o.why !== 'string' || !o.why) fail(where, `${o.file}: say why (the reasoning behind the labels)`);
      if (o.silent !== undefined && !Array.isArray(o.silent)) fail(where, `${o.file}: silent must be an array`);
      const p: LabelledProfile = {
        file: o.file,
        trap: o.trap === true,
        why: o.why,
        expect: labels(where, o.expect),
        optional: labels(where, o.optional),
        silent: ((o.silent as unknown[] | undefined) ?? []).map((r) => ruleId(where, r)),
      };
      if (typeof o.base === 'string') p.base = o.base;
      for (const l of p.expect)
        if (p.silent.includes(l.rule) || p.silent.includes('*')) fail(where, `${o.file}: ${l.rule} both expected and silent`);
      return p;
    });
    out.push({ id, dir: caseDir, program: String(raw.program ?? ''), go: String(raw.go ?? ''), profiles });
  }
  return out;
}

const decoded = new Map<string, Profile>();

/** Profiles are small and read twice (label check, scoring): decode each once. */
function load(file: string): Profile {
  let p = decoded.get(file);
  if (!p) decoded.set(file, (p = decodeProfile(readFileSync(file))));
  return p;
}

/** How the engine is called: the profile, the sample type (default), and options. */
type EngineEntry = (p: Profile, si?: string, opts?: { name?: string; base?: Profile }) => InsightsReport;
/**
 * The engine as the /insights route runs it (server/src/workers/feature-ops.ts): the stored
 * file name and, for growth, the base profile. An engine that takes no options ignores them.
 */
const engine: EngineEntry = computeInsights;

export function runEngine(file: string, base?: string): InsightsReport {
  const opts = base ? { name: basename(file), base: load(base) } : { name: basename(file) };
  return engine(load(file), undefined, opts);
}

/**
 * Labels whose function (or function at that line) never occurs in their profile: stale
 * after a program was edited and a case re-run, or misspelt.
 */
export function staleLabels(cases: EvalCase[]): string[] {
  const out: string[] = [];
  for (const c of cases)
    for (const p of c.profiles) {
      const prof = load(join(c.dir, p.file));
      const fns = new Set<string>();
      const at: { name: string; file: string; line: number }[] = [];
      for (const s of prof.sample)
        for (const loc of s.location)
          for (const ln of loc.line) {
            fns.add(ln.function.name);
            at.push({ name: ln.function.name, file: ln.function.filename, line: ln.line });
          }
      for (const l of [...p.expect, ...p.optional])
        if (
          !fns.has(l.function) ||
          (l.line !== undefined && !at.some((f) => f.name === l.function && f.line === l.line && fileMatches(f.file, l)))
        )
          out.push(`${c.id}/${p.file}: ${describeLabel(l)} is not in the profile`);
    }
  return out;
}

function fileMatches(file: string, l: Label): boolean {
  return l.file === undefined || file === l.file || file.endsWith(`/${l.file}`);
}

function fnMatches(x: FindingFunction, l: Label): boolean {
  return x.name === l.function && (l.line === undefined || x.line === l.line) && fileMatches(x.file, l);
}

/** The finding is this label's rule and names its function (and line). */
function names(f: Finding, l: Label): boolean {
  return f.rule === l.rule && f.functions.some((x) => fnMatches(x, l));
}

/**
 * Every function the finding names is labelled for its rule (expected or optional): a
 * finding that blames a right and a wrong function is false. A finding that names no
 * function is right only where its rule is labelled at all.
 */
function covered(f: Finding, ok: Label[]): boolean {
  const mine = ok.filter((l) => l.rule === f.rule);
  if (!f.functions.length) return mine.length > 0;
  return f.functions.every((x) => mine.some((l) => fnMatches(x, l)));
}

function describeFinding(f: Finding): string {
  const fns = f.functions.map((x) => `${x.name}${x.line ? `:${x.line}` : ''}`).join(', ');
  return `${f.rule} [${fns}]`;
}

function describeLabel(l: Label): string {
  const at = l.line === undefined ? '' : l.file ? ` ${l.file}:${l.line}` : ` line ${l.line}`;
  return `${l.rule} ${l.function}${at}`;
}

export interface RuleScore {
  rule: string;
  /** Expected labels (positives). */
  positives: number;
  tp: number;
  fn: number;
  fp: number;
}

export interface ProfileResult {
  caseId: string;
  file: string;
  trap: boolean;
  missed: string[];
  /** Findings that match no expected or optional label (broken silences are marked). */
  wrong: string[];
}

export interface EvalScore {
  rules: RuleScore[];
  total: RuleScore;
  profiles: ProfileResult[];
  traps: number;
}

export function scoreEval(cases: EvalCase[], run: (file: string, base?: string) => InsightsReport = runEngine): EvalScore {
  const byRule = new Map<string, RuleScore>(RULE_IDS.map((r) => [r, { rule: r, positives: 0, tp: 0, fn: 0, fp: 0 }]));
  const rule = (r: string): RuleScore => {
    let s = byRule.get(r);
    if (!s) byRule.set(r, (s = { rule: r, positives: 0, tp: 0, fn: 0, fp: 0 }));
    return s;
  };
  const profiles: ProfileResult[] = [];
  let traps = 0;
  for (const c of cases)
    for (const p of c.profiles) {
      if (p.trap) traps++;
      const report = run(join(c.dir, p.file), p.base && join(c.dir, p.base));
      const res: ProfileResult = { caseId: c.id, file: p.file, trap: p.trap, missed: [], wrong: [] };
      const ok = [...p.expect, ...p.optional];
      const right = report.findings.filter((f) => covered(f, ok));
      for (const l of p.expect) {
        const s = rule(l.rule);
        s.positives++;
        if (right.some((f) => names(f, l))) s.tp++;
        else {
          s.fn++;
          res.missed.push(describeLabel(l));
        }
      }
      for (const f of report.findings) {
        if (right.includes(f)) continue;
        rule(f.rule).fp++;
        const silenced = p.silent.includes('*') || p.silent.includes(f.rule);
        res.wrong.push(`${describeFinding(f)}${silenced ? ' (must be silent)' : ''}`);
      }
      profiles.push(res);
    }
  const rules = [...byRule.values()];
  const total: RuleScore = { rule: 'all rules', positives: 0, tp: 0, fn: 0, fp: 0 };
  for (const s of rules) {
    total.positives += s.positives;
    total.tp += s.tp;
    total.fn += s.fn;
    total.fp += s.fp;
  }
  return { rules, total, profiles, traps };
}

/** Precision with no finding at all counts as 1 (nothing false was said). */
export function precision(s: RuleScore): number {
  return s.tp + s.fp ? s.tp / (s.tp + s.fp) : 1;
}

export function recall(s: RuleScore): number {
  return s.positives ? s.tp / s.positives : 1;
}

export const MIN_PRECISION = 1;
export const MIN_RECALL = 0.9;

/** Rules (and the total) below the bar: precision < 1 anywhere, recall < 0.9 where there are positives. */
export function belowBar(score: EvalScore): string[] {
  const out: string[] = [];
  for (const s of [...score.rules, score.total]) {
    if (precision(s) < MIN_PRECISION) out.push(`${s.rule}: precision ${precision(s).toFixed(2)} (${s.fp} false)`);
    if (s.positives && recall(s) < MIN_RECALL) out.push(`${s.rule}: recall ${recall(s).toFixed(2)} (${s.fn} of ${s.positives} missed)`);
  }
  return out;
}

function fmt(x: number): string {
  return x.toFixed(2);
}

/** The per-rule table (Markdown, so bench/RESULTS.md can hold it as printed). */
export function formatScoreTable(score: EvalScore): string {
  const head = ['rule', 'labelled', 'found', 'missed', 'false', 'precision', 'recall'];
  const rows = [...score.rules.filter((s) => s.positives || s.fp), score.total].map((s) => [
    s.rule,
    String(s.positives),
    String(s.tp),
    String(s.fn),
    String(s.fp),
    fmt(precision(s)),
    s.positives ? fmt(recall(s)) : '-',
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r: string[]) => `| ${r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(' | ')} |`;
  const sep = `| ${widths.map((w, i) => (i === 0 ? '-'.repeat(w) : `${'-'.repeat(w - 1)}:`)).join(' | ')} |`;
  return [line(head), sep, ...rows.map(line)].join('\n');
}

/** One line per profile the engine gets wrong: what it missed and what it said falsely. */
export function formatMisses(score: EvalScore): string {
  const lines: string[] = [];
  for (const p of score.profiles) {
    if (!p.missed.length && !p.wrong.length) continue;
    const parts = [...p.missed.map((m) => `missed ${m}`), ...p.wrong.map((w) => `false ${w}`)];
    lines.push(`${p.caseId}/${p.file}${p.trap ? ' (trap)' : ''}: ${parts.join('; ')}`);
  }
  return lines.join('\n');
}
