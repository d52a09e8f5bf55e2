// Combining profiles the way pprof does for -base / -diff_base / -normalize:
// CompatibilizeSampleTypes, unit scaling between profiles (ScaleProfiles), Normalize,
// Scale/ScaleN, Merge (Compact-style keying of samples, locations, functions and
// mappings) and the `pprof::base=true` label. Pure functions: inputs are never mutated.
import type { Func, Line, Location, Mapping, Profile, Sample } from '../model/profile.js';
import type { DiffMode } from '../../../contract/diff.js';
import type { ValueType } from '../../../contract/views.js';
import { sameUnitFamily, scale as measurementScale } from '../../../contract/format.js';

/** Label pprof puts on every diff-base sample; the report total counts only those. */
export const DIFF_BASE_LABEL = 'pprof::base';

/** Two profiles that cannot be combined (different types, period types, ...). HTTP 400. */
export class IncompatibleProfilesError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'IncompatibleProfilesError';
  }
}

export interface CombineOptions {
  /** diff_base: base samples labelled, percentages relative to the base; base: plain subtraction. */
  mode: DiffMode;
  /** pprof -normalize: scale the new profile by sum(base)/sum(new) per sample type first. */
  normalize?: boolean;
}

// ---------------------------------------------------------------------------
// Values. A profile keeps numbers unless some value needs more than 2^53; then
// `exactValues` holds bigints. We work on bigint rows only when an input has them.

type Row = number[] | bigint[];

function sampleRows(p: Profile): Row[] {
  return p.exactValues ?? p.sample.map((s) => s.value);
}

/** Builds a profile's sample/exactValues pair from rows, keeping numbers when they are exact. */
function withRows(p: Profile, samples: Sample[], rows: Row[]): Profile {
  if (rows.length === 0 || typeof rows[0]![0] !== 'bigint') {
    return { ...p, sample: samples.map((s, i) => ({ ...s, value: rows[i] as number[] })), exactValues: null };
  }
  const big = rows as bigint[][];
  let needExact = false;
  const sums: bigint[] = new Array<bigint>(p.sampleType.length).fill(0n);
  for (const r of big) {
    for (let i = 0; i < r.length; i++) {
      const v = r[i]!;
      if (v > BigInt(Number.MAX_SAFE_INTEGER) || v < -BigInt(Number.MAX_SAFE_INTEGER)) needExact = true;
      sums[i] = sums[i]! + (v < 0n ? -v : v);
    }
  }
  if (sums.some((s) => s > BigInt(Number.MAX_SAFE_INTEGER))) needExact = true;
  const out = samples.map((s, i) => ({ ...s, value: big[i]!.map((v) => Number(v)) }));
  return { ...p, sample: out, exactValues: needExact ? big : null };
}

function toBigRows(p: Profile): bigint[][] {
  return p.exactValues ?? p.sample.map((s) => s.value.map((v) => BigInt(v)));
}

/** Go's math.Round: half away from zero. */
function goRound(x: number): number {
  return x < 0 ? -Math.round(-x) : Math.round(x);
}

/** Go int64(math.Round(float64(v) * r)) for a number or bigint value. */
function scaleValue(v: number | bigint, r: number): number | bigint {
  if (typeof v === 'bigint') {
    const x = goRound(Number(v) * r);
    return BigInt(Number.isFinite(x) ? x : 0);
  }
  const x = goRound(v * r);
  return x === 0 ? 0 : x; // no -0
}

/**
 * pprof Profile.ScaleN: multiplies each sample type's values by its ratio (rounding half away
 * from zero) and drops samples whose rescaled values all became 0. Types with ratio 1 are left
 * alone and do not keep a sample alive, exactly as pprof.
 */
