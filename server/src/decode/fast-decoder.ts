// Hand-written profile.proto decoder: the hot path of every upload. It reads the wire
// format directly in two passes -- first the top-level message (string table, header
// scalars, and the byte ranges of every sub-message), then functions, mappings,
// locations and samples in dependency order -- so ids resolve to objects as they are
// read and no intermediate message objects are built. Samples are recorded column-wise
// (Profile.columns; decode/columns.ts builds the Sample objects on first read of
// profile.sample). It produces the same model as
// the protobufjs reference decoder (tests compare the two on every corpus profile)
// and enforces pprof's validity rules (profile/encode.go postDecode, profile.go CheckValid).
import type { Func, Line, Location, Mapping, Profile, SampleColumns, StackColumn } from '../model/profile.js';
import type { ValueType } from '../../../contract/views.js';
import { attachColumns } from './columns.js';
import { attachLazyLabels } from './labels.js';
import { ProfileDecodeError } from './errors.js';
import { finishProfile } from './finish.js';
import { WireReader, truncatedAt } from './wire.js';

// Wire types as local literals: imported constants become getter calls under some loaders.
const WIRE_VARINT = 0;
const WIRE_LEN = 2;

const SAFE = Number.MAX_SAFE_INTEGER;

function growInts(a: Float64Array<ArrayBuffer>): Float64Array<ArrayBuffer> {
  const b = new Float64Array(a.length * 2);
  b.set(a);
  return b;
}

/** Growable list of [start, end) byte ranges. */
class Ranges {
  data: Int32Array;
  length = 0;
  constructor(capacity = 32) {
    this.data = new Int32Array(2 * Math.max(capacity, 32));
  }
  push(start: number, end: number): void {
    if (this.length * 2 + 2 > this.data.length) {
      const next = new Int32Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length * 2] = start;
    this.data[this.length * 2 + 1] = end;
    this.length++;
  }
}

/** A stack column of n entries, as narrow as location indices below nLoc allow. */
function newStack(nLoc: number, n: number): StackColumn {
  return nLoc <= 0x100 ? new Uint8Array(n) : nLoc <= 0x10000 ? new Uint16Array(n) : new Int32Array(n);
}

function malformed(message: string): ProfileDecodeError {
  return new ProfileDecodeError('malformed', message);
}

// Strings are raw bytes in pprof; like protobufjs on Node we decode them as UTF-8 with
// U+FFFD for invalid sequences. Short ASCII strings (most symbol and file names) skip
// the TextDecoder call, which costs more than the copy for a few bytes.
const utf8 = new TextDecoder('utf-8');
const NodeBuffer = (
  globalThis as {
    Buffer?: { from(b: ArrayBufferLike, off: number, len: number): Uint8Array & { utf8Slice?(s: number, e: number): string } };
  }
).Buffer;

function makeStringReader(buf: Uint8Array): (start: number, end: number) => string {
  const nodeBuf = NodeBuffer ? NodeBuffer.from(buf.buffer, buf.byteOffset, buf.byteLength) : null;
  const slice = nodeBuf?.utf8Slice ? nodeBuf.utf8Slice.bind(nodeBuf) : null;
  return (start, end) => {
    const len = end - start;
    if (len === 0) return '';
    // Up to 12 characters V8 builds concatenations as flat strings; longer ones would
    // become chains of cons-string nodes, far bigger than the string itself.
    if (len <= 12) {
      let ascii = true;
      for (let i = start; i < end; i++)
        if (buf[i] >= 0x80) {
          ascii = false;
          break;
        }
      if (ascii) {
        let s = '';
        for (let i = start; i < end; i++) s += String.fromCharCode(buf[i]);
        return s;
      }
    }
    return slice ? slice(start, end) : utf8.decode(buf.subarray(start, end));
  };
}

function wireTypeError(field: string, wt: number, pos: number): ProfileDecodeError {
  if (wt === 3 || wt === 4) return malformed(`unsupported wire type ${wt} (group) in ${field} at byte ${pos}`);
  return malformed(`wrong wire type ${wt} for ${field} at byte ${pos}`);
}

/**
 * One decode. Each phase is its own method so V8 optimises them separately: in one
 * big function every new phase met a loop compiled without type feedback for it and
 * deoptimised, costing a recompile each time (seen with --trace-deopt).
 */
