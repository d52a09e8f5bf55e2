// Readers for the legacy Java profiles pprof accepts: heapz and contentionz text with
// "format = java", and the profilez binary CPU format with a Java header. Their frames
// come symbolized ("0x... function (File.java:123)"), so unlike the other legacy
// formats they produce functions and lines. Rules follow pprof's legacy_java_profile.go;
// the results are checked against the corpus `.string` goldens.
import type { Func, Location, Profile } from '../model/profile.js';
import { ProfileDecodeError } from './errors.js';
import { Builder, Lines, legacyFrameInfo, linePattern, scaleHeapSample } from './legacy-text.js';

// pprof's patterns, in Go's engine (linear time; see linePattern).
const attributeRx = linePattern('([\\w ]+)=([\\w ]+)', /^([\w ]+)=([\w ]+)/);
const javaSampleRx = linePattern(' *(\\d+) +(\\d+) +@ +([ x0-9a-f]*)', /^ *(\d+) +(\d+) +@ +([ x0-9a-f]*)/);
const javaLocationRx = linePattern('^\\s*0x([0-9A-Fa-f]+)\\s+(.*)\\s*$');
const javaLocationFileLineRx = linePattern('^(.*)\\s+\\((.+):(-?[0-9]+)\\)$');
const javaLocationPathRx = linePattern('^(.*)\\s+\\((.*)\\)$');

function malformed(detail: string): ProfileDecodeError {
  return new ProfileDecodeError('malformed', `parsing legacy Java profile: ${detail}`);
}

function unsupported(detail: string): ProfileDecodeError {
  return new ProfileDecodeError('unsupported', `legacy Java profile (text) ${detail}; convert it with \`go tool pprof -proto\``);
}

/** Go's strconv.ParseInt(s, 0, 64) for a string of decimal digits: a leading 0 means octal. */
function parseIntBase0(s: string, line: string): number {
  const n = s.length > 1 && s[0] === '0' ? (/^[0-7]+$/.test(s) ? parseInt(s, 8) : NaN) : Number(s);
  if (!Number.isSafeInteger(n)) throw malformed(`parsing sample ${line}: invalid number ${s}`);
  return n;
}

/** Split into lines that end with '\n'; the text after the last '\n' is returned as rest. */
function fullLines(text: string): { lines: string[]; rest: string } {
  const parts = text.split('\n');
  const rest = parts.pop() ?? '';
  return { lines: parts, rest };
}

function basename(path: string): string {
  const t = path.replace(/\/+$/, '');
  if (t === '') return path === '' ? '.' : '/';
  return t.slice(t.lastIndexOf('/') + 1);
}

/** Resolves "0x<addr> <symbol>" lines onto the locations the samples use (parseJavaLocations). */
function javaLocations(text: string, locs: Map<bigint, Location>): void {
  const fns = new Map<string, Func>();
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '') continue;
    const jloc = javaLocationRx(line) as string[] | null;
    if (!jloc) continue;
    if (jloc[1].length > 16) throw malformed(`parsing sample ${line}: address out of range`);
    const loc = locs.get(BigInt('0x' + jloc[1]));
    if (!loc) continue;
    let name: string;
    let file = '';
    let lineNo = 0;
    let m: string[] | null;
    if ((m = javaLocationFileLineRx(jloc[2]) as string[] | null)) {
      name = m[1];
      file = m[2];
      const n = Number(m[3]);
      if (Number.isSafeInteger(n) && n > 0) lineNo = n;
    } else if ((m = javaLocationPathRx(jloc[2]) as string[] | null)) {
      // A shared library path: only its base name is interesting.
      name = m[1];
      file = basename(m[2]);
    } else if (jloc[2].includes('generated stub/JIT')) {
      name = 'STUB';
    } else {
      // Internal states of the Java agent such as "GC" or "VM".
      name = jloc[2];
    }
    let fn = fns.get(name);
    if (!fn) {
      fn = { id: 0, name, systemName: name, filename: file, startLine: 0 };
      fns.set(name, fn);
    }
    loc.line = [{ function: fn, line: lineNo, column: 0 }];
    loc.address = 0n;
  }
}