export function scaleN(p: Profile, ratios: number[]): Profile {
  if (ratios.length !== p.sampleType.length) {
    throw new IncompatibleProfilesError(`mismatched scale ratios, got ${ratios.length}, want ${p.sampleType.length}`);
  }
  if (ratios.every((r) => r === 1)) return p;
  const rows = sampleRows(p);
  const keptSamples: Sample[] = [];
  const keptRows: Row[] = [];
  p.sample.forEach((s, si) => {
    const row = rows[si]!;
    let keep = false;
    const out = row.map((v, i) => {
      if (ratios[i] === 1) return v;
      const nv = scaleValue(v, ratios[i]!);
      if (nv !== 0 && nv !== 0n) keep = true;
      return nv;
    });
    if (keep) {
      keptSamples.push(s);
      keptRows.push(out as Row);
    }
  });
  return withRows(p, keptSamples, keptRows);
}

/** pprof Profile.Scale: the same ratio for every sample type. */
export function scale(p: Profile, ratio: number): Profile {
  return scaleN(
    p,
    p.sampleType.map(() => ratio),
  );
}

// Units: pprof's measurement tables live in contract/format.ts.

/** measurement.Scale(1, from, to) for a known pair, else 1 (pprof leaves unknown units alone). */
function unitRatio(from: string, to: string): number {
  return measurementScale(1, from, to)[0];
}

function compatibleValueTypes(a: ValueType | null, b: ValueType | null): boolean {
  if (!a || !b) return true;
  if (a.type.replace(/s$/, '') !== b.type.replace(/s$/, '')) return false;
  if (a.unit === b.unit) return true;
  return sameUnitFamily(a.unit, b.unit);
}

function fmtType(t: ValueType | null): string {
  return t ? `${t.type}/${t.unit}` : '(none)';
}

/** measurement.CommonValueType: the finest of a set of compatible types (null for <= 1 type). */
function commonValueType(ts: ValueType[]): ValueType | null {
  if (ts.length <= 1) return null;
  let min = ts[0]!;
  for (const t of ts.slice(1)) {
    if (!compatibleValueTypes(min, t)) throw new IncompatibleProfilesError(`incompatible types: ${fmtType(min)} ${fmtType(t)}`);
    if (unitRatio(t.unit, min.unit) < 1) min = t;
  }
  return { ...min };
}

/**
 * measurement.ScaleProfiles: converts every profile to the finest common unit per sample
 * type and period type (e.g. a ms profile against a ns one).
 */
export function scaleProfiles(ps: Profile[]): Profile[] {
  if (ps.length === 0) return ps;
  let periodType: ValueType | null;
  try {
    periodType = commonValueType(ps.flatMap((p) => (p.periodType ? [p.periodType] : [])));
  } catch (e) {
    throw new IncompatibleProfilesError(`period type: ${(e as Error).message}`);
  }
  const n = ps[0]!.sampleType.length;
  for (const p of ps.slice(1)) {
    if (p.sampleType.length !== n) {
      throw new IncompatibleProfilesError(`inconsistent samples type count: ${n} != ${p.sampleType.length}`);
    }
  }
  const common: (ValueType | null)[] = [];
  for (let i = 0; i < n; i++) {
    try {
      common.push(commonValueType(ps.map((p) => p.sampleType[i]!)));
    } catch (e) {
      throw new IncompatibleProfilesError(`sample types: ${(e as Error).message}`);
    }
  }
  return ps.map((p) => {
    let q = p;
    if (p.periodType && periodType) {
      const period = Number(p.period) * unitRatio(p.periodType.unit, periodType.unit);
      q = { ...q, period: BigInt(Math.trunc(period)), periodType: { ...p.periodType, unit: periodType.unit } };
    }
    const ratios = p.sampleType.map((st, i) => (common[i] ? unitRatio(st.unit, common[i]!.unit) : 1));
    q = { ...q, sampleType: p.sampleType.map((st, i) => (common[i] ? { ...st, unit: common[i]!.unit } : st)) };
    return scaleN(q, ratios);
  });
}

/**
 * pprof CompatibilizeSampleTypes: keeps only the sample types (by name) present in every
 * profile, in the first profile's order; the default sample type survives when it is kept.
 */