class ProtoDecoder {
  readonly r: WireReader;
  readonly buf: Uint8Array;
  readonly readString: (start: number, end: number) => string;
  strings: string[] = [];
  readonly sampleTypeR = new Ranges();
  sampleR = new Ranges();
  readonly mappingR = new Ranges();
  locationR = new Ranges();
  functionR = new Ranges();
  periodTypeRange: [number, number] | null = null;
  dropFramesX = 0n;
  keepFramesX = 0n;
  timeNanos = 0n;
  durationNanos = 0n;
  period = 0n;
  defaultSampleTypeX = 0n;
  docUrlX = 0n;
  commentX: bigint[] = [];

  funcList: Func[] = [];
  // Dense ids (the usual 1..N) index an array; anything else goes to a Map, as pprof does.
  funcDense: (Func | undefined)[] = [];
  funcSparse = new Map<number, Func>();
  mappingList: Mapping[] = [];
  mapById = new Map<number, Mapping>();
  locList: Location[] = [];
  locDense: (Location | undefined)[] = [];
  locSparse = new Map<number, Location>();
  // Location id -> index in locList (dense ids in the array, others in the Map).
  locIdxDense = new Int32Array(0);
  locIdxSparse = new Map<number, number>();
  sampleType: ValueType[] = [];
  columns: SampleColumns | null = null;
  sawWide = false;
  absSum = new Float64Array(0);

  constructor(bytes: Uint8Array) {
    this.buf = bytes;
    this.r = new WireReader(bytes);
    this.readString = makeStringReader(bytes);
  }

  str(idx: number, wide: bigint | null, what: string): string {
    const n = this.strings.length;
    if (wide !== null ? wide < 0n || wide >= BigInt(n) : idx < 0 || idx >= n) {
      throw malformed(`${what}: string index ${wide ?? idx} out of range (string table has ${n} entries)`);
    }
    return this.strings[idx];
  }

  strBig(idx: bigint, what: string): string {
    const n = this.strings.length;
    if (idx < 0n || idx >= BigInt(n)) {
      throw malformed(`${what}: string index ${idx} out of range (string table has ${n} entries)`);
    }
    return this.strings[Number(idx)];
  }

  readId(what: string): number {
    const r = this.r;
    const n = r.uint64();
    if (r.wide !== null && n > SAFE) throw malformed(`${what} ${r.wide} is too large`);
    return n;
  }

  readValueType(start: number, end: number, what: string): ValueType {
    const r = this.r;
    let typeX = 0;
    let typeW: bigint | null = null;
    let unitX = 0;
    let unitW: bigint | null = null;
    r.pos = start;
    while (r.pos < end) {
      const tagPos = r.pos;
      const tag = r.uint32();
      const field = tag >>> 3;
      const wt = tag & 7;
      if ((field === 1 || field === 2) && wt === WIRE_VARINT) {
        const v = r.int64();
        if (field === 1) {
          typeX = v;
          typeW = r.wide;
        } else {
          unitX = v;
          unitW = r.wide;
        }
      } else if (field === 1 || field === 2) throw wireTypeError(`${what} field ${field}`, wt, tagPos);
      else r.skip(wt, end);
    }
    if (r.pos !== end) throw truncatedAt(end);
    return { type: this.str(typeX, typeW, `${what} type`), unit: this.str(unitX, unitW, `${what} unit`) };
  }

  /**
   * Sizes the range lists of samples, locations and functions exactly: grown by doubling
   * they touched about four times the memory they finally hold (1.5 MB a 100k samples),
   * and fresh memory is slow to touch (page faults). Stops quietly at anything malformed:
   * topLevel() reports it, and the lists still grow if a count fell short.
   */
  sizeRanges(): void {
    const buf = this.buf;
    const total = buf.length;
    let samples = 0,
      locations = 0,
      functions = 0;
    let pos = 0;
    while (pos < total) {
      let tag = buf[pos++];
      if (tag >= 0x80) {
        if (pos >= total || buf[pos] >= 0x80) break;
        tag = (tag & 0x7f) | (buf[pos++] << 7);
      }
      const wt = tag & 7;
      if (wt === WIRE_LEN) {
        let len = 0;
        let shift = 0;
        let b = 0x80;
        while (b >= 0x80 && pos < total && shift < 35) {
          b = buf[pos++];
          len += (b & 0x7f) * 2 ** shift;
          shift += 7;
        }
        pos += len;
        const field = tag >>> 3;
        if (field === 2) samples++;
        else if (field === 4) locations++;
        else if (field === 5) functions++;
      } else if (wt === WIRE_VARINT) {
        while (pos < total && buf[pos] >= 0x80) pos++;
        pos++;
      } else break;
    }
    this.sampleR = new Ranges(samples);
    this.locationR = new Ranges(locations);
    this.functionR = new Ranges(functions);
  }

