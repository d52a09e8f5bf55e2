// Sample labels, decoded on first use. Building a label map per sample was most of a
// decode of Go heap profiles (one numeric label `bytes` per sample) and `top`, `list` and
// the flame graph never read them. The decoder validates every label as it reads it (so
// bad input is still refused at upload, with the same errors) and copies its bytes here;
// SampleColumns.label/numLabel/numUnit build the maps from these bytes on first read.
import type { SampleColumns } from '../model/profile.js';
import { WireReader } from './wire.js';

type StrMap = Record<string, string[]>;
type NumMap = Record<string, number[]>;

/** The label messages of every sample, as the decoder copied them. */
export interface LabelBytes {
  /** Each label as its length varint and message bytes, samples in order. */
  bytes: Uint8Array;
  /** Sample k's labels are bytes[start[k] .. start[k+1]); length n + 1. */
  start: Int32Array;
  /** The profile's string table (labels hold indices into it, checked by the decoder). */
  strings: readonly string[];
  /** Whether some sample has a string label / a numeric one. */
  str: boolean;
  num: boolean;
}

/**
 * Builds the label maps the decoder used to build eagerly, with the same sharing:
 * samples with the same numeric label layout share one numUnit map, and samples whose
 * single numeric label is equal share one numLabel map (both read-only, see Sample).
 */
class LabelBuilder {
  readonly r: WireReader;
  readonly strings: readonly string[];
  curLabel: StrMap | null = null;
  nUnits = 0;
  readonly unitMaps = new Map<string, StrMap>();
  readonly unitKeys: string[] = [];
  readonly unitVals: string[] = [];
  // (key, unit) string indices of the current sample's numeric labels, and of the
  // previous layout: consecutive samples usually share it, so no lookup is needed.
  readonly unitIdx: number[] = [];
  readonly lastIdx: number[] = [];
  lastN = -1;
  lastUnit: StrMap | null = null;
  readonly unitNums: number[] = [];
  // Shared single-label maps by value, per label layout (key and unit).
  readonly singleMaps = new Map<string, Map<number, NumMap>>();
  lastSingles: Map<number, NumMap> | null = null;
  curNumLabel: NumMap | null = null;
  curNumUnit: StrMap | null = null;

  constructor(lb: LabelBytes) {
    this.r = new WireReader(lb.bytes);
    this.strings = lb.strings;
  }

  /** One Label message in [r.pos, lend), already checked by the decoder. */
  readLabel(lend: number, wantStr: boolean, wantNum: boolean): void {
    const r = this.r;
    let key = 0;
    let sx = 0;
    let num = 0;
    let unit = 0;
    while (r.pos < lend) {
      const ltag = r.uint32();
      const lf = ltag >>> 3;
      if (lf >= 1 && lf <= 4) {
        const v = r.int64();
        if (lf === 1) key = v;
        else if (lf === 2) sx = v;
        else if (lf === 3) num = v;
        else unit = v;
      } else r.skip(ltag & 7, lend);
    }
    const keyS = this.strings[key];
    if (sx !== 0) {
      if (!wantStr) return;
      const label = (this.curLabel ??= {});
      // A literal [v] is allocated at its exact size; [] then push() would reserve 16 slots.
      const sv = this.strings[sx];
      const prev = label[keyS];
      if (prev === undefined) label[keyS] = [sv];
      else prev.push(sv);
    } else if (wantNum && (num !== 0 || unit !== 0)) {
      const nUnits = this.nUnits;
      this.unitNums[nUnits] = num;
      this.unitIdx[2 * nUnits] = key;
      this.unitIdx[2 * nUnits + 1] = unit;
      this.unitKeys[nUnits] = keyS;
      this.unitVals[nUnits] = this.strings[unit];
      this.nUnits = nUnits + 1;
    }
  }

