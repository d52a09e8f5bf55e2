// Parser for the Go compiler's optimisation diagnostics: `go build -gcflags=-m` and
// `-m=2` output. Each diagnostic is `file:line:col: message`; with -m=2 an escape
// decision is preceded by an explanation block -- a head line ending in ':' followed by
// indented `flow:` / `from ... at ...` lines at the same position -- which we keep as the
// decision's reason chain.

export type EscapeKind =
  | 'escapes'
  | 'moved-to-heap'
  | 'does-not-escape'
  | 'leaking-param'
  | 'can-inline'
  | 'cannot-inline'
  | 'inlining-call'
  | 'devirtualized'
  | 'other';

/** One compiler decision at a column of a source line (the JSON shape the source view carries). */
export interface EscapeDecision {
  col: number;
  kind: EscapeKind;
  message: string;
  /** -m=2 explanation: the head line then each flow/from step, trimmed. */
  chain?: string[];
}

export interface EscapeReport {
  /** file name as the compiler printed it -> line -> decisions in output order. */
  files: Map<string, Map<number, EscapeDecision[]>>;
  /** Number of distinct decisions kept. */
  count: number;
}

/** Classifies a decision message. Order matters: "does not escape" before "escapes". */
export function classifyEscape(message: string): EscapeKind {
  if (/^moved to heap: /.test(message)) return 'moved-to-heap';
  if (/\bdoes not escape\b/.test(message)) return 'does-not-escape';
  if (/^leaking param( content)?: /.test(message) || /^leaking closure reference /.test(message)) return 'leaking-param';
  if (/\bescapes to heap\b/.test(message)) return 'escapes';
  if (/^can inline /.test(message)) return 'can-inline';
  if (/^cannot inline /.test(message)) return 'cannot-inline';
  if (/^inlining call to /.test(message)) return 'inlining-call';
  if (/^devirtualizing /.test(message)) return 'devirtualized';
  return 'other';
}

// file:line:col: message  (col optional; file may contain ':' e.g. a Windows drive).
const DIAG = /^(.+?):(\d+)(?::(\d+))?: (.*)$/;

/** Normalises a file name from compiler output: forward slashes, no leading "./". */
export function normalizeEscapeFile(file: string): string {
  let f = file.replace(/\\/g, '/');
  while (f.startsWith('./')) f = f.slice(2);
  return f;
}

export function parseEscapeOutput(text: string): EscapeReport {
  const files = new Map<string, Map<number, EscapeDecision[]>>();
  // Explanation blocks waiting for their summary line, by position.
  const pending = new Map<string, string[][]>();
  let current: string[] | null = null; // the block being extended by indented lines
  let currentPos = '';
  let count = 0;

  const add = (file: string, line: number, d: EscapeDecision): void => {
    let byLine = files.get(file);
    if (!byLine) files.set(file, (byLine = new Map()));
    let list = byLine.get(line);
    if (!list) byLine.set(line, (list = []));
    // Inlining repeats some diagnostics verbatim; keep one (merging a chain if it only comes later).
    const dup = list.find((x) => x.col === d.col && x.message === d.message);
    if (dup) {
      if (!dup.chain && d.chain) dup.chain = d.chain;
      return;
    }
    list.push(d);
    count++;
  };

  for (const raw of text.split(/\r?\n/)) {
    const m = DIAG.exec(raw);
    if (!m) {
      current = null;
      continue;
    }
    const file = normalizeEscapeFile(m[1]);
    const line = Number(m[2]);
    const col = m[3] === undefined ? 0 : Number(m[3]);
    const body = m[4];
    const pos = `${file}\u0000${line}\u0000${col}`;
    if (/^\s/.test(body)) {
      // Continuation of an explanation block at the same position.
      if (current && currentPos === pos) current.push(body.trim());
      continue;
    }
    if (body.endsWith(':')) {
      // Head of an explanation block ("x escapes to heap:", "parameter p leaks to {heap} with derefs=0:").
      current = [body.slice(0, -1)];
      currentPos = pos;
      const list = pending.get(pos);
      if (list) list.push(current);
      else pending.set(pos, [current]);
      continue;
    }
    current = null;
    const chains = pending.get(pos);
    pending.delete(pos);
    const d: EscapeDecision = { col, kind: classifyEscape(body), message: body };
    if (chains && chains.length > 0) d.chain = chains.flatMap((c, i) => (i === 0 ? c : ['', ...c]));
    add(file, line, d);
  }
  // Explanations whose summary never came (truncated output) still say something.
  for (const [pos, chains] of pending) {
    const [file, line, col] = pos.split('\u0000');
    for (const c of chains) add(file, Number(line), { col: Number(col), kind: classifyEscape(c[0]), message: c[0], chain: c });
  }
  return { files, count };
}

/** Splits a path into non-empty components. */
function components(p: string): string[] {
  return p.split('/').filter((s) => s !== '' && s !== '.');
}

/**
 * Finds the compiler's name for a profile's file: the same name, else the escape file
 * sharing the longest trailing run of path components with it (at least the base
 * name), provided no other escape file ties.
 */
export function matchEscapeFile(report: EscapeReport, profileFile: string): string | null {
  const want = components(normalizeEscapeFile(profileFile));
  if (want.length === 0) return null;
  const exact = want.join('/');
  if (report.files.has(exact)) return exact;
  let best: string | null = null;
  let bestLen = 0;
  let tie = false;
  for (const f of report.files.keys()) {
    const have = components(f);
    let n = 0;
    while (n < have.length && n < want.length && have[have.length - 1 - n] === want[want.length - 1 - n]) n++;
    if (n === 0) continue;
    if (n > bestLen) {
      best = f;
      bestLen = n;
      tie = false;
    } else if (n === bestLen) tie = true;
  }
  return tie ? null : best;
}

/** Decisions for one line of a profile's file, or [] when the compiler said nothing there. */
export function decisionsAt(report: EscapeReport, profileFile: string, line: number): EscapeDecision[] {
  const f = matchEscapeFile(report, profileFile);
  return f ? (report.files.get(f)?.get(line) ?? []) : [];
}

/** Plain JSON form (for GET /escape): file -> line -> decisions. */
export function escapeReportToJson(report: EscapeReport): Record<string, Record<string, EscapeDecision[]>> {
  const out: Record<string, Record<string, EscapeDecision[]>> = {};
  for (const [file, byLine] of report.files) {
    const o: Record<string, EscapeDecision[]> = {};
    for (const [line, ds] of [...byLine].sort((a, b) => a[0] - b[0])) o[String(line)] = ds;
    out[file] = o;
  }
  return out;
}
