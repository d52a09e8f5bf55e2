// Goroutine profiles: each sample is one distinct stack, its value the number of
// goroutines sharing it. Many goroutines parked on the same channel or lock stack are
// the shape of a leak.
import type { Confidence, Finding, FindingFunction } from '../../../../contract/insights.js';
import { exactName } from '../../../../contract/go-regexp.js';
import { PARK } from '../patterns.js';
import type { StackSample } from '../frames.js';
import type { Rule, RuleInput } from './common.js';
import { finding, highlightFor, pct, shq, where } from './common.js';

/**
 * What one snapshot can say about goroutines parked in a kind of wait:
 * - 'send': parked on a channel send. A healthy producer waits there only while a consumer
 *   is busy; a crowd of senders that is most of the program (or very large) is a leak's shape.
 * - 'forever': an operation that can never complete (select with no cases, a nil channel).
 * - 'receive': a receive or a select. Idle pool workers wait exactly there, so a snapshot
 *   cannot tell them from a leak: only growth against a base, the goroutineleak profile, or
 *   a dump showing every one of them waiting for many minutes can.
 * - 'lock': mutex, wait group, cond: contention or waiting for work, unless for a long time.
 */
type LeakShape = 'send' | 'forever' | 'receive' | 'lock';

interface WaitKind {
  label: string;
  re: RegExp;
  shape: LeakShape;
}

const KINDS: WaitKind[] = [
  { label: 'chan send', re: /^runtime\.(chansend1?|selectnbsend)$/, shape: 'send' },
  { label: 'chan send (nil chan)', re: /$^/, shape: 'forever' },
  { label: 'chan receive', re: /^runtime\.(chanrecv1)$/, shape: 'receive' },
  { label: 'chan receive (range loop or v, ok)', re: /^runtime\.chanrecv2$/, shape: 'receive' },
  { label: 'chan receive', re: /^runtime\.chanrecv$/, shape: 'receive' },
  { label: 'chan receive (nil chan)', re: /$^/, shape: 'forever' },
  { label: 'select with no cases', re: /^runtime\.block$/, shape: 'forever' },
  { label: 'select', re: /^runtime\.selectgo$/, shape: 'receive' },
  { label: 'sync.Mutex.Lock', re: /^(internal\/)?sync\.runtime_SemacquireMutex$|^sync\.runtime_SemacquireRWMutexR?$/, shape: 'lock' },
  { label: 'sync.WaitGroup.Wait', re: /^sync\.runtime_Semacquire(WaitGroup)?$/, shape: 'lock' },
  { label: 'sync.Cond.Wait', re: /^sync\.runtime_notifyListWait$/, shape: 'lock' },
];

/** The goroutineleak profile may list a leak on any primitive: named here when it is none of the above. */
const OTHER_WAIT: WaitKind = { label: 'a synchronisation primitive', re: /$^/, shape: 'lock' };

/** Send / forever stacks: this many goroutines on one stack are a finding regardless of the total. */
export const LEAK_MIN_COUNT = 100;
/** Smaller crowds count when they are this large and this big a part of all goroutines. */
export const LEAK_MIN_CROWD = 50;
export const LEAK_MIN_CROWD_SHARE = 0.2;
/** In any program: more than this share of all goroutines parked on one send stack... */
export const LEAK_MOST_SHARE = 0.5;
/** ...when they are at least this many (one or two parked senders are ordinary hand-offs). */
export const LEAK_MIN_MOST = 3;
/** goroutine.growth: a group must gain this many goroutines and reach this multiple of its base count. */
export const GROWTH_MIN_DELTA = 5;
export const GROWTH_MIN_RATIO = 1.5;

