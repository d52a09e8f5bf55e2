// `go tool pprof -list`: report.printSource over a lines-granularity graph.
import type { Profile } from '../model/profile.js';
import type { Query } from '../../../contract/query.js';
import type { SourceListing, SourceOrigin, SourceRoutine } from '../../../contract/views.js';
import { compileRegexp } from '../analysis/regex.js';
import { nodeInfoString } from '../analysis/graph.js';
import { trimPath } from '../analysis/paths.js';
import { percentage, scaledLabel } from '../../../contract/format.js';
import { graphFor, sharedQuery } from './pipeline.js';

/**
 * Supplies source text for `list`; `tried` names the paths looked at (for the "missing"
 * hint), `origin` where the text was found and `notes` why it may be stale.
 */
export interface SourceReader {
  read(file: string): SourceReadResult;
}

export interface SourceReadResult {
  text: string | null;
  tried: string[];
  origin?: SourceOrigin;
  notes?: string[];
}

export interface ListOptions {
  trimPath?: string;
  sourcePath?: string;
  /** Where the reader searched (pprof: -source_path, else the working directory); for the error text. */
  searchPath?: string;
}

export function computeSourceListing(
  raw: Profile,
  q: Query,
  fnRegex: string,
  reader: SourceReader,
  opts: ListOptions = {},
): SourceListing & { errors?: string[] } {
  const symbol = compileRegexp(fnRegex, 'argument');
  const pr = sharedQuery(raw, q);
  const { table, values } = graphFor(pr, 'lines', !!q.noInlines, {
    objNames: true,
    trimPath: opts.trimPath,
    sourcePath: opts.sourcePath,
    onlyFunctions: (name) => symbol.test(name),
  });
  const { infos } = table;
  const { flat, cum } = values;
  const fnNodes = new Map<string, number[]>();
  const firsts: number[] = [];
  for (let i = 0; i < infos.length; i++) {
    if (i === table.elided || (flat[i] === 0 && cum[i] === 0)) continue;
    const name = infos[i].name;
    if (!symbol.test(name)) continue;
    let arr = fnNodes.get(name);
    if (!arr) {
      arr = [];
      fnNodes.set(name, arr);
      firsts.push(i);
    }
    arr.push(i);
  }
  const cmpStr = (a: string, b: string): number => (a === b ? 0 : a < b ? -1 : 1);
  firsts.sort((a, b) => cmpStr(infos[a].name, infos[b].name) || cmpStr(nodeInfoString(infos[a]), nodeInfoString(infos[b])));
  const st = pr.p.sampleType[pr.idx];
  const routines: SourceRoutine[] = [];
  for (const f of firsts) {
    const name = infos[f].name;
    const byFile = new Map<string, number[]>();
    const fileFirsts: number[] = [];
    for (const i of fnNodes.get(name)!) {
      const file = infos[i].file;
      if (file === '') continue;
      let arr = byFile.get(file);
      if (!arr) {
        arr = [];
        byFile.set(file, arr);
        fileFirsts.push(i);
      }
      arr.push(i);
    }
    if (fileFirsts.length === 0) {
      routines.push({
        function: name,
        file: '',
        flat: 0,
        cum: 0,
        lines: [],
        missing: { tried: [], hint: `No source information for ${name}` },
      });
      continue;
    }
    fileFirsts.sort(
      (a, b) =>
        cmpStr(infos[a].file, infos[b].file) ||
        infos[a].startLine - infos[b].startLine ||
        cmpStr(nodeInfoString(infos[a]), nodeInfoString(infos[b])),
    );
    for (const ff of fileFirsts) {
      const file = infos[ff].file;
      const fns = byFile.get(file)!;
      let flatSum = 0;
      let cumSum = 0;
      const lineFlat = new Map<number, number>();
      const lineCum = new Map<number, number>();
      for (const i of fns) {
        flatSum += flat[i];
        cumSum += cum[i];
        const ln = infos[i].lineno;
        lineFlat.set(ln, (lineFlat.get(ln) ?? 0) + flat[i]);
        lineCum.set(ln, (lineCum.get(ln) ?? 0) + cum[i]);
      }
      // Range as pprof getSourceFromFile computes it (fns[0] = the first node in graph order).
      const margin = 5;
      const f0 = infos[fns[0]];
      let start = f0.startLine !== 0 ? f0.startLine : f0.lineno - margin;
      let end = f0.lineno + margin;
      for (const i of fns) {
        const lineno = infos[i].lineno;
        let nodeStart = infos[i].startLine;
        if (nodeStart === 0) nodeStart = lineno - margin;
        const nodeEnd = lineno + margin;
        if (nodeStart < start) start = nodeStart;
        else if (nodeEnd > end) end = nodeEnd;
      }
      if (start < 1) start = 1;
      const src = reader.read(file);
      const routine: SourceRoutine = { function: name, file, flat: flatSum, cum: cumSum, lines: [] };
      if (src.text === null) {
        routine.missing = { tried: src.tried, hint: missingMessage(file, opts) };
      } else {
        const textLines = splitLines(src.text);
        for (let ln = start; ln <= end; ln++) {
          if (ln >= textLines.length) break;
          routine.lines.push({ line: ln, flat: lineFlat.get(ln) ?? 0, cum: lineCum.get(ln) ?? 0, text: textLines[ln] });
        }
        if (src.origin) routine.origin = src.origin;
        const stale = [...(src.notes ?? []), ...staleReasons(textLines, lineCum)];
        if (stale.length > 0) routine.stale = stale;
      }
      routines.push(routine);
    }
  }
  return {
    sampleType: { ...st },
    total: pr.total,
    unit: 'minimum',
    routines,
    errors: firsts.length === 0 ? [`no matches found for regexp: ${fnRegex}`] : undefined,
  };
}

