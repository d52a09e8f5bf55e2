// pprof's number formatting (internal/measurement) reproduced exactly: unit tables,
// Scale/ScaledLabel, Percentage, and Go's %.2f / %.2g which round the exact binary
// value with ties to even. Pure; no node imports (the web client uses it too).

interface Unit {
  canonical: string;
  aliases: string[];
  factor: number;
}
interface UnitType {
  defaultUnit: Unit;
  units: Unit[];
}

function unitType(units: Unit[], def: string): UnitType {
  return { units, defaultUnit: units.find((u) => u.canonical === def)! };
}

export const UNIT_TYPES: UnitType[] = [
  unitType(
    [
      { canonical: 'B', aliases: ['b', 'byte'], factor: 1 },
      { canonical: 'kB', aliases: ['kb', 'kbyte', 'kilobyte'], factor: 1024 },
      { canonical: 'MB', aliases: ['mb', 'mbyte', 'megabyte'], factor: 1024 ** 2 },
      { canonical: 'GB', aliases: ['gb', 'gbyte', 'gigabyte'], factor: 1024 ** 3 },
      { canonical: 'TB', aliases: ['tb', 'tbyte', 'terabyte'], factor: 1024 ** 4 },
      { canonical: 'PB', aliases: ['pb', 'pbyte', 'petabyte'], factor: 1024 ** 5 },
    ],
    'B',
  ),
  unitType(
    [
      { canonical: 'ns', aliases: ['ns', 'nanosecond'], factor: 1 },
      { canonical: 'us', aliases: ['μs', 'us', 'microsecond'], factor: 1e3 },
      { canonical: 'ms', aliases: ['ms', 'millisecond'], factor: 1e6 },
      { canonical: 's', aliases: ['s', 'sec', 'second'], factor: 1e9 },
      { canonical: 'hrs', aliases: ['hour', 'hr'], factor: 3600e9 },
    ],
    's',
  ),
  unitType(
    [
      { canonical: 'n*GCU', aliases: ['nanogcu'], factor: 1e-9 },
      { canonical: 'u*GCU', aliases: ['microgcu'], factor: 1e-6 },
      { canonical: 'm*GCU', aliases: ['milligcu'], factor: 1e-3 },
      { canonical: 'GCU', aliases: ['gcu'], factor: 1 },
      { canonical: 'k*GCU', aliases: ['kilogcu'], factor: 1e3 },
      { canonical: 'M*GCU', aliases: ['megagcu'], factor: 1e6 },
      { canonical: 'G*GCU', aliases: ['gigagcu'], factor: 1e9 },
      { canonical: 'T*GCU', aliases: ['teragcu'], factor: 1e12 },
      { canonical: 'P*GCU', aliases: ['petagcu'], factor: 1e15 },
    ],
    'GCU',
  ),
];

function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

const sniffCache = new Map<string, Unit | null>();

/** pprof UnitType.sniffUnit, memoized per (type, unit string). */
function sniffUnit(ut: UnitType, unit: string): Unit | null {
  const key = ut.defaultUnit.canonical + '\u0000' + unit;
  let r = sniffCache.get(key);
  if (r === undefined) {
    r = sniffUnitRaw(ut, unit);
    sniffCache.set(key, r);
  }
  return r;
}

function sniffUnitRaw(ut: UnitType, unit: string): Unit | null {
  let u = unit.toLowerCase();
  // pprof trims one trailing "s" when the string is longer than 2 BYTES.
  if (utf8Length(u) > 2 && u.endsWith('s')) u = u.slice(0, -1);
  for (const cand of ut.units) if (cand.aliases.includes(u)) return cand;
  return null;
}

function autoScale(ut: UnitType, value: number): [number, string] | null {
  let f = 0;
  let unit = '';
  for (const u of ut.units) {
    if (u.factor >= f && value / u.factor >= 1.0) {
      f = u.factor;
      unit = u.canonical;
    }
  }
  if (f === 0) return null;
  return [value / f, unit];
}