export function compatibilizeSampleTypes(ps: Profile[]): Profile[] {
  const counts = new Map<string, number>();
  for (const p of ps) for (const st of p.sampleType) counts.set(st.type, (counts.get(st.type) ?? 0) + 1);
  const common = ps.length ? ps[0]!.sampleType.map((st) => st.type).filter((t) => counts.get(t) === ps.length) : [];
  if (common.length === 0) {
    throw new IncompatibleProfilesError(
      `profiles have no sample type in common (${ps.map((p) => p.sampleType.map(fmtType).join(', ') || '(none)').join(' vs ')})`,
    );
  }
  return ps.map((p) => {
    let defaultType = common[0]!;
    const remap = common.map((t) => {
      if (t === p.defaultSampleType) defaultType = p.defaultSampleType;
      const idx = p.sampleType.findIndex((st) => st.type === t);
      if (idx < 0) throw new IncompatibleProfilesError(`"${t}" sample type is not found in profile`);
      return idx;
    });
    if (remap.every((idx, i) => idx === i) && common.length === p.sampleType.length) return p;
    const rows = sampleRows(p).map((r) => remap.map((idx) => r[idx]!) as Row);
    return withRows({ ...p, defaultSampleType: defaultType, sampleType: remap.map((idx) => p.sampleType[idx]!) }, p.sample, rows);
  });
}

/** Adds (or replaces) a string label on every sample, as pprof's SetLabel. */
export function setLabel(p: Profile, key: string, values: string[]): Profile {
  return { ...p, sample: p.sample.map((s) => ({ ...s, label: { ...(s.label ?? {}), [key]: [...values] } })) };
}

/** True for a sample carrying `pprof::base=true` (pprof Sample.DiffBaseSample). */
export function isDiffBaseSample(s: Sample): boolean {
  return s.label?.[DIFF_BASE_LABEL]?.[0] === 'true';
}

function sumRows(p: Profile): number[] {
  const sums = p.sampleType.map(() => 0n);
  for (const r of toBigRows(p)) r.forEach((v, i) => (sums[i] = sums[i]! + v));
  return sums.map((s) => Number(s));
}

function equalValueType(a: ValueType | null, b: ValueType | null): boolean {
  if (!a || !b) return a === b || (!a && !b);
  return a.type === b.type && a.unit === b.unit;
}

/** pprof Profile.compatible: equal period types and identical sample type lists. */
export function checkCompatible(a: Profile, b: Profile): void {
  if (!equalValueType(a.periodType, b.periodType) && !(isEmptyType(a.periodType) && isEmptyType(b.periodType))) {
    throw new IncompatibleProfilesError(`incompatible period types ${fmtType(a.periodType)} and ${fmtType(b.periodType)}`);
  }
  const same = a.sampleType.length === b.sampleType.length && a.sampleType.every((t, i) => equalValueType(t, b.sampleType[i]!));
  if (!same) {
    throw new IncompatibleProfilesError(
      `incompatible sample types [${a.sampleType.map(fmtType).join(' ')}] and [${b.sampleType.map(fmtType).join(' ')}]`,
    );
  }
}

function isEmptyType(t: ValueType | null): boolean {
  return !t || (t.type === '' && t.unit === '');
}

/**
 * pprof Profile.Normalize: scales `src` so each sample type sums to the base's sum
 * (ratio sum(base)/sum(src); 0 when the source sums to 0).
 */
export function normalize(src: Profile, base: Profile): Profile {
  checkCompatible(src, base);
  const b = sumRows(base);
  const s = sumRows(src);
  return scaleN(
    src,
    b.map((bv, i) => (s[i] === 0 ? 0 : bv / s[i]!)),
  );
}

// ---------------------------------------------------------------------------
// Merge (profile/merge.go).

