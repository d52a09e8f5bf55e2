// Goroutine profiles: each sample is one distinct stack, its value the number of
// goroutines sharing it. Many goroutines parked on the same channel or lock stack are
// the shape of a leak.
import type { Finding, FindingFunction } from '../../../../contract/insights.js';
import { exactName } from '../../../../contract/go-regexp.js';
import { PARK } from '../patterns.js';
import type { Rule } from './common.js';
import { finding, highlightFor, pct, where } from './common.js';

interface WaitKind {
  label: string;
  re: RegExp;
  /** Kinds that healthy worker pools also sit in need a bigger crowd before we speak. */
  strict: boolean;
}

const KINDS: WaitKind[] = [
  { label: 'chan send', re: /^runtime\.(chansend1?|selectnbsend)$/, strict: false },
  { label: 'chan receive', re: /^runtime\.(chanrecv1)$/, strict: false },
  { label: 'chan receive (range loop or v, ok)', re: /^runtime\.chanrecv2$/, strict: true },
  { label: 'chan receive', re: /^runtime\.chanrecv$/, strict: false },
  { label: 'select with no cases', re: /^runtime\.block$/, strict: false },
  { label: 'select', re: /^runtime\.selectgo$/, strict: false },
  { label: 'sync.Mutex.Lock', re: /^(internal\/)?sync\.runtime_SemacquireMutex$|^sync\.runtime_SemacquireRWMutexR?$/, strict: true },
  { label: 'sync.WaitGroup.Wait', re: /^sync\.runtime_Semacquire(WaitGroup)?$/, strict: true },
  { label: 'sync.Cond.Wait', re: /^sync\.runtime_notifyListWait$/, strict: true },
];

/** A stack shared by at least this many goroutines is reported regardless of the total. */
export const LEAK_MIN_COUNT = 100;
/** Smaller crowds count when they are this large and this big a part of all goroutines. */
export const LEAK_MIN_CROWD = 50;
export const LEAK_MIN_CROWD_SHARE = 0.2;

/** Dump states (the header's wait reason) and the kind each one is. */
const STATE_KINDS: Record<string, string> = {
  'chan send': 'chan send',
  'chan send (nil chan)': 'chan send',
  'chan receive': 'chan receive',
  'chan receive (nil chan)': 'chan receive',
  select: 'select',
  'select (no cases)': 'select with no cases',
  'sync.Mutex.Lock': 'sync.Mutex.Lock',
  'sync.RWMutex.Lock': 'sync.Mutex.Lock',
  'sync.RWMutex.RLock': 'sync.Mutex.Lock',
  semacquire: 'sync.WaitGroup.Wait',
  'sync.WaitGroup.Wait': 'sync.WaitGroup.Wait',
  'sync.Cond.Wait': 'sync.Cond.Wait',
};

/** Dumps: goroutines all parked at least this long are leak evidence even in a small crowd. */
export const LEAK_LONG_WAIT_MINUTES = 10;
export const LEAK_MIN_LONG_WAITERS = 10;

/** `pkg.Outer.func1.2` / `pkg.Outer.gowrap1` -> `pkg.Outer`; null for named functions. */
export function closureParent(name: string): string | null {
  const outer = name.replace(/(\.(func|gowrap)\d+)(\.\d+)*$/, '');
  return outer !== name ? outer : null;
}