interface Resolved {
  ut: UnitType | null;
  from: Unit | null;
  /** null with ut set: "minimum"/"auto" (autoscale) */
  to: Unit | null;
  auto: boolean;
}

const resolveCache = new Map<string, Map<string, Resolved>>();

function resolveUnits(fromUnit: string, toUnit: string): Resolved {
  let inner = resolveCache.get(fromUnit);
  if (!inner) {
    inner = new Map();
    resolveCache.set(fromUnit, inner);
  }
  let r = inner.get(toUnit);
  if (!r) {
    r = { ut: null, from: null, to: null, auto: false };
    for (const ut of UNIT_TYPES) {
      const from = sniffUnit(ut, fromUnit);
      if (!from) continue;
      const auto = toUnit === 'minimum' || toUnit === 'auto';
      r = { ut, from, to: auto ? null : (sniffUnit(ut, toUnit) ?? ut.defaultUnit), auto };
      break;
    }
    inner.set(toUnit, r);
  }
  return r;
}

/** measurement.Scale: value in fromUnit expressed in toUnit ("minimum"/"auto" pick a unit). */
export function scale(value: number, fromUnit: string, toUnit: string): [number, string] {
  if (value < 0) {
    const [v, u] = scale(-value, fromUnit, toUnit);
    return [-v, u];
  }
  const r = resolveUnits(fromUnit, toUnit);
  if (r.ut && r.from) {
    const v = value * r.from.factor;
    if (r.auto) {
      const a = autoScale(r.ut, v);
      if (a) return a;
      return [v / r.ut.defaultUnit.factor, r.ut.defaultUnit.canonical];
    }
    return [v / r.to!.factor, r.to!.canonical];
  }
  switch (toUnit) {
    case 'count':
    case 'sample':
    case 'unit':
    case 'minimum':
    case 'auto':
      return [value, ''];
    default:
      return [value, toUnit];
  }
}

/** True when both units belong to one of pprof's unit families (bytes, time, GCU). */
export function sameUnitFamily(a: string, b: string): boolean {
  return UNIT_TYPES.some((ut) => sniffUnit(ut, a) !== null && sniffUnit(ut, b) !== null);
}

/** True when `unit` names a unit pprof knows (bytes, time, GCU families). */
export function isKnownUnit(unit: string): boolean {
  return UNIT_TYPES.some((ut) => sniffUnit(ut, unit) !== null);
}

// ---- exact decimal formatting ----

/** Exact decimal expansion of a finite non-negative double: digits (no leading zeros) and decimal point position. */
function exactDecimal(v: number): { digits: string; dp: number } {
  if (v === 0) return { digits: '', dp: 0 };
  const buf = new DataView(new ArrayBuffer(8));
  buf.setFloat64(0, v);
  const hi = buf.getUint32(0);
  const lo = buf.getUint32(4);
  const bexp = (hi >>> 20) & 0x7ff;
  let mant = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  let e: number;
  if (bexp === 0) e = -1074;
  else {
    mant |= 1n << 52n;
    e = bexp - 1075;
  }
  let digits: string;
  let dp: number;
  if (e >= 0) {
    digits = (mant << BigInt(e)).toString();
    dp = digits.length;
  } else {
    digits = (mant * 5n ** BigInt(-e)).toString();
    dp = digits.length + e; // value = digits * 10^e
  }
  // strip trailing zeros
  let end = digits.length;
  while (end > 0 && digits.charCodeAt(end - 1) === 48) end--;
  return { digits: digits.slice(0, end), dp };
}