  /** Pass 1: string table and header scalars; sub-messages are only located. */
  topLevel(): void {
    const r = this.r;
    const total = this.buf.length;
    const strings = this.strings;
    const readString = this.readString;
    const sampleR = this.sampleR,
      locationR = this.locationR,
      functionR = this.functionR,
      mappingR = this.mappingR,
      sampleTypeR = this.sampleTypeR;
    const commentX = this.commentX;
    while (r.pos < total) {
      const tagPos = r.pos;
      const tag = r.uint32();
      const field = tag >>> 3;
      const wt = tag & 7;
      if (field === 0) throw malformed(`invalid field number 0 at byte ${tagPos}`);
      switch (field) {
        case 1:
        case 2:
        case 3:
        case 4:
        case 5:
        case 6:
        case 11: {
          if (wt !== WIRE_LEN) throw wireTypeError(`profile field ${field}`, wt, tagPos);
          const end = r.lengthEnd(total);
          const start = r.pos;
          if (field === 6) {
            strings.push(readString(start, end));
            if (strings[0] !== '') throw malformed("string_table[0] must be ''");
          } else if (field === 2) sampleR.push(start, end);
          else if (field === 4) locationR.push(start, end);
          else if (field === 5) functionR.push(start, end);
          else if (field === 3) mappingR.push(start, end);
          else if (field === 1) sampleTypeR.push(start, end);
          else this.periodTypeRange = [start, end];
          r.pos = end;
          break;
        }
        case 7:
        case 8:
        case 9:
        case 10:
        case 12:
        case 14:
        case 15: {
          if (wt !== WIRE_VARINT) throw wireTypeError(`profile field ${field}`, wt, tagPos);
          if (field === 9 && this.timeNanos !== 0n) {
            throw new ProfileDecodeError(
              'malformed',
              'concatenated profiles detected (time_nanos appears twice: two profiles were joined into one file)',
            );
          }
          const v = r.bigInt64();
          if (field === 7) this.dropFramesX = v;
          else if (field === 8) this.keepFramesX = v;
          else if (field === 9) this.timeNanos = v;
          else if (field === 10) this.durationNanos = v;
          else if (field === 12) this.period = v;
          else if (field === 14) this.defaultSampleTypeX = v;
          else this.docUrlX = v;
          break;
        }
        case 13: {
          if (wt === WIRE_LEN) {
            const end = r.lengthEnd(total);
            while (r.pos < end) commentX.push(r.bigInt64());
            if (r.pos !== end) throw truncatedAt(end);
          } else if (wt === WIRE_VARINT) commentX.push(r.bigInt64());
          else throw wireTypeError('profile comment', wt, tagPos);
          break;
        }
        default:
          r.skip(wt, total);
      }
    }
  }

  functions(): void {
    const r = this.r;
    const nFunc = this.functionR.length;
    const funcList: Func[] = (this.funcList = new Array(nFunc));
    const funcDense: (Func | undefined)[] = (this.funcDense = new Array(nFunc + 1));
    const funcSparse = this.funcSparse;
    {
      const d = this.functionR.data;
      for (let k = 0; k < nFunc; k++) {
        const end = d[2 * k + 1];
        r.pos = d[2 * k];
        let id = 0;
        let name = 0,
          nameW: bigint | null = null;
        let sys = 0,
          sysW: bigint | null = null;
        let file = 0,
          fileW: bigint | null = null;
        let startLine = 0;
        while (r.pos < end) {
          const tagPos = r.pos;
          const tag = r.uint32();
          const field = tag >>> 3;
          const wt = tag & 7;
          if (field >= 1 && field <= 5) {
            if (wt !== WIRE_VARINT) throw wireTypeError(`function field ${field}`, wt, tagPos);
            if (field === 1) id = this.readId('function id');
            else {
              const v = r.int64();
              if (field === 2) {
                name = v;
                nameW = r.wide;
              } else if (field === 3) {
                sys = v;
                sysW = r.wide;
              } else if (field === 4) {
                file = v;
                fileW = r.wide;
              } else startLine = v;
            }
          } else r.skip(wt, end);
        }
        if (r.pos !== end) throw truncatedAt(end);
        const fn: Func = {
          id,
          name: this.str(name, nameW, 'function name'),
          systemName: this.str(sys, sysW, 'function system_name'),
          filename: this.str(file, fileW, 'function filename'),
          startLine,
        };
        if (id === 0) throw malformed('found function with reserved id 0');
        if (id <= nFunc) {
          if (funcDense[id] !== undefined) throw malformed(`multiple functions with the same id ${id}`);
          funcDense[id] = fn;
        } else {
          if (funcSparse.has(id)) throw malformed(`multiple functions with the same id ${id}`);
          funcSparse.set(id, fn);
        }
        funcList[k] = fn;
      }
    }
  }