/** pprof's Aggregate(..., address=false) for Java profiles: addresses are dropped. */
function dropAddresses(p: Profile): Profile {
  for (const l of p.location) l.address = 0n;
  return p;
}

export function readJavaText(bytes: Uint8Array): Profile {
  const text = new TextDecoder('utf-8').decode(bytes);
  const nl = text.indexOf('\n');
  if (nl < 0) throw unsupported('without a header line');
  const header = text.slice(0, nl).trim();
  let pType: 'heap' | 'contention';
  if (header === '--- heapz 1 ---') pType = 'heap';
  else if (header === '--- contentionz 1 ---') pType = 'contention';
  else throw unsupported(`with header ${JSON.stringify(header.slice(0, 40))} is not supported`);

  const b = new Builder();
  b.periodType = { type: '', unit: '' };
  const { lines, rest } = fullLines(text.slice(nl + 1));
  let i = 0;
  // Attributes ("name = value") up to the first line that is not one.
  for (; i < lines.length; i++) {
    const line = lines[i].trim();
    if (line === '') continue;
    const h = attributeRx(line) as string[] | null;
    if (!h) break;
    const attr = h[1].trim();
    const value = h[2].trim();
    switch (`${pType}/${attr}`) {
      case 'heap/format':
      case 'contention/format':
        if (value !== 'java') throw unsupported(`with format ${JSON.stringify(value)} is not supported`);
        break;
      case 'heap/resolution':
        b.sampleType = [
          { type: 'inuse_objects', unit: 'count' },
          { type: 'inuse_space', unit: value },
        ];
        break;
      case 'contention/resolution':
        b.sampleType = [
          { type: 'contentions', unit: 'count' },
          { type: 'delay', unit: value },
        ];
        break;
      case 'contention/sampling period':
        b.periodType = { type: 'contentions', unit: 'count' };
        b.period = BigInt(parseIntBase0(value, line));
        break;
      case 'contention/ms since reset':
        b.durationNanos = BigInt(parseIntBase0(value, line)) * 1000000n;
        break;
      default:
        throw unsupported(`with attribute ${JSON.stringify(attr)} is not supported`);
    }
  }
  // Samples: "<v2> <v1> @ addrs" (Java puts the fields in the opposite order).
  const period = Number(b.period);
  for (; i < lines.length; i++) {
    const line = lines[i].trim();
    if (line === '') continue;
    const sm = javaSampleRx(line) as string[] | null;
    if (!sm) break;
    const addrs = [...sm[3].matchAll(/0x[0-9a-f]+/g)].map((x) => {
      if (x[0].length > 18) throw malformed(`malformed sample: ${line}: address out of range`);
      return BigInt(x[0]);
    });
    const locs = addrs.map((a) => b.location(a));
    let v0 = parseIntBase0(sm[2], line);
    let v1 = parseIntBase0(sm[1], line);
    let numLabel: Record<string, number[]> | null = null;
    let numUnit: Record<string, string[]> | null = null;
    if (pType === 'heap') {
      if (v0 === 0) throw malformed(`parsing sample ${line}: second value must be non-zero`);
      numLabel = { bytes: [Math.trunc(v1 / v0)] };
      numUnit = { bytes: [''] };
      [v0, v1] = scaleHeapSample(v0, v1, 524288);
    } else if (period !== 0) {
      v0 *= period;
      v1 *= period;
    }
    b.samples.push({ location: locs, value: [v0, v1], label: null, numLabel, numUnit });
  }
  if (b.sampleType.length === 0 && b.samples.length > 0) throw malformed('missing sample type information (no "resolution" attribute)');
  const remaining = lines.slice(i).join('\n') + (i < lines.length ? '\n' : '') + rest;
  javaLocations(remaining, b.locationsByAddress());
  return dropAddresses(b.finish(new Lines(''), ...legacyFrameInfo(b.sampleType), false));
}

/** Java profilez: the binary CPU records (no address adjustment), then symbol lines. */
export function finishJavaCpu(b: Builder, trailer: Uint8Array): Profile {
  javaLocations(new TextDecoder('utf-8').decode(trailer), b.locationsByAddress());
  return dropAddresses(b.finish(new Lines(''), ...legacyFrameInfo(b.sampleType), false));
}