function mappingKey(m: Mapping): string {
  // Size rounded up to 4 KiB absorbs small differences between runs.
  let size = m.limit - m.start;
  size = size + 0xfffn;
  size = size - (size % 0x1000n);
  const id = m.buildId !== '' ? m.buildId : m.file;
  return `${size}|${m.offset}|${JSON.stringify(id)}`;
}

function functionKey(f: Func): string {
  return JSON.stringify([f.startLine, f.name, f.systemName, f.filename]);
}

/** pprof's location key, including its quirk: a line's column slot is overwritten by the next line's function id. */
function locationKey(l: Location): string {
  let addr = l.address;
  let mappingId = 0;
  if (l.mapping) {
    addr = BigInt.asUintN(64, addr - l.mapping.start);
    mappingId = l.mapping.id;
  }
  const slots: string[] = new Array<string>(l.line.length * 3).fill('');
  l.line.forEach((ln, i) => {
    slots[i * 2] = ln.function.id.toString(16);
    slots[i * 2 + 1] = ln.line.toString(16);
    slots[i * 2 + 2] = ln.column.toString(16);
  });
  return `${addr}|${mappingId}|${l.isFolded ? 1 : 0}|${slots.join('|')}`;
}

// Samples are keyed like pprof's sampleKey (merged location ids, labels, numeric labels
// with units), but through a numeric hash and an exact comparison on collision, which
// avoids building one key string per sample (the large heap profile has 280k samples).

function hashString(h: number, str: string): number {
  for (let i = 0; i < str.length; i++) h = Math.imul(h ^ str.charCodeAt(i), 0x01000193);
  return Math.imul(h ^ 0xff, 0x01000193);
}

function hashNumber(h: number, x: number): number {
  h = Math.imul(h ^ (x & 0xffff), 0x01000193);
  h = Math.imul(h ^ ((x / 0x10000) & 0xffff), 0x01000193);
  if (x > 0xffffffff || x < 0) h = Math.imul(h ^ (Math.floor(x / 0x100000000) & 0xffffffff), 0x01000193);
  return h;
}

function sortedKeys(o: Record<string, unknown>): string[] {
  const keys = Object.keys(o);
  if (keys.length > 1) keys.sort();
  return keys;
}

const labelHashCache = new WeakMap<object, number>();

function labelHash(s: Sample): number {
  let h = 0;
  if (s.label) {
    let lh = labelHashCache.get(s.label);
    if (lh === undefined) {
      lh = 0x811c9dc5;
      for (const k of sortedKeys(s.label)) {
        lh = hashString(lh, k);
        for (const v of s.label[k]!) lh = hashString(lh, v);
      }
      labelHashCache.set(s.label, lh);
    }
    h = lh;
  }
  if (s.numLabel) {
    let nh = 0x01234567;
    for (const k of sortedKeys(s.numLabel)) {
      nh = hashString(nh, k);
      for (const v of s.numLabel[k]!) nh = hashNumber(nh, v);
      for (const u of s.numUnit?.[k] ?? []) nh = hashString(nh, u);
    }
    h = Math.imul(h ^ nh, 0x01000193);
  }
  return h;
}

function sameLists<T>(a: Record<string, T[]> | null | undefined, b: Record<string, T[]> | null | undefined): boolean {
  const ak = a ? Object.keys(a) : [];
  const bk = b ? Object.keys(b) : [];
  if (ak.length !== bk.length) return false;
  for (const k of ak) {
    const x = a![k]!;
    const y = b?.[k];
    if (!y || x.length !== y.length) return false;
    for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
  }
  return true;
}

/** Same labels, numeric labels and units (a missing unit list equals an empty one). */
function sameLabels(a: Sample, b: Sample): boolean {
  if (a.label !== b.label && !sameLists(a.label, b.label)) return false;
  if (!sameLists(a.numLabel, b.numLabel)) return false;
  const units = (s: Sample): Record<string, string[]> =>
    Object.fromEntries(Object.keys(s.numLabel ?? {}).map((k) => [k, s.numUnit?.[k] ?? []]));
  return !a.numLabel || sameLists(units(a), units(b));
}