  mappings(): void {
    const r = this.r;
    const nMap = this.mappingR.length;
    const mappingList: Mapping[] = (this.mappingList = new Array(nMap));
    const mapById = this.mapById;
    {
      const d = this.mappingR.data;
      for (let k = 0; k < nMap; k++) {
        const end = d[2 * k + 1];
        r.pos = d[2 * k];
        let id = 0;
        let start = 0n,
          limit = 0n,
          offset = 0n;
        let file = 0,
          fileW: bigint | null = null;
        let build = 0,
          buildW: bigint | null = null;
        let hf = false,
          hfl = false,
          hl = false,
          hi = false;
        while (r.pos < end) {
          const tagPos = r.pos;
          const tag = r.uint32();
          const field = tag >>> 3;
          const wt = tag & 7;
          if (field >= 1 && field <= 10) {
            if (wt !== WIRE_VARINT) throw wireTypeError(`mapping field ${field}`, wt, tagPos);
            switch (field) {
              case 1:
                id = this.readId('mapping id');
                break;
              case 2:
                start = r.bigUint64();
                break;
              case 3:
                limit = r.bigUint64();
                break;
              case 4:
                offset = r.bigUint64();
                break;
              case 5:
                file = r.int64();
                fileW = r.wide;
                break;
              case 6:
                build = r.int64();
                buildW = r.wide;
                break;
              case 7:
                hf = r.uint64() !== 0;
                break;
              case 8:
                hfl = r.uint64() !== 0;
                break;
              case 9:
                hl = r.uint64() !== 0;
                break;
              default:
                hi = r.uint64() !== 0;
            }
          } else r.skip(wt, end);
        }
        if (r.pos !== end) throw truncatedAt(end);
        const mp: Mapping = {
          id,
          start,
          limit,
          offset,
          file: this.str(file, fileW, 'mapping filename'),
          buildId: this.str(build, buildW, 'mapping build_id'),
          hasFunctions: hf,
          hasFilenames: hfl,
          hasLineNumbers: hl,
          hasInlineFrames: hi,
        };
        if (id === 0) throw malformed('found mapping with reserved id 0');
        if (mapById.has(id)) throw malformed(`multiple mappings with the same id ${id}`);
        mapById.set(id, mp);
        mappingList[k] = mp;
      }
    }
  }

  locations(): void {
    const r = this.r;
    const nLoc = this.locationR.length;
    const nFunc = this.functionR.length;
    const funcDense = this.funcDense,
      funcSparse = this.funcSparse,
      mapById = this.mapById;
    const locList: Location[] = (this.locList = new Array(nLoc));
    const locDense: (Location | undefined)[] = (this.locDense = new Array(nLoc + 1));
    const locSparse = this.locSparse;
    const locIdxDense = (this.locIdxDense = new Int32Array(nLoc + 1).fill(-1));
    const locIdxSparse = this.locIdxSparse;
    // Function ids of the current location's lines, resolved once the location id is known.
    let lineFuncIds: Float64Array<ArrayBuffer> = new Float64Array(16);
    const lineScratch: Line[] = [];
    {
      const d = this.locationR.data;
      for (let k = 0; k < nLoc; k++) {
        const end = d[2 * k + 1];
        r.pos = d[2 * k];
        let id = 0;
        let mappingId = 0;
        let address = 0n;
        let folded = false;
        // Function references are resolved after the id is known (the id may come last).
        let nLines = 0;
        while (r.pos < end) {
          const tagPos = r.pos;
          const tag = r.uint32();
          const field = tag >>> 3;
          const wt = tag & 7;
          if (field === 4) {
            if (wt !== WIRE_LEN) throw wireTypeError('location line', wt, tagPos);
            const lend = r.lengthEnd(end);
            let fid = 0;
            let line = 0;
            let column = 0;
            while (r.pos < lend) {
              const ltagPos = r.pos;
              const ltag = r.uint32();
              const lf = ltag >>> 3;
              const lwt = ltag & 7;
              if (lf >= 1 && lf <= 3) {
                if (lwt !== WIRE_VARINT) throw wireTypeError(`line field ${lf}`, lwt, ltagPos);
                if (lf === 1) fid = this.readId('line function_id');
                else if (lf === 2) line = r.int64();
                else column = r.int64();
              } else r.skip(lwt, lend);
            }
            if (r.pos !== lend) throw truncatedAt(lend);
            if (nLines === lineFuncIds.length) lineFuncIds = growInts(lineFuncIds);
            lineFuncIds[nLines] = fid;
            lineScratch[nLines++] = { function: null as unknown as Func, line, column };
          } else if (field >= 1 && field <= 5) {
            if (wt !== WIRE_VARINT) throw wireTypeError(`location field ${field}`, wt, tagPos);
            if (field === 1) id = this.readId('location id');
            else if (field === 2) mappingId = this.readId('location mapping_id');
            else if (field === 3) address = r.bigUint64();
            else folded = r.uint64() !== 0;
          } else r.skip(wt, end);
        }
        if (r.pos !== end) throw truncatedAt(end);
        if (id === 0) throw malformed('found location with reserved id 0');
        // Exact-size copy out of the scratch list (a pushed-to array keeps spare capacity).
        const lines = nLines === 0 ? [] : lineScratch.slice(0, nLines);
        for (let i = 0; i < nLines; i++) {
          const fid = lineFuncIds[i];
          const fn = fid <= nFunc ? funcDense[fid] : funcSparse.get(fid);
          if (fn === undefined) throw malformed(`location id: ${id} has a line with nil function (function id ${fid} not found)`);
          lines[i].function = fn;
        }
        const loc: Location = {
          id,
          mapping: mappingId === 0 ? null : (mapById.get(mappingId) ?? null),
          address,
          line: lines,
          isFolded: folded,
        };
        if (id <= nLoc) {
          if (locDense[id] !== undefined) throw malformed(`multiple locations with the same id ${id}`);
          locDense[id] = loc;
          locIdxDense[id] = k;
        } else {
          if (locSparse.has(id)) throw malformed(`multiple locations with the same id ${id}`);
          locSparse.set(id, loc);
          locIdxSparse.set(id, k);
        }
        locList[k] = loc;
      }
    }
  }