/** Round the decimal digits to `nd` digits with ties to even (Go strconv decimal.Round). */
function roundDigits(d: { digits: string; dp: number }, nd: number): { digits: string; dp: number } {
  const { digits } = d;
  let dp = d.dp;
  if (nd < 0) return { digits: '', dp: 0 };
  if (nd >= digits.length) return d;
  const next = digits.charCodeAt(nd) - 48;
  let up: boolean;
  if (next > 5) up = true;
  else if (next < 5) up = false;
  else if (nd + 1 < digits.length)
    up = true; // more nonzero digits follow (trailing zeros stripped)
  else up = nd > 0 && (digits.charCodeAt(nd - 1) - 48) % 2 === 1; // exact tie: to even
  let kept = digits.slice(0, nd);
  if (up) {
    const arr = kept.split('').map((c) => c.charCodeAt(0) - 48);
    let i = arr.length - 1;
    while (i >= 0 && arr[i] === 9) {
      arr[i] = 0;
      i--;
    }
    if (i < 0) {
      arr.unshift(1);
      dp++;
    } else arr[i]++;
    kept = arr.join('');
  }
  let end = kept.length;
  while (end > 0 && kept.charCodeAt(end - 1) === 48) end--;
  kept = kept.slice(0, end);
  if (kept === '') dp = 0;
  return { digits: kept, dp };
}

function fixedFromDigits(d: { digits: string; dp: number }, prec: number): string {
  // integer part
  let intPart = '';
  if (d.dp > 0) {
    for (let i = 0; i < d.dp; i++) intPart += i < d.digits.length ? d.digits[i] : '0';
  } else intPart = '0';
  if (prec <= 0) return intPart;
  let frac = '';
  for (let i = 0; i < prec; i++) {
    const j = d.dp + i;
    frac += j >= 0 && j < d.digits.length ? d.digits[j] : '0';
  }
  return intPart + '.' + frac;
}

/** Go fmt.Sprintf("%.<prec>f", v). */
export function goFixed(v: number, prec = 2): string {
  if (!Number.isFinite(v)) return v > 0 ? '+Inf' : v < 0 ? '-Inf' : 'NaN';
  const neg = v < 0 || Object.is(v, -0);
  const a = Math.abs(v);
  if (a < 1e21) {
    // JS toFixed is exact except that it breaks exact ties upwards; only near-ties need the slow path.
    const scaled = a * 10 ** prec;
    const frac = scaled - Math.floor(scaled);
    if (Math.abs(frac - 0.5) > 1e-6) return (neg ? '-' : '') + a.toFixed(prec);
  }
  const d = exactDecimal(a);
  const r = roundDigits(d, d.dp + prec);
  return (neg ? '-' : '') + fixedFromDigits(r, prec);
}

/**
 * `a` rounded to `prec` significant digits as {digits, dp}. JS toExponential rounds the
 * exact binary value correctly except that it breaks exact ties upwards, so only values
 * whose next digit is (nearly) a 5 take the exact BigInt path.
 */
function gDigits(a: number, prec: number): { digits: string; dp: number } {
  if (a === 0 || !(a > 1e-300 && a < 1e300)) return roundDigits(exactDecimal(a), prec);
  const e = a.toExponential(prec + 3); // d.ddddde±x: 3 guard digits
  const mant = e.slice(0, e.indexOf('e')).replace('.', '');
  const guard = mant.slice(prec);
  if (guard.startsWith('5') || guard.startsWith('49') || guard === '999' || guard === '000') {
    return roundDigits(exactDecimal(a), prec);
  }
  const x = a.toExponential(prec - 1);
  const ei = x.indexOf('e');
  let digits = x.slice(0, ei).replace('.', '');
  const exp = Number(x.slice(ei + 1));
  let end = digits.length;
  while (end > 0 && digits.charCodeAt(end - 1) === 48) end--;
  digits = digits.slice(0, end);
  return { digits, dp: exp + 1 };
}