interface MapInfo {
  m: Mapping | null;
  offset: bigint;
}

class Merger {
  readonly mappings: Mapping[] = [];
  readonly locations: Location[] = [];
  readonly functions: Func[] = [];
  readonly samples: Sample[] = [];
  readonly rows: Row[] = [];
  private readonly mappingByKey = new Map<string, Mapping>();
  private readonly locationByKey = new Map<string, Location>();
  private readonly functionByKey = new Map<string, Func>();
  // Per-source tables, reset for each source profile.
  private mappingsById = new Map<number, MapInfo>();
  private locationsById = new Map<number, Location>();
  private functionsById = new Map<number, Func>();

  // Per-source location lookup by (usually dense) id: an array is much cheaper than a Map
  // on the hot path (one lookup per frame of every sample).
  private locationsByDenseId: (Location | undefined)[] = [];

  startSource(): void {
    this.mappingsById = new Map();
    this.locationsById = new Map();
    this.locationsByDenseId = [];
    this.functionsById = new Map();
  }

  mapMapping(src: Mapping | null): MapInfo {
    if (!src) return { m: null, offset: 0n };
    const known = this.mappingsById.get(src.id);
    if (known) return known;
    const k = mappingKey(src);
    const existing = this.mappingByKey.get(k);
    if (existing) {
      const mi = { m: existing, offset: existing.start - src.start };
      this.mappingsById.set(src.id, mi);
      return mi;
    }
    const m: Mapping = { ...src, id: this.mappings.length + 1 };
    this.mappings.push(m);
    this.mappingByKey.set(k, m);
    const mi = { m, offset: 0n };
    this.mappingsById.set(src.id, mi);
    return mi;
  }

  private mapFunction(src: Func): Func {
    const known = this.functionsById.get(src.id);
    if (known) return known;
    const k = functionKey(src);
    let f = this.functionByKey.get(k);
    if (!f) {
      f = { ...src, id: this.functions.length + 1 };
      this.functions.push(f);
      this.functionByKey.set(k, f);
    }
    this.functionsById.set(src.id, f);
    return f;
  }

  private mapLocation(src: Location): Location {
    const dense = src.id < 1 << 22;
    const known = dense ? this.locationsByDenseId[src.id] : this.locationsById.get(src.id);
    if (known) return known;
    const l = this.mapNewLocation(src);
    if (dense) this.locationsByDenseId[src.id] = l;
    return l;
  }

  private mapNewLocation(src: Location): Location {
    const mi = this.mapMapping(src.mapping);
    const line: Line[] = src.line.map((ln) => ({ function: this.mapFunction(ln.function), line: ln.line, column: ln.column }));
    const l: Location = {
      id: this.locations.length + 1,
      mapping: mi.m,
      address: BigInt.asUintN(64, src.address + mi.offset),
      line,
      isFolded: src.isFolded,
    };
    const k = locationKey(l);
    const existing = this.locationByKey.get(k);
    if (existing) {
      this.locationsById.set(src.id, existing);
      return existing;
    }
    this.locationsById.set(src.id, l);
    this.locationByKey.set(k, l);
    this.locations.push(l);
    return l;
  }

  private buckets = new Map<number, number | number[]>();

  private matches(cand: number, locs: Location[], src: Sample): boolean {
    const c = this.samples[cand]!;
    if (c.location.length !== locs.length) return false;
    for (let i = 0; i < locs.length; i++) if (c.location[i] !== locs[i]) return false;
    return sameLabels(c, src);
  }
  private scratch: Location[] = [];