  sampleTypes(): void {
    const d = this.sampleTypeR.data;
    const n = this.sampleTypeR.length;
    this.sampleType = new Array(n);
    for (let k = 0; k < n; k++) this.sampleType[k] = this.readValueType(d[2 * k], d[2 * k + 1], `sample_type[${k}]`);
    if (this.sampleR.length > 0 && n === 0) throw malformed('missing sample type information (the profile has samples but no sample_type)');
  }

  // Labels are checked and copied here, and built on first read (decode/labels.ts).
  // Kept out of decodeSamples so that function stays small: code paths it has not yet
  // run (first label, first multi-byte value) would otherwise deoptimise it mid-decode,
  // seen with --trace-deopt.
  labelBuf = new Uint8Array(0);
  labelLen = 0;
  labelStart: Int32Array | null = null;
  sawStrLabel = false;
  sawNumLabel = false;

  /**
   * One Label message of sample k in [r.pos, lend), its length varint starting at lenPos:
   * checks it as pprof does (wire types, string indices) and appends its bytes to the
   * label buffer.
   */
  takeLabel(lenPos: number, lend: number, k: number): void {
    const r = this.r;
    const n = this.strings.length;
    let key = 0,
      keyW: bigint | null = null;
    let sx = 0,
      sW: bigint | null = null;
    let num = 0;
    let unit = 0,
      unitW: bigint | null = null; // num_unit string index
    while (r.pos < lend) {
      const ltagPos = r.pos;
      const ltag = r.uint32();
      const lf = ltag >>> 3;
      const lwt = ltag & 7;
      if (lf >= 1 && lf <= 4) {
        if (lwt !== WIRE_VARINT) throw wireTypeError(`label field ${lf}`, lwt, ltagPos);
        const v = r.int64();
        if (lf === 1) {
          key = v;
          keyW = r.wide;
        } else if (lf === 2) {
          sx = v;
          sW = r.wide;
        } else if (lf === 3) num = v;
        else {
          unit = v;
          unitW = r.wide;
        }
      } else r.skip(lwt, lend);
    }
    if (r.pos !== lend) throw truncatedAt(lend);
    // The same checks, in the same order, as building the maps did.
    if (keyW !== null || key < 0 || key >= n) this.str(key, keyW, 'label key');
    if (sx !== 0) {
      if (sW !== null || sx < 0 || sx >= n) this.str(sx, sW, 'label value');
      this.sawStrLabel = true;
    } else if (num !== 0 || unit !== 0) {
      if (unitW !== null || unit < 0 || unit >= n) this.str(unit, unitW, 'label num_unit');
      this.sawNumLabel = true;
    }
    // Sample k's labels end where the next sample's begin: decodeSamples sets start[k + 1].
    this.labelStart ??= new Int32Array(this.sampleR.length + 1);
    let len = this.labelLen;
    const size = lend - lenPos;
    if (len + size > this.labelBuf.length) {
      // First sized as if every sample left had a label this size (Go heap profiles: one
      // `bytes` label each), so it seldom grows; then doubled.
      const guess = len === 0 ? size * (this.sampleR.length - k) + 64 : 0;
      const next = new Uint8Array(Math.max(len + size, guess, this.labelBuf.length * 2, 1 << 12));
      next.set(this.labelBuf.subarray(0, len));
      this.labelBuf = next;
    }
    const lb = this.labelBuf;
    const buf = this.buf;
    for (let i = lenPos; i < lend; i++) lb[len++] = buf[i];
    this.labelLen = len;
  }

