// Go goroutine dumps as text: `/debug/pprof/goroutine?debug=2`, panic and fatal-error
// tracebacks, SIGQUIT dumps. One pass over the lines with anchored patterns (no
// backtracking beyond a line), so hostile input costs time linear in its size. Lines the
// runtime of some version writes that we do not know are skipped, never fatal.
//
// Header forms read (runtime/traceback.go goroutineheader):
//   goroutine 18 [chan receive, 5 minutes]:
//   goroutine 7 [select, locked to thread]:
//   goroutine 1 gp=0xc000002380 m=0 mp=0x5d1e40 [running]:        (GOTRACEBACK=system)
//   goroutine 9 [running] {handler: "checkout", tenant: "acme"}:   (Go 1.27, tracebacklabels=1)
// The Go 1.27 label block is written `{key: "value", ...}` after the state bracket; we read
// keys bare or quoted and values as Go-quoted strings (or bare up to `,`/`}`), an assumption
// taken from Go 1.27's release notes and examples of its output, not from its source.
// State flags the runtime appends for the moment (`(scan)`, `(leaked)`, `(durable)`) are
// dropped; parentheses that belong to the wait reason (`chan receive (nil chan)`) stay.

export interface GoFrame {
  /** Function name as printed, e.g. `main.(*server).handle` or `main.worker.func1`. */
  func: string;
  file: string;
  line: number;
  /** Arguments as printed (`0xc000010000, 0x3`), "" for `()`, "..." for inlined frames. */
  args: string;
}

export interface Goroutine {
  id: number;
  state: string;
  /** Minutes blocked as the header says (0 when absent: under a minute, or running). */
  waitMinutes: number;
  lockedToThread: boolean;
  labels: Record<string, string>;
  /** Leaf first. */
  frames: GoFrame[];
  createdBy: GoFrame | null;
  /** `created by ... in goroutine N` (Go 1.21+), else null. */
  creatorGoroutine: number | null;
  /** The traceback said frames were elided. */
  elided: boolean;
}

export interface GoroutineDump {
  goroutines: Goroutine[];
  /** `panic: ...` / `fatal error: ...` / `SIGQUIT: quit` and the lines up to the first goroutine, when the text is a crash. */
  panic: string | null;
  /** Lines that looked like frames but belonged to no goroutine, and similar oddities. */
  skippedLines: number;
}

const HEADER = /^goroutine (\d{1,19})(?: [a-z]+=[^\s[]+)* \[([^\]]*)\](.*):$/;
const FILE_LINE = /^\t(.*):(\d+)(?: \+0x[0-9a-f]+)?(?: fp=0x[0-9a-f]+ sp=0x[0-9a-f]+ pc=0x[0-9a-f]+)?$/;
const CREATED = /^created by (.+?)(?: in goroutine (\d+))?$/;
const WAIT = /^(\d+) minutes$/;
const FLAGS = / \((scan|leaked|durable)\)$/;

/** Whether the text looks like a goroutine dump or crash traceback (checks its first 64 KiB). */
export function looksLikeGoroutineDump(text: string): boolean {
  const head = text.slice(0, 65536);
  return /^goroutine \d+ (?:[a-z]+=\S+ )*\[[^\]\n]*\][^\n]*:\r?$/m.test(head);
}

/** Splits `name(args)` into name and args; the argument list is the last parenthesised group. */
function splitCall(s: string): { func: string; args: string } | null {
  if (!s.endsWith(')')) return null;
  const open = s.lastIndexOf('(');
  if (open <= 0) return null;
  return { func: s.slice(0, open), args: s.slice(open + 1, -1) };
}