  mapSample(src: Sample, row: Row): void {
    const n = src.location.length;
    const locs = this.scratch;
    locs.length = n;
    let h = 0x811c9dc5 ^ n;
    for (let i = 0; i < n; i++) {
      const l = this.mapLocation(src.location[i]!);
      locs[i] = l;
      h = hashNumber(h, l.id);
    }
    if (src.label || src.numLabel) h = Math.imul(h ^ labelHash(src), 0x01000193);
    // 30 bits keep the key a small integer (no boxed number per lookup).
    h &= 0x3fffffff;
    const found = this.buckets.get(h);
    let idx = -1;
    if (found !== undefined) {
      if (typeof found === 'number') {
        if (this.matches(found, locs, src)) idx = found;
      } else {
        for (const cand of found) {
          if (this.matches(cand, locs, src)) {
            idx = cand;
            break;
          }
        }
      }
    }
    if (idx >= 0) {
      const acc = this.rows[idx]!;
      if (typeof acc[0] === 'bigint') {
        const a = acc as bigint[];
        const r = row as bigint[];
        for (let i = 0; i < r.length; i++) a[i] = a[i]! + r[i]!;
      } else {
        const a = acc as number[];
        const r = row as number[];
        for (let i = 0; i < r.length; i++) a[i] = a[i]! + r[i]!;
      }
      return;
    }
    const id = this.samples.length;
    if (found === undefined) this.buckets.set(h, id);
    else if (typeof found === 'number') this.buckets.set(h, [found, id]);
    else found.push(id);
    this.samples.push({
      location: locs.slice(),
      value: [],
      // Label maps are shared, not copied: profiles are never mutated after decoding.
      label: src.label,
      numLabel: src.numLabel,
      numUnit: src.numUnit,
    });
    this.rows.push(row.slice() as Row);
  }
}

function sumsFitInDouble(srcs: Profile[]): boolean {
  const n = srcs[0]!.sampleType.length;
  const sums = new Array<number>(n).fill(0);
  for (const p of srcs) {
    for (const smp of p.sample) {
      const v = smp.value;
      for (let i = 0; i < n; i++) sums[i] = sums[i]! + Math.abs(v[i]!);
    }
  }
  return sums.every((x) => x <= Number.MAX_SAFE_INTEGER);
}

function isZeroRow(r: readonly (number | bigint)[]): boolean {
  return r.every((v) => v === 0 || v === 0n);
}

/** pprof combineHeaders: checks compatibility and builds the merged header. */
function combineHeaders(srcs: Profile[]): Profile {
  for (const s of srcs.slice(1)) checkCompatible(srcs[0]!, s);
  let timeNanos = 0n;
  let durationNanos = 0n;
  let period = 0n;
  const comments: string[] = [];
  const seen = new Set<string>();
  let docUrl = '';
  let defaultSampleType = '';
  for (const s of srcs) {
    // pprof's own rule, quirk included: a later 0 replaces an earlier non-zero time.
    if (timeNanos === 0n || s.timeNanos < timeNanos) timeNanos = s.timeNanos;
    durationNanos += s.durationNanos;
    if (period === 0n || period < s.period) period = s.period;
    for (const c of s.comments) {
      if (!seen.has(c)) {
        seen.add(c);
        comments.push(c);
      }
    }
    if (defaultSampleType === '') defaultSampleType = s.defaultSampleType;
    if (docUrl === '') docUrl = s.docUrl;
  }
  const first = srcs[0]!;
  return {
    sampleType: first.sampleType.map((t) => ({ ...t })),
    defaultSampleType,
    sample: [],
    mapping: [],
    location: [],
    function: [],
    dropFrames: first.dropFrames,
    keepFrames: first.keepFrames,
    timeNanos,
    durationNanos,
    periodType: first.periodType,
    period,
    comments,
    docUrl,
    exactValues: null,
  };
}

/**
 * pprof profile.Merge: one profile whose samples with equal stacks and labels are summed
 * and whose all-zero samples are dropped. Sources must have identical sample types.
 */