const MAX_STALE_LINES = 3;

/**
 * Signs that a file is not the one the binary was built from: the profile has samples
 * past its end, or on lines that hold no code (blank or // comment lines).
 * `textLines` is 1-based (splitLines); `weights` maps sampled line numbers to cum.
 */
export function staleReasons(textLines: string[], weights: Map<number, number>): string[] {
  const out: string[] = [];
  const sampled = [...weights.entries()]
    .filter(([ln, v]) => v !== 0 && ln > 0)
    .map(([ln]) => ln)
    .sort((a, b) => a - b);
  const count = textLines.length - 1;
  const past = sampled.filter((ln) => ln > count);
  if (past.length > 0) out.push(`the file has ${count} lines but the profile has samples on line ${past[past.length - 1]}`);
  const empty = sampled.filter((ln) => ln <= count && /^\s*($|\/\/)/.test(textLines[ln]));
  if (empty.length > 0) {
    const shown = empty.slice(0, MAX_STALE_LINES).join(', ') + (empty.length > MAX_STALE_LINES ? ', ...' : '');
    out.push(`the profile has samples on blank or comment line${empty.length > 1 ? 's' : ''} ${shown}`);
  }
  return out;
}

/** Lines as bufio.Scanner yields them, 1-based (index 0 unused). */
function splitLines(text: string): string[] {
  const parts = text.split('\n');
  if (parts.length > 0 && parts[parts.length - 1] === '') parts.pop();
  return ['', ...parts.map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l))];
}

/** pprof openSourceFile's error for a file it could not find. */
function missingMessage(file: string, opts: ListOptions): string {
  const search = opts.searchPath ?? opts.sourcePath ?? '';
  const p = trimPath(file, opts.trimPath ?? '', search);
  if (p.startsWith('/')) return `open ${p}: no such file or directory`;
  return `could not find file ${p} on path ${search}`;
}

export function formatListText(l: SourceListing & { errors?: string[] }): string {
  const fmt = (v: number): string => scaledLabel(v, l.sampleType.unit, l.unit);
  const dot = (v: number): string => (v === 0 ? '.' : fmt(v));
  const pad = (s: string, n: number): string => (s.length >= n ? s : ' '.repeat(n - s.length) + s);
  const out: string[] = [`Total: ${fmt(l.total)}`];
  for (const r of l.routines) {
    if (r.file === '') {
      out.push(`No source information for ${r.function}`);
      continue;
    }
    out.push(`ROUTINE ======================== ${r.function} in ${r.file}`);
    out.push(`${pad(fmt(r.flat), 10)} ${pad(fmt(r.cum), 10)} (flat, cum) ${percentage(r.cum, l.total)} of Total`);
    if (r.missing) {
      out.push(` Error: ${r.missing.hint}`);
      continue;
    }
    for (const ln of r.lines) out.push(`${pad(dot(ln.flat), 10)} ${pad(dot(ln.cum), 10)} ${pad(String(ln.line), 6)}:${ln.text ?? ''}`);
  }
  return out.join('\n') + '\n';
}