  /** Sets curNumLabel/curNumUnit from the nUnits numeric labels just read. */
  finishNumLabels(): void {
    const nUnits = this.nUnits;
    const { unitIdx, lastIdx, unitKeys, unitVals, unitNums } = this;
    let numUnit: StrMap | null;
    let numLabel: NumMap | null;
    // The key -> units map depends only on the label keys and units, which repeat
    // across samples (Go heap profiles: {bytes: ["bytes"]} on every sample).
    let same = nUnits === this.lastN;
    for (let i = 0; same && i < 2 * nUnits; i++) same = unitIdx[i] === lastIdx[i];
    if (same) {
      numUnit = this.lastUnit;
    } else {
      const unitSig = unitIdx.slice(0, 2 * nUnits).join(',');
      numUnit = this.unitMaps.get(unitSig) ?? null;
      if (numUnit === null) {
        numUnit = {};
        for (let i = 0; i < nUnits; i++) {
          const prevUnit = numUnit[unitKeys[i]];
          if (prevUnit === undefined) numUnit[unitKeys[i]] = [unitVals[i]];
          else prevUnit.push(unitVals[i]);
        }
        if (this.unitMaps.size < 4096) this.unitMaps.set(unitSig, numUnit);
      }
      this.lastN = nUnits;
      for (let i = 0; i < 2 * nUnits; i++) lastIdx[i] = unitIdx[i];
      this.lastUnit = numUnit;
      this.lastSingles = null;
      if (nUnits === 1) {
        this.lastSingles = this.singleMaps.get(unitSig) ?? null;
        if (this.lastSingles === null) this.singleMaps.set(unitSig, (this.lastSingles = new Map()));
      }
    }
    const lastSingles = this.lastSingles;
    if (nUnits === 1 && lastSingles !== null) {
      // One numeric label (Go heap profiles: bytes=<object size>): its few distinct
      // values repeat across samples, so samples share one read-only map per value.
      const v = unitNums[0];
      numLabel = lastSingles.get(v) ?? null;
      if (numLabel === null) {
        numLabel = { [unitKeys[0]]: [v] };
        if (lastSingles.size < 65536) lastSingles.set(v, numLabel);
      }
    } else {
      numLabel = {};
      for (let i = 0; i < nUnits; i++) {
        const prevNum = numLabel[unitKeys[i]];
        if (prevNum === undefined) numLabel[unitKeys[i]] = [unitNums[i]];
        else prevNum.push(unitNums[i]);
      }
    }
    this.curNumLabel = numLabel;
    this.curNumUnit = numUnit;
  }

  /** The string label maps (str) or the numeric ones (num) of every sample. */
  build(
    lb: LabelBytes,
    n: number,
    wantStr: boolean,
    wantNum: boolean,
  ): { label: (StrMap | null)[] | null; numLabel: (NumMap | null)[] | null; numUnit: (StrMap | null)[] | null } {
    const r = this.r;
    const start = lb.start;
    const label = wantStr ? new Array<StrMap | null>(n).fill(null) : null;
    const numLabel = wantNum ? new Array<NumMap | null>(n).fill(null) : null;
    const numUnit = wantNum ? new Array<StrMap | null>(n).fill(null) : null;
    for (let k = 0; k < n; k++) {
      const end = start[k + 1];
      if (start[k] === end) continue;
      r.pos = start[k];
      this.curLabel = null;
      this.nUnits = 0;
      while (r.pos < end) {
        const lend = r.lengthEnd(end);
        this.readLabel(lend, wantStr, wantNum);
        r.pos = lend;
      }
      if (label !== null) label[k] = this.curLabel;
      if (numLabel !== null && this.nUnits > 0) {
        this.finishNumLabels();
        numLabel[k] = this.curNumLabel;
        numUnit![k] = this.curNumUnit;
      }
    }
    return { label, numLabel, numUnit };
  }
}

/**
 * Defines c.label, c.numLabel and c.numUnit as getters that build them from `lb` on first
 * read (string labels and numeric ones separately: a tag filter on one kind does not
 * build the other). They are null, without building anything, when no sample has that
 * kind; c.labelKinds says which kinds exist without building either. Assigning one
 * replaces it, as with a plain property.
 */
export function attachLazyLabels(c: SampleColumns, lb: LabelBytes | null): SampleColumns {
  c.labelKinds = { str: lb?.str ?? false, num: lb?.num ?? false };
  let strBuilt: (StrMap | null)[] | null | undefined = lb?.str ? undefined : null;
  let numBuilt: { numLabel: (NumMap | null)[] | null; numUnit: (StrMap | null)[] | null } | undefined = lb?.num
    ? undefined
    : { numLabel: null, numUnit: null };
  // The bytes are let go once both kinds are built.
  let src = lb;
  const release = (): void => {
    if (strBuilt !== undefined && numBuilt !== undefined) src = null;
  };
  const strings = (): (StrMap | null)[] | null => {
    if (strBuilt === undefined) {
      strBuilt = new LabelBuilder(src!).build(src!, c.n, true, false).label;
      release();
    }
    return strBuilt;
  };
  const numbers = (): NonNullable<typeof numBuilt> => {
    if (numBuilt === undefined) {
      const b = new LabelBuilder(src!).build(src!, c.n, false, true);
      numBuilt = { numLabel: b.numLabel, numUnit: b.numUnit };
      release();
    }
    return numBuilt;
  };
  Object.defineProperty(c, 'label', accessor('label', strings));
  Object.defineProperty(
    c,
    'numLabel',
    accessor('numLabel', () => numbers().numLabel),
  );
  Object.defineProperty(
    c,
    'numUnit',
    accessor('numUnit', () => numbers().numUnit),
  );
  return c;
}

function accessor<T>(key: string, get: () => T): PropertyDescriptor {
  return {
    enumerable: true,
    configurable: true,
    get,
    set(this: object, v: T) {
      Object.defineProperty(this, key, { value: v, enumerable: true, configurable: true, writable: true });
    },
  };
}