export const goroutineLeaks: Rule = (input) => {
  const groups = new Map<
    string,
    {
      kind: WaitKind;
      count: number;
      blocked: FindingFunction;
      entry: FindingFunction | null;
      frames: string[];
      wait: { min: number; max: number } | null;
    }
  >();
  for (const s of input.samples) {
    const f = s.frames;
    let i = 0;
    let kind: WaitKind | undefined;
    if (s.goroutine) {
      // A text dump names the wait reason in its header and hides the runtime frames.
      const label = STATE_KINDS[s.goroutine.state];
      kind = label ? KINDS.find((k) => k.label === label) : undefined;
      if (!kind) continue;
    } else {
      while (i < f.length && PARK.test(f[i].name)) i++;
      if (i === 0 || i >= f.length) continue;
      // The first runtime/sync frame below the park says what the goroutine waits for.
      // Take the root-most match: chanrecv2 (what user code called) rather than chanrecv.
      for (let j = i; j < f.length && !f[j].user; j++) kind = KINDS.find((k) => k.re.test(f[j].name)) ?? kind;
    }
    if (!kind) continue;
    const u = f.findIndex((fr, idx) => idx >= i && fr.user);
    if (u < 0) continue;
    // The root-most frame is where the goroutine started (the `created by` frame when
    // the writer records it); only point at it when it is the user's code.
    let root = f.length - 1;
    while (root > u && f[root].runtime) root--;
    const blocked: FindingFunction = { name: f[u].name, file: f[u].file, line: f[u].line, value: 0, share: 0 };
    const entry = root > u && f[root].user ? { name: f[root].name, file: f[root].file, line: f[root].line, value: 0, share: 0 } : null;
    const key = `${kind.label}\u0000${f
      .slice(u)
      .map((x) => `${x.name}:${x.line}`)
      .join('\u0000')}`;
    const g = groups.get(key) ?? { kind, count: 0, blocked, entry, frames: f.slice(0, u + 1).map((x) => x.name), wait: null };
    g.count += s.value;
    if (s.goroutine) {
      const w = s.goroutine.waitMinutes;
      g.wait = g.wait ? { min: Math.min(g.wait.min, w), max: Math.max(g.wait.max, w) } : { min: w, max: w };
    }
    groups.set(key, g);
  }
  const out: Finding[] = [];
  for (const g of groups.values()) {
    const share = input.total ? g.count / input.total : 0;
    const crowd = !g.kind.strict && g.count >= LEAK_MIN_CROWD && share >= LEAK_MIN_CROWD_SHARE;
    // Every goroutine of the group parked for many minutes: stronger than any count.
    const longWait = !!g.wait && g.wait.min >= LEAK_LONG_WAIT_MINUTES && g.count >= LEAK_MIN_LONG_WAITERS;
    if (g.count < LEAK_MIN_COUNT && !crowd && !longWait) continue;
    const waited = g.wait
      ? g.wait.max === 0
        ? [
            'all of them waiting for less than a minute (the dump prints minutes from 1 on): take another dump later to see whether they are still there',
          ]
        : [`waiting ${g.wait.min === g.wait.max ? g.wait.min : `${g.wait.min} to ${g.wait.max}`} minutes`]
      : [];
    g.blocked.value = g.count;
    g.blocked.share = share;
    const fns = [g.blocked];
    if (g.entry && g.entry.name !== g.blocked.name) fns.push({ ...g.entry, value: g.count, share });
    const started = g.entry && g.entry.name !== g.blocked.name ? g.entry.name : g.blocked.name;
    // A goroutine running a function literal was started by the function that holds it.
    const outer = closureParent(started);
    const creator = outer ?? started;
    out.push(
      finding({
        rule: 'goroutine.leak',
        concept: 'goroutine-leaks',
        related: ['closures'],
        title: `${g.count} goroutines blocked on ${g.kind.label} in ${g.blocked.name}`,
        severity: g.count >= LEAK_MIN_COUNT || longWait ? 'warning' : 'info',
        confidence: longWait ? 'high' : 'medium',
        value: g.count,
        total: input.total,
        functions: fns,
        evidence: [
          `${g.count} of ${input.total} goroutines (${pct(share)}) share one stack parked on ${g.kind.label}`,
          ...waited,
          `blocked at ${where(g.blocked)}`,
          g.entry && g.entry.name !== g.blocked.name ? `started from ${where(g.entry)}` : `goroutine function: ${g.blocked.name}`,
          ...(outer ? [`the go statement is in ${outer} (${started} is a function literal inside it)`] : []),
          `stack: ${g.frames.join(' <- ')}`,
        ],
        advice:
          `Check that every goroutine started by ${creator} can finish: whoever should ${g.kind.label.startsWith('chan send') ? 'receive' : g.kind.label.startsWith('chan') ? 'send or close the channel' : g.kind.label.startsWith('select') ? 'make one of the select cases ready' : 'release it'} may have returned early. ` +
          `Give the goroutine a way out (select on ctx.Done(), a buffered channel of size 1 for a single result, close the channel when the producer is done). ` +
          `Take a second goroutine profile later: if this count grows, it is a leak. In tests, go.uber.org/goleak catches these.`,
        commands: [
          `curl -s 'http://localhost:6060/debug/pprof/goroutine?debug=2' | grep -A 12 '\\[${g.kind.label.split(' (')[0]}' | head -40`,
          `go tool pprof -top -base goroutine-before.pb.gz goroutine-after.pb.gz`,
        ],
        highlight: highlightFor(fns, []) || exactName(g.blocked.name),
      }),
    );
  }
  out.sort((a, b) => b.value - a.value);
  return out;
};

export const goroutineRules: Rule[] = [goroutineLeaks];