  /**
   * Capacity for the stack column: the ids of each sample's location fields, counted
   * from its bytes (one byte below 0x80 ends each varint of a packed run), so the column
   * is sized exactly and never copied to trim it. Go's runtime writes a sample's values
   * before its locations, pprof the other way round; both are counted. A sample this scan
   * does not follow (a multi-byte tag, a bad length) adds its whole size, an upper bound;
   * decodeSamples still grows the column if a count fell short. Its own function: a loop
   * OSR-compiled inside decodeSamples would leave the code after it without type
   * feedback there.
   */
  stackBound(): number {
    const d = this.sampleR.data;
    const buf = this.buf;
    const n = this.sampleR.length;
    let total = 0;
    for (let k = 0; k < n; k++) {
      const start = d[2 * k];
      const end = d[2 * k + 1];
      let ids = 0;
      let p = start;
      while (p < end) {
        const tag = buf[p++];
        const wt = tag & 7;
        if (tag >= 0x80 || (wt !== 0 && wt !== 2)) break;
        // The varint that follows: a length (wt 2) or a value (wt 0); writers may pad it.
        let v = 0;
        let ended = false;
        for (let shift = 0; p < end && shift < 70; shift += 7) {
          const b = buf[p++];
          v += (b & 0x7f) * 2 ** shift;
          if (b < 0x80) {
            ended = true;
            break;
          }
        }
        if (!ended) break;
        if (wt === 0) {
          if (tag === 0x08) ids++;
          continue;
        }
        if (p + v > end) break;
        if (tag === 0x0a) {
          let continued = 0;
          for (let q = p; q < p + v; q++) continued += buf[q] >>> 7;
          ids += v - continued;
        }
        p += v;
      }
      total += p === end ? ids : end - start;
    }
    return total;
  }

  /** The stack column with room for the ids in buf[from, to) after its first nStack entries. */
  growStack(stack: StackColumn, nStack: number, from: number, to: number): StackColumn {
    const buf = this.buf;
    let ids = 0;
    for (let p = from; p < to; p++) if (buf[p] < 0x80) ids++;
    // (A truncated last varint is written past the end, which a typed array ignores, and
    // then refused by the caller's check.)
    const need = nStack + ids;
    if (need <= stack.length) return stack;
    const next = newStack(this.locationR.length, Math.max(need, stack.length * 2));
    next.set(stack.subarray(0, nStack));
    return next;
  }

  /** Error for a location id that names no location (re-reads it for the exact id). */
  nilLocation(pos: number): ProfileDecodeError {
    const r = this.r;
    r.pos = pos;
    const lid = r.uint64();
    return malformed(`sample has nil location (location id ${r.wide ?? lid} not found)`);
  }