/** Reads a `{k: "v", ...}` label block; linear, tolerant of anything after it. */
export function parseLabelBlock(s: string): Record<string, string> {
  const out: Record<string, string> = {};
  let i = s.indexOf('{');
  if (i < 0) return out;
  i++;
  const n = s.length;
  const skipSpace = (): void => {
    while (i < n && s[i] === ' ') i++;
  };
  const readQuoted = (): string => {
    // Go strconv.Quote output: \" \\ \n \t \xNN \uNNNN \UNNNNNNNN
    let v = '';
    i++;
    while (i < n && s[i] !== '"') {
      if (s[i] === '\\' && i + 1 < n) {
        const c = s[i + 1];
        const hex = (len: number): void => {
          const h = s.slice(i + 2, i + 2 + len);
          if (/^[0-9a-fA-F]+$/.test(h) && h.length === len) {
            v += String.fromCodePoint(parseInt(h, 16));
            i += 2 + len;
          } else {
            v += c;
            i += 2;
          }
        };
        if (c === 'n') (v += '\n'), (i += 2);
        else if (c === 't') (v += '\t'), (i += 2);
        else if (c === 'r') (v += '\r'), (i += 2);
        else if (c === 'x') hex(2);
        else if (c === 'u') hex(4);
        else if (c === 'U') hex(8);
        else (v += c), (i += 2);
      } else v += s[i++];
    }
    i++;
    return v;
  };
  const readBare = (stop: string): string => {
    const st = i;
    while (i < n && !stop.includes(s[i])) i++;
    return s.slice(st, i).trim();
  };
  while (i < n) {
    skipSpace();
    if (s[i] === '}') break;
    const key = s[i] === '"' ? readQuoted() : readBare(':,}');
    skipSpace();
    if (s[i] !== ':') break;
    i++;
    skipSpace();
    const value = s[i] === '"' ? readQuoted() : readBare(',}');
    if (key !== '') out[key] = value;
    skipSpace();
    if (s[i] === ',') i++;
    else break;
  }
  return out;
}

export function parseGoroutineDump(text: string): GoroutineDump {
  const goroutines: Goroutine[] = [];
  let panic: string | null = null;
  let panicLines = 0;
  let skipped = 0;
  let cur: Goroutine | null = null;
  // A function line waits for its file line; `created by` lines too.
  let pending: { func: string; args: string; created: boolean; creatorG: number | null } | null = null;
  let start = 0;
  const n = text.length;
  while (start <= n) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = n;
    let line = text.slice(start, end);
    start = end + 1;
    if (line.endsWith('\r')) line = line.slice(0, -1);
    if (line.length > 1 << 16) {
      skipped++;
      continue;
    }
    if (line.startsWith('goroutine ')) {
      const m = HEADER.exec(line);
      if (m) {
        cur = header(m);
        goroutines.push(cur);
        pending = null;
        continue;
      }
    }
    if (cur === null) {
      // The crash message and what follows it up to the first goroutine: nested panics
      // ("\tpanic: ..."), "[recovered]", "[signal SIGSEGV ...]" (at most 64 lines).
      if (panic === null) {
        if (/^(panic|fatal error|SIG[A-Z]+): /.test(line)) panic = line;
      } else if (goroutines.length === 0 && line !== '' && panicLines++ < 64) panic += '\n' + line;
      continue;
    }
    if (line === '') {
      cur = null;
      pending = null;
      continue;
    }
    if (line.charCodeAt(0) === 9) {
      const m = FILE_LINE.exec(line);
      if (m && pending) {
        const fr: GoFrame = { func: pending.func, args: pending.args, file: m[1], line: Number(m[2]) };
        if (pending.created) {
          cur.createdBy = fr;
          cur.creatorGoroutine = pending.creatorG;
        } else cur.frames.push(fr);
      } else skipped++;
      pending = null;
      continue;
    }
    if (line.startsWith('created by ')) {
      const m = CREATED.exec(line);
      if (m) pending = { func: m[1], args: '', created: true, creatorG: m[2] ? Number(m[2]) : null };
      continue;
    }
    if (line.startsWith('...')) {
      // "...additional frames elided..." / "...N frames elided..."
      cur.elided = true;
      continue;
    }
    const call = splitCall(line);
    if (call) pending = { func: call.func, args: call.args, created: false, creatorG: null };
    else skipped++;
  }
  return { goroutines, panic, skippedLines: skipped };
}

function header(m: RegExpExecArray): Goroutine {
  const parts = m[2].split(', ');
  let state = parts[0];
  let waitMinutes = 0;
  let locked = false;
  for (const p of parts.slice(1)) {
    const w = WAIT.exec(p);
    if (w) waitMinutes = Number(w[1]);
    else if (p === 'locked to thread') locked = true;
  }
  for (let k = 0; k < 3 && FLAGS.test(state); k++) state = state.replace(FLAGS, '');
  const rest = m[3].trim();
  return {
    id: Number(m[1]),
    state,
    waitMinutes,
    lockedToThread: locked,
    labels: rest.startsWith('{') ? parseLabelBlock(rest) : {},
    frames: [],
    createdBy: null,
    creatorGoroutine: null,
    elided: false,
  };
}