/** Go strconv.FormatFloat(v, 'g', prec, 64) for v >= 0 (as fmt %.<prec>g prints it). */
export function goG(v: number, prec = 2): string {
  if (!Number.isFinite(v)) return v > 0 ? '+Inf' : 'NaN';
  const neg = v < 0;
  const a = Math.abs(v);
  const r = gDigits(a, prec);
  const nd = r.digits.length;
  let eprec = prec;
  if (eprec > nd && nd >= r.dp) eprec = nd;
  const exp = r.dp - 1;
  let out: string;
  if (a !== 0 && (exp < -4 || exp >= eprec)) {
    const p = Math.min(prec, nd);
    let s = r.digits[0];
    if (p - 1 > 0) s += '.' + r.digits.slice(1, p).padEnd(p - 1, '0');
    const ae = Math.abs(exp);
    s += 'e' + (exp < 0 ? '-' : '+') + (ae < 10 ? '0' + ae : String(ae));
    out = s;
  } else {
    let p = prec;
    if (p > r.dp) p = nd;
    out = fixedFromDigits(r, Math.max(p - r.dp, 0));
  }
  return (neg ? '-' : '') + out;
}

function padLeft(s: string, w: number): string {
  return s.length >= w ? s : ' '.repeat(w - s.length) + s;
}

/** Go's %Ns: right-aligned to w runes. */
export function padRunes(s: string, w: number): string {
  const n = [...s].length;
  return n >= w ? s : ' '.repeat(w - n) + s;
}

/** measurement.Percentage. */
export function percentage(value: number, total: number): string {
  let ratio = 0;
  if (total !== 0) ratio = Math.abs(value / total) * 100;
  if (ratio >= 99.95 && ratio <= 100.05) return '  100%';
  if (ratio >= 1.0) return padLeft(goFixed(ratio, 2), 5) + '%';
  return padLeft(goG(ratio, 2), 5) + '%';
}

/** measurement.ScaledLabel. */
export function scaledLabel(value: number, fromUnit: string, toUnit: string): string {
  const [v, u] = scale(value, fromUnit, toUnit);
  let sv = goFixed(v, 2);
  if (sv.endsWith('.00')) sv = sv.slice(0, -3);
  if (sv === '0' || sv === '-0') return '0';
  return sv + u;
}

/** measurement.Label = ScaledLabel(v, unit, "auto"). */
export function label(value: number, unit: string): string {
  return scaledLabel(value, unit, 'auto');
}

/** The report's single output unit (report.selectOutputUnit), or the requested unit unchanged. */
export function selectOutputUnit(requested: string, sampleUnit: string, shown: { flat: number; cum: number }[], total: number): string {
  if (requested !== 'minimum' || shown.length === 0) return requested;
  let minValue = 0;
  for (const n of shown) {
    let m = Math.abs(n.flat);
    if (m === 0) m = Math.abs(n.cum);
    if (m > 0 && (minValue === 0 || m < minValue)) minValue = m;
  }
  const maxValue = total;
  if (minValue === 0) minValue = maxValue;
  const minUnit = scale(minValue, sampleUnit, 'minimum')[1];
  const maxUnit = scale(maxValue, sampleUnit, 'minimum')[1];
  let unit = minUnit;
  if (minUnit !== maxUnit && minValue * 100 < maxValue) unit = scale(100 * minValue, sampleUnit, 'minimum')[1];
  return unit !== '' ? unit : sampleUnit;
}

/**
 * pprof's "Showing nodes accounting for X, Y% of Z total" for what a query's filters kept
 * (TopReport.kept of `total`), in the report's display unit: the web's filter banner.
 */
export function keptSentence(rep: { kept: number; total: number; displayUnit: string; sampleType: { unit: string } }): string {
  const unit = rep.displayUnit || 'auto';
  const fmt = (v: number): string => scaledLabel(v, rep.sampleType.unit, unit);
  return `Showing nodes accounting for ${fmt(rep.kept)}, ${percentage(rep.kept, rep.total).trim()} of ${fmt(rep.total)} total`;
}