  /**
   * Samples, column-wise (see decode/columns.ts): stacks as location indices and values
   * into typed arrays, with no per-sample objects. Varints of up to 4 bytes (location
   * ids and most values) are decoded without data-dependent branches, so a profile
   * whose first multi-byte value comes late does not deoptimise this loop there.
   */
  decodeSamples(): void {
    const r = this.r;
    const buf = this.buf;
    const fastLimit = buf.length - 10;
    const nTypes = this.sampleType.length;
    const nSamples = this.sampleR.length;
    const nLoc = this.locationR.length;
    const locIdxDense = this.locIdxDense,
      locIdxSparse = this.locIdxSparse;
    const d = this.sampleR.data;
    // Sized from stackBound() the buffer does not grow mid-loop in usual profiles (a
    // first growth late in a decode deoptimised this function).
    let stack = newStack(nLoc, Math.max(64, this.stackBound()));
    let nStack = 0;
    const stackStart = new Int32Array(nSamples + 1);
    const values = new Float64Array(nSamples * nTypes);
    // Doubles are exact unless some value, or some type's sum of |values|, passes 2^53.
    // The float sum is a conservative trigger (its rounding error is far below 2^52);
    // finishProfile then decides exactly from BigInt values.
    const absSum = (this.absSum = new Float64Array(nTypes));
    let sawWide = false;
    for (let k = 0; k < nSamples; k++) {
      const end = d[2 * k + 1];
      r.pos = d[2 * k];
      stackStart[k] = nStack;
      const v0 = k * nTypes;
      let nVals = 0;
      while (r.pos < end) {
        // One-byte tags and lengths (nearly all) are read inline: the calls cost most
        // before this loop is optimised, which a one-shot CLI decode mostly is not.
        const tagPos = r.pos;
        let tag = buf[tagPos];
        if (tag < 0x80) r.pos = tagPos + 1;
        else tag = r.uint32();
        const field = tag >>> 3;
        const wt = tag & 7;
        if (field === 1 && wt === WIRE_LEN) {
          const lp = r.pos;
          const lb = lp < end ? buf[lp] : 0x80;
          let pend: number;
          if (lb < 0x80 && lp + 1 + lb <= end) {
            pend = lp + 1 + lb;
            r.pos = lp + 1;
          } else pend = r.lengthEnd(end);
          // One terminating byte per varint bounds the ids in this run; near the end of
          // the (exactly sized) column, count them before growing it.
          if (nStack + (pend - r.pos) > stack.length) stack = this.growStack(stack, nStack, r.pos, pend);
          let pos = r.pos;
          while (pos < pend) {
            const vpos = pos;
            let lid: number;
            const b = buf[pos];
            if (b < 0x80) {
              lid = b;
              pos++;
            } else if (pos <= fastLimit) {
              const b0 = buf[pos],
                b1 = buf[pos + 1],
                b2 = buf[pos + 2],
                b3 = buf[pos + 3];
              const c0 = b0 >>> 7,
                c1 = c0 & (b1 >>> 7),
                c2 = c1 & (b2 >>> 7);
              if ((c2 & (b3 >>> 7)) === 0) {
                lid = (b0 & 0x7f) | (((b1 & 0x7f) << 7) & -c0) | (((b2 & 0x7f) << 14) & -c1) | (((b3 & 0x7f) << 21) & -c2);
                pos += 1 + c0 + c1 + c2;
              } else {
                r.pos = pos;
                lid = r.uint64();
                pos = r.pos;
              }
            } else {
              r.pos = pos;
              lid = r.uint64();
              pos = r.pos;
            }
            const li = lid <= nLoc ? locIdxDense[lid] : lid <= SAFE ? (locIdxSparse.get(lid) ?? -1) : -1;
            if (li < 0) throw this.nilLocation(vpos);
            stack[nStack++] = li;
          }
          if (pos !== pend) throw truncatedAt(pend);
          r.pos = pos;
        } else if (field === 2 && wt === WIRE_LEN) {
          const lp = r.pos;
          const lb = lp < end ? buf[lp] : 0x80;
          let pend: number;
          if (lb < 0x80 && lp + 1 + lb <= end) {
            pend = lp + 1 + lb;
            r.pos = lp + 1;
          } else pend = r.lengthEnd(end);
          let pos = r.pos;
          while (pos < pend) {
            let v: number;
            if (pos <= fastLimit) {
              const b0 = buf[pos],
                b1 = buf[pos + 1],
                b2 = buf[pos + 2],
                b3 = buf[pos + 3];
              const c0 = b0 >>> 7,
                c1 = c0 & (b1 >>> 7),
                c2 = c1 & (b2 >>> 7);
              if ((c2 & (b3 >>> 7)) === 0) {
                v = (b0 & 0x7f) | (((b1 & 0x7f) << 7) & -c0) | (((b2 & 0x7f) << 14) & -c1) | (((b3 & 0x7f) << 21) & -c2);
                pos += 1 + c0 + c1 + c2;
              } else {
                r.pos = pos;
                v = r.int64();
                if (r.wide !== null) sawWide = true;
                pos = r.pos;
              }
            } else {
              r.pos = pos;
              v = r.int64();
              if (r.wide !== null) sawWide = true;
              pos = r.pos;
            }
            if (nVals < nTypes) values[v0 + nVals] = v;
            nVals++;
          }
          if (pos !== pend) throw truncatedAt(pend);
          r.pos = pos;
        } else if (field === 1) {
          if (wt !== WIRE_VARINT) throw wireTypeError('sample location_id', wt, tagPos);
          const vpos = r.pos;
          const lid = r.uint64();
          const li = lid <= nLoc ? locIdxDense[lid] : lid <= SAFE ? (locIdxSparse.get(lid) ?? -1) : -1;
          if (li < 0) throw this.nilLocation(vpos);
          if (nStack === stack.length) {
            const next = newStack(nLoc, stack.length * 2);
            next.set(stack);
            stack = next;
          }
          stack[nStack++] = li;
        } else if (field === 2) {
          if (wt !== WIRE_VARINT) throw wireTypeError('sample value', wt, tagPos);
          const v = r.int64();
          if (r.wide !== null) sawWide = true;
          if (nVals < nTypes) values[v0 + nVals] = v;
          nVals++;
        } else if (field === 3) {
          if (wt !== WIRE_LEN) throw wireTypeError('sample label', wt, tagPos);
          const lenPos = r.pos;
          this.takeLabel(lenPos, r.lengthEnd(end), k);
        } else r.skip(wt, end);
      }
      if (r.pos !== end) throw truncatedAt(end);
      if (nVals !== nTypes) {
        throw malformed(`sample ${k} has ${nVals} values, want ${nTypes} (one per sample type)`);
      }
      for (let i = 0; i < nTypes; i++) absSum[i] += Math.abs(values[v0 + i]);
      const labelStart = this.labelStart;
      if (labelStart !== null) labelStart[k + 1] = this.labelLen;
    }
    stackStart[nSamples] = nStack;
    this.sawWide = sawWide;
    this.columns = {
      n: nSamples,
      nTypes,
      // A view when the estimate was close; else an exact-size copy.
      stack: 4 * nStack >= 3 * stack.length ? stack.subarray(0, nStack) : stack.slice(0, nStack),
      stackStart,
      values,
      label: null,
      numLabel: null,
      numUnit: null,
    };
    const labelStart = this.labelStart;
    attachLazyLabels(
      this.columns,
      labelStart === null
        ? null
        : {
            // A view when the buffer is nearly full; else an exact-size copy.
            bytes:
              4 * this.labelLen >= 3 * this.labelBuf.length
                ? this.labelBuf.subarray(0, this.labelLen)
                : this.labelBuf.slice(0, this.labelLen),
            start: labelStart,
            strings: this.strings,
            str: this.sawStrLabel,
            num: this.sawNumLabel,
          },
    );
  }

