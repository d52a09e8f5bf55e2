// Shared plumbing for rules: per-site aggregation and finding assembly.
import type { Confidence, Finding, FindingFunction, Severity } from '../../../../contract/insights.js';
import type { ProfileKind } from '../../../../contract/views.js';
import type { Frame, StackSample } from '../frames.js';
import { exactNamesRegExp } from '../frames.js';

/** What every rule receives. */
export interface RuleInput {
  samples: StackSample[];
  /** Sum of the selected values over all samples (pprof's total). */
  total: number;
  sampleType: { type: string; unit: string };
  /** Heap sampling period (MemProfileRate) or CPU period; 0 when unknown. */
  period: number;
  /** Whether StackSample.count is meaningful (CPU samples, heap objects, contentions). */
  hasCounts: boolean;
  goVersion: string;
  /**
   * The file name "Try next" commands use: the profile's stored name when it has one, else
   * the name `curl -o` would give it for its endpoint (cpu.pb.gz, heap.pb.gz, allocs.pb.gz...).
   * Already shell-quoted when it needs quoting.
   */
  file: string;
  /** The profiled program as a command ("./name" from the main mapping, pprof's File:), or "./yourprogram". */
  program: string;
  /** What endpoint the profile came from (report/meta.ts detectKind): heap vs allocs, mutex vs block. */
  kind: ProfileKind;
  /** A goroutine profile of the same program taken earlier (insights ?base=), when given. */
  base?: StackSample[];
  baseTotal?: number;
}

export type Rule = (input: RuleInput) => Finding[];

/** Accumulates values per user function (the site), remembering its hottest line. */
export class SiteTable {
  private readonly byName = new Map<string, { fn: FindingFunction; lines: Map<string, number> }>();
  value = 0;
  count = 0;
  readonly matched = new Set<string>();

  add(site: Frame, value: number, count = 1): void {
    this.value += value;
    this.count += count;
    let e = this.byName.get(site.name);
    if (!e) {
      e = { fn: { name: site.name, file: site.file, line: site.line, value: 0, share: 0 }, lines: new Map() };
      this.byName.set(site.name, e);
    }
    e.fn.value += value;
    const key = `${site.file}:${site.line}`;
    e.lines.set(key, (e.lines.get(key) ?? 0) + value);
  }

  /** Sites largest first; each takes the line holding most of its value. */
  functions(total: number, minShare = 0.005, limit = 5): FindingFunction[] {
    const out: FindingFunction[] = [];
    for (const { fn, lines } of this.byName.values()) {
      let best = '';
      let bestV = -1;
      for (const [k, v] of lines)
        if (v > bestV) {
          best = k;
          bestV = v;
        }
      const cut = best.lastIndexOf(':');
      out.push({ ...fn, file: best.slice(0, cut), line: Number(best.slice(cut + 1)), share: total ? fn.value / total : 0 });
    }
    out.sort((a, b) => b.value - a.value || a.name.localeCompare(b.name));
    return out.filter((f) => f.share >= minShare).slice(0, limit);
  }
}

export function pct(share: number): string {
  const v = share * 100;
  return `${v >= 10 ? v.toFixed(1) : v.toFixed(2)}%`;
}

export function severityFor(share: number, warnAt: number): Severity {
  return share >= warnAt ? 'warning' : 'info';
}

/** Short "a, b and c" list of function names. */
export function nameList(fns: FindingFunction[], max = 3): string {
  const names = fns.slice(0, max).map((f) => f.name);
  if (names.length <= 1) return names[0] ?? '';
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

export function where(f: FindingFunction | undefined): string {
  if (!f) return '';
  const file = f.file ? f.file.split('/').slice(-1)[0] : '';
  return file && f.line ? `${f.name} (${file}:${f.line})` : f.name;
}

/** Highlight both the user sites and the signal frames. */
export function highlightFor(fns: FindingFunction[], signal: Iterable<string>): string {
  return exactNamesRegExp([...fns.map((f) => f.name), ...signal]);
}

export function finding(p: {
  rule: string;
  concept: string;
  related?: string[];
  title: string;
  severity: Severity;
  confidence: Confidence;
  value: number;
  total: number;
  functions: FindingFunction[];
  evidence: string[];
  advice: string;
  commands: string[];
  highlight: string;
}): Finding {
  return {
    rule: p.rule,
    concept: p.concept,
    related: p.related ?? [],
    title: p.title,
    severity: p.severity,
    confidence: p.confidence,
    value: p.value,
    share: p.total ? p.value / p.total : 0,
    functions: p.functions,
    evidence: p.evidence,
    advice: p.advice,
    commands: p.commands,
    highlight: p.highlight,
  };
}

/** Shell-quote a regexp for a pprof command line. */
export function shq(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** A file name as a shell word: unchanged when it is plain, quoted otherwise. */
export function shellWord(s: string): string {
  return /^[A-Za-z0-9._\-/+@=:,]+$/.test(s) ? s : shq(s);
}