export function merge(srcs: Profile[]): Profile {
  if (srcs.length === 0) throw new IncompatibleProfilesError('no profiles to merge');
  const header = combineHeaders(srcs);
  // Plain numbers stay exact while every partial sum stays below 2^53: the sum over all
  // sources of |values| per type bounds them. Otherwise (or with exact inputs) use bigints.
  const exact = srcs.some((p) => p.exactValues !== null) || !sumsFitInDouble(srcs);
  const m = new Merger();
  for (const src of srcs) {
    m.startSource();
    // The first mapping of a profile is its main binary: keep it first.
    if (m.mappings.length === 0 && src.mapping.length > 0) m.mapMapping(src.mapping[0]!);
    const rows = exact ? toBigRows(src) : src.sample.map((s) => s.value);
    src.sample.forEach((s, i) => {
      if (!isZeroRow(rows[i]!)) m.mapSample(s, rows[i]!);
    });
  }
  // Stacks that cancelled out leave all-zero samples: pprof re-merges to drop them.
  const keep: number[] = [];
  m.rows.forEach((r, i) => {
    if (!isZeroRow(r)) keep.push(i);
  });
  if (keep.length !== m.rows.length) {
    const again = withRows(
      { ...header, mapping: m.mappings, location: m.locations, function: m.functions },
      keep.map((i) => m.samples[i]!),
      keep.map((i) => m.rows[i]!),
    );
    // withRows keeps bigints only when needed; the re-merge must still see exact values.
    return merge([exact && !again.exactValues ? { ...again, exactValues: keep.map((i) => m.rows[i]! as bigint[]) } : again]);
  }
  return finish({ ...header, mapping: m.mappings, location: m.locations, function: m.functions }, m.samples, m.rows);
}

/** Like withRows, but fills the merger's own (fresh) sample objects in place. */
function finish(p: Profile, samples: Sample[], rows: Row[]): Profile {
  if (rows.length === 0 || typeof rows[0]![0] !== 'bigint') {
    for (let i = 0; i < samples.length; i++) samples[i]!.value = rows[i] as number[];
    return { ...p, sample: samples, exactValues: null };
  }
  return withRows(p, samples, rows);
}

/** pprof's combineProfiles: compatibilize types, convert units, merge. */
export function combineProfiles(ps: Profile[]): Profile {
  const compat = scaleProfiles(compatibilizeSampleTypes(ps));
  if (compat.length === 1) return compat[0]!;
  return merge(compat);
}

/**
 * The profile `go tool pprof -diff_base=BASE NEW` (mode diff_base) or `-base=BASE NEW`
 * (mode base) reports on: the base negated and merged into the new profile; in diff_base
 * mode base samples carry `pprof::base=true` so totals and percentages refer to the base.
 */
export function diffProfiles(newer: Profile, base: Profile, opts: CombineOptions): Profile {
  const src = opts.normalize ? normalize(newer, base) : newer;
  return combineProfiles([src, negatedBase(base, opts.mode === 'diff_base')]);
}

const BASE_LABEL_ONLY: Record<string, string[]> = { [DIFF_BASE_LABEL]: ['true'] };

/**
 * pprof's SetLabel("pprof::base", "true") (diff_base only) then Scale(-1), in one pass:
 * values negated, all-zero samples dropped, unlabelled samples sharing one label map.
 */
export function negatedBase(base: Profile, label: boolean): Profile {
  const withLabel = (s: Sample): Sample =>
    label ? { ...s, label: s.label ? { ...s.label, [DIFF_BASE_LABEL]: ['true'] } : BASE_LABEL_ONLY } : { ...s };
  if (base.exactValues) {
    const b = label ? setLabel(base, DIFF_BASE_LABEL, ['true']) : base;
    return scale(b, -1);
  }
  const samples: Sample[] = [];
  for (const s of base.sample) {
    const v = s.value;
    let zero = true;
    const nv = new Array<number>(v.length);
    for (let i = 0; i < v.length; i++) {
      const x = v[i]!;
      nv[i] = x === 0 ? 0 : -x;
      if (x !== 0) zero = false;
    }
    if (zero) continue;
    const out = withLabel(s);
    out.value = nv;
    samples.push(out);
  }
  return { ...base, sample: samples, exactValues: null };
}