/** Dump states (the header's wait reason) and the kind each one is. */
const STATE_KINDS: Record<string, string> = {
  'chan send': 'chan send',
  'chan send (nil chan)': 'chan send (nil chan)',
  'chan receive': 'chan receive',
  'chan receive (nil chan)': 'chan receive (nil chan)',
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

interface ParkedGroup {
  kind: WaitKind;
  count: number;
  blocked: FindingFunction;
  entry: FindingFunction | null;
  frames: string[];
  wait: { min: number; max: number } | null;
}

/**
 * Goroutines grouped by what they wait for and their stack from the first user frame up
 * (the key matches the same group across two profiles of one program). Stacks parked on
 * something that is not a channel, lock or wait group (I/O, sleep, syscalls) are left out,
 * and so are stacks with no user frame: their code is not the user's to fix.
 */
function parkedGroups(samples: StackSample[], anyStack = false): Map<string, ParkedGroup> {
  const groups = new Map<string, ParkedGroup>();
  for (const s of samples) {
    const f = s.frames;
    let i = 0;
    let kind: WaitKind | undefined;
    if (s.goroutine) {
      // A text dump names the wait reason in its header and hides the runtime frames.
      const label = STATE_KINDS[s.goroutine.state];
      kind = label ? KINDS.find((k) => k.label === label) : undefined;
      if (!kind && !anyStack) continue;
    } else {
      while (i < f.length && PARK.test(f[i].name)) i++;
      if ((i === 0 || i >= f.length) && !anyStack) continue;
      // The first runtime/sync frame below the park says what the goroutine waits for.
      // Take the root-most match: chanrecv2 (what user code called) rather than chanrecv.
      for (let j = i; j < f.length && !f[j].user; j++) kind = KINDS.find((k) => k.re.test(f[j].name)) ?? kind;
    }
    if (!kind) {
      if (!anyStack) continue;
      kind = OTHER_WAIT;
    }
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
  return groups;
}

export const goroutineLeaks: Rule = (input) => {
  // A goroutineleak profile holds proven leaks only: goroutine.proven-leak speaks for it.
  if (input.sampleType.type === 'goroutineleak') return [];
  const groups = parkedGroups(input.samples);
  const out: Finding[] = [];
  for (const g of groups.values()) {
    const share = input.total ? g.count / input.total : 0;
    // One snapshot: only sends and operations that can never complete (see LeakShape).
    const sendLike = g.kind.shape === 'send' || g.kind.shape === 'forever';
    const big = sendLike && g.count >= LEAK_MIN_COUNT;
    const crowd = sendLike && g.count >= LEAK_MIN_CROWD && share >= LEAK_MIN_CROWD_SHARE;
    // Most of the program parked on one send: a leak's shape whatever the program's size.
    const most = sendLike && g.count >= LEAK_MIN_MOST && share > LEAK_MOST_SHARE;
    // Every goroutine of the group parked for many minutes (dumps): stronger than any count.
    const longWait = !!g.wait && g.wait.min >= LEAK_LONG_WAIT_MINUTES && g.count >= LEAK_MIN_LONG_WAITERS;
    if (!big && !crowd && !most && !longWait) continue;
    const waited = g.wait
      ? g.wait.max === 0
        ? [
            'all of them waiting for less than a minute (the dump prints minutes from 1 on): take another dump later to see whether they are still there',
          ]
        : [`waiting ${g.wait.min === g.wait.max ? g.wait.min : `${g.wait.min} to ${g.wait.max}`} minutes`]
      : [];
    const confidence: Confidence = longWait ? 'high' : g.count >= LEAK_MIN_CROWD ? 'medium' : 'low';
    const why = longWait
      ? `Confidence is high: all of them have waited at least ${LEAK_LONG_WAIT_MINUTES} minutes.`
      : confidence === 'medium'
        ? `Confidence is medium: ${g.count} goroutines on one stack${most ? `, ${pct(share)} of the program,` : ''} rarely wait at once by chance, but one snapshot cannot prove they never wake up.`
        : `Confidence is low: ${g.count} goroutines are ${pct(share)} of this program, but so few can also be a moment of back-pressure. It rises with the count (medium from ${LEAK_MIN_CROWD}) and with a second profile showing them still there (open it with this one as the base).`;
    out.push(
      leakFinding(input, g, {
        rule: 'goroutine.leak',
        title: `${g.count} goroutines blocked on ${g.kind.label} in ${g.blocked.name}`,
        severity: big || longWait || (most && g.count >= LEAK_MIN_CROWD) ? 'warning' : 'info',
        confidence,
        evidence: [`${g.count} of ${input.total} goroutines (${pct(share)}) share one stack parked on ${g.kind.label}`, ...waited, why],
        closing: `Take a second goroutine profile later and open it with this one as the base: if this count grows, it is a leak. In tests, go.uber.org/goleak catches these.`,
      }),
    );
  }
  out.sort((a, b) => b.value - a.value);
  return out;
};

function leakFinding(
  input: RuleInput,
  g: ParkedGroup,
  o: {
    rule: string;
    title: string;
    severity: 'warning' | 'info';
    confidence: Confidence;
    evidence: string[];
    closing: string;
    value?: number;
  },
): Finding {
  const value = o.value ?? g.count;
  const share = input.total ? value / input.total : 0;
  const blocked = { ...g.blocked, value, share };
  const fns = [blocked];
  if (g.entry && g.entry.name !== g.blocked.name) fns.push({ ...g.entry, value, share });
  const started = g.entry && g.entry.name !== g.blocked.name ? g.entry.name : g.blocked.name;
  // A goroutine running a function literal was started by the function that holds it.
  const outer = closureParent(started);
  const creator = outer ?? started;
  const label = g.kind.label;
  const waker = label.startsWith('chan send')
    ? 'receive'
    : label.startsWith('chan')
      ? 'send or close the channel'
      : label.startsWith('select')
        ? 'make one of the select cases ready'
        : 'release it';
  return finding({
    rule: o.rule,
    concept: 'goroutine-leaks',
    related: ['closures'],
    title: o.title,
    severity: o.severity,
    confidence: o.confidence,
    value,
    total: input.total,
    functions: fns,
    evidence: [
      ...o.evidence,
      `blocked at ${where(g.blocked)}`,
      g.entry && g.entry.name !== g.blocked.name ? `started from ${where(g.entry)}` : `goroutine function: ${g.blocked.name}`,
      ...(outer ? [`the go statement is in ${outer} (${started} is a function literal inside it)`] : []),
      `stack: ${g.frames.join(' <- ')}`,
    ],
    advice:
      `Check that every goroutine started by ${creator} can finish: whoever should ${waker} may have returned early. ` +
      `Give the goroutine a way out (select on ctx.Done(), a buffered channel of size 1 for a single result, close the channel when the producer is done). ` +
      o.closing,
    commands: [
      `curl -s 'http://localhost:6060/debug/pprof/goroutine?debug=2' | grep -A 12 '\\[${label.split(' (')[0]}' | head -40`,
      `go tool pprof -traces -focus=${shq(exactName(g.blocked.name))} ${input.file}`,
    ],
    highlight: highlightFor(fns, []) || exactName(g.blocked.name),
  });
}

/**
 * Go 1.26+ `goroutineleak` profile (GOEXPERIMENT=goroutineleakprofile, /debug/pprof/goroutineleak;
 * sample type goroutineleak/count): the GC lists goroutines blocked on a channel, lock or
 * wait group that no running goroutine can reach any more. They can never wake up, so
 * every stack is a leak, whatever its count.
 */
export const goroutineProvenLeaks: Rule = (input) => {
  if (input.sampleType.type !== 'goroutineleak') return [];
  const out: Finding[] = [];
  for (const g of parkedGroups(input.samples, true).values()) {
    out.push(
      leakFinding(input, g, {
        rule: 'goroutine.proven-leak',
        title: `${g.count} leaked goroutine${g.count > 1 ? 's' : ''} blocked on ${g.kind.label} in ${g.blocked.name}`,
        severity: 'warning',
        confidence: 'high',
        evidence: [
          `the runtime's goroutineleak profile lists ${g.count} goroutine${g.count > 1 ? 's' : ''} on this stack: the garbage collector found them blocked on ${g.kind.label} that no running goroutine can reach, so they can never continue`,
        ],
        closing: 'Each one holds its stack and everything it references until the program exits.',
      }),
    );
  }
  out.sort((a, b) => b.value - a.value);
  return out;
};

/**
 * Two goroutine profiles of one program (?base=): a parked group that grew between them
 * is what a leak looks like over time, even when each snapshot alone looks harmless.
 */
export const goroutineGrowth: Rule = (input) => {
  if (!input.base || input.sampleType.type === 'goroutineleak') return [];
  const before = parkedGroups(input.base);
  const out: Finding[] = [];
  for (const [key, g] of parkedGroups(input.samples)) {
    const was = before.get(key)?.count ?? 0;
    const grew = g.count - was;
    if (grew < GROWTH_MIN_DELTA || g.count < GROWTH_MIN_RATIO * was) continue;
    const confidence: Confidence =
      grew >= LEAK_MIN_COUNT || (was > 0 && g.count >= 4 * was && grew >= GROWTH_MIN_DELTA * 4) ? 'high' : 'medium';
    out.push(
      leakFinding(input, g, {
        rule: 'goroutine.growth',
        title: `Goroutines blocked on ${g.kind.label} in ${g.blocked.name} grew from ${was} to ${g.count}`,
        severity: grew >= LEAK_MIN_CROWD || g.count >= 2 * Math.max(was, 1) ? 'warning' : 'info',
        confidence,
        value: g.count,
        evidence: [
          `${was} goroutines on this stack in the base profile, ${g.count} now (+${grew}); all goroutines: ${input.baseTotal ?? 0} then, ${input.total} now`,
          `Confidence is ${confidence}: ${confidence === 'high' ? 'the group grew by a large number or several times over' : 'the group grew, but a later third profile shows whether it keeps growing'}.`,
        ],
        closing: 'Goroutines that only ever accumulate on one stack between two profiles are leaking.',
      }),
    );
  }
  out.sort((a, b) => b.value - a.value);
  return out;
};

export const goroutineRules: Rule[] = [goroutineLeaks, goroutineProvenLeaks, goroutineGrowth];
