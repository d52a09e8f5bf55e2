// Text dump of a decoded profile in the layout of pprof's Profile.String() (also what
// `pprof -raw` prints). Used to compare decoded legacy profiles with the corpus
// `.string` goldens, and handy when debugging a decode.
import type { Profile } from '../model/profile.js';

function pad(s: string, width: number): string {
  return s.length >= width ? s : ' '.repeat(width - s.length) + s;
}

const hex = (v: bigint) => '0x' + v.toString(16);

/** Go's time.Duration.String() for a nanosecond count. */
export function goDuration(ns: bigint): string {
  if (ns === 0n) return '0s';
  const neg = ns < 0n;
  let u = neg ? -ns : ns;
  let out: string;
  if (u < 1000000000n) {
    // Sub-second: ns, µs or ms with a fractional part.
    let unit: string;
    let prec: number;
    if (u < 1000n) return (neg ? '-' : '') + u.toString() + 'ns';
    if (u < 1000000n) {
      unit = 'µs';
      prec = 3;
    } else {
      unit = 'ms';
      prec = 6;
    }
    const div = 10n ** BigInt(prec);
    out = fmtFrac(u / div, u % div, prec) + unit;
  } else {
    const h = u / 3600000000000n;
    u -= h * 3600000000000n;
    const m = u / 60000000000n;
    u -= m * 60000000000n;
    const s = fmtFrac(u / 1000000000n, u % 1000000000n, 9) + 's';
    out = h > 0n ? `${h}h${m}m${s}` : m > 0n ? `${m}m${s}` : s;
  }
  return (neg ? '-' : '') + out;
}

function fmtFrac(whole: bigint, frac: bigint, prec: number): string {
  if (frac === 0n) return whole.toString();
  const f = frac.toString().padStart(prec, '0').replace(/0+$/, '');
  return `${whole}.${f}`;
}

function goTime(ns: bigint): string {
  // Only needed for profiles with time_nanos; the legacy goldens have none.
  return new Date(Number(ns / 1000000n)).toISOString();
}

export function formatProfileString(p: Profile): string {
  const ss: string[] = [];
  for (const c of p.comments) ss.push('Comment: ' + c);
  if (p.periodType) ss.push(`PeriodType: ${p.periodType.type} ${p.periodType.unit}`);
  ss.push(`Period: ${p.period}`);
  if (p.timeNanos !== 0n) ss.push(`Time: ${goTime(p.timeNanos)}`);
  if (p.durationNanos !== 0n) ss.push(`Duration: ${[...goDuration(p.durationNanos)].slice(0, 4).join('')}`);
  ss.push('Samples:');
  let sh = '';
  for (const st of p.sampleType) sh += `${st.type}/${st.unit}${st.type === p.defaultSampleType ? '[dflt]' : ''} `;
  ss.push(sh.trim());
  const labelHeader = ' '.repeat(16);
  p.sample.forEach((s, i) => {
    const vals = p.exactValues ? p.exactValues[i] : s.value;
    let sv = '';
    for (const v of vals) sv += ' ' + pad(String(v), 10);
    sv += ': ';
    for (const l of s.location) sv += `${l.id} `;
    ss.push(sv);
    if (s.label && Object.keys(s.label).length > 0) {
      const ls = Object.entries(s.label)
        .map(([k, v]) => `${k}:[${v.join(' ')}]`)
        .sort();
      ss.push(labelHeader + ls.join(' '));
    }
    if (s.numLabel && Object.keys(s.numLabel).length > 0) {
      const ls = Object.entries(s.numLabel)
        .map(([k, v]) => {
          const units = s.numUnit?.[k] ?? [];
          const hasUnits = units.some((u) => u !== '');
          return hasUnits ? `${k}:[${v.map((n, j) => `${n} ${units[j] ?? ''}`.trimEnd()).join(' ')}]` : `${k}:[${v.join(' ')}]`;
        })
        .sort();
      ss.push(labelHeader + ls.join(' '));
    }
  });
  ss.push('Locations');
  for (const l of p.location) {
    let locStr = `${pad(String(l.id), 6)}: ${hex(l.address)} `;
    if (l.mapping) locStr += `M=${l.mapping.id} `;
    if (l.isFolded) locStr += '[F] ';
    if (l.line.length === 0) ss.push(locStr);
    for (const ln of l.line) {
      const fn = ln.function;
      let lnStr = `${fn.name} ${fn.filename}:${ln.line}:${ln.column} s=${fn.startLine}`;
      if (fn.name !== fn.systemName) lnStr += `(${fn.systemName})`;
      ss.push(locStr + lnStr);
      locStr = ' '.repeat(13);
    }
  }
  ss.push('Mappings');
  for (const m of p.mapping) {
    let bits = '';
    if (m.hasFunctions) bits += '[FN]';
    if (m.hasFilenames) bits += '[FL]';
    if (m.hasLineNumbers) bits += '[LN]';
    if (m.hasInlineFrames) bits += '[IN]';
    ss.push(`${m.id}: ${hex(m.start)}/${hex(m.limit)}/${hex(m.offset)} ${m.file} ${m.buildId} ${bits}`);
  }
  return ss.join('\n') + '\n';
}