  profile(): Profile {
    this.sizeRanges();
    this.topLevel();
    this.functions();
    this.mappings();
    this.locations();
    this.sampleTypes();
    this.decodeSamples();
    const profile: Profile = {
      sampleType: this.sampleType,
      defaultSampleType: this.strBig(this.defaultSampleTypeX, 'default_sample_type'),
      sample: [],
      mapping: this.mappingList,
      location: this.locList,
      function: this.funcList,
      dropFrames: this.strBig(this.dropFramesX, 'drop_frames'),
      keepFrames: this.strBig(this.keepFramesX, 'keep_frames'),
      timeNanos: this.timeNanos,
      durationNanos: this.durationNanos,
      periodType: this.periodTypeRange ? this.readValueType(this.periodTypeRange[0], this.periodTypeRange[1], 'period_type') : null,
      period: this.period,
      comments: this.commentX.map((c) => this.strBig(c, 'comment')),
      docUrl: this.strBig(this.docUrlX, 'doc_url'),
      exactValues: null,
    };
    attachColumns(profile, this.columns as SampleColumns);
    let needExact = this.sawWide;
    for (let i = 0; i < this.absSum.length; i++) if (this.absSum[i] > 2 ** 52) needExact = true;
    if (needExact) return finishProfile(profile, exactSampleValues(this.buf, this.sampleR, this.sampleType.length));
    return profile;
  }
}

export function decodeProtoFast(bytes: Uint8Array): Profile {
  return new ProtoDecoder(bytes).profile();
}

/** Re-reads only the sample values, as BigInt, for the rare profiles that need them exact. */
function exactSampleValues(bytes: Uint8Array, sampleR: Ranges, nTypes: number): bigint[][] {
  const r = new WireReader(bytes);
  const out: bigint[][] = new Array(sampleR.length);
  const d = sampleR.data;
  for (let k = 0; k < sampleR.length; k++) {
    const end = d[2 * k + 1];
    r.pos = d[2 * k];
    const vals: bigint[] = [];
    while (r.pos < end) {
      const tag = r.uint32();
      const field = tag >>> 3;
      const wt = tag & 7;
      if (field === 2 && wt === WIRE_LEN) {
        const pend = r.lengthEnd(end);
        while (r.pos < pend) vals.push(r.bigInt64());
      } else if (field === 2 && wt === WIRE_VARINT) vals.push(r.bigInt64());
      else r.skip(wt, end);
    }
    out[k] = vals.length === nTypes ? vals : vals.slice(0, nTypes);
  }
  return out;
}
