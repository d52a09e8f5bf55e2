// Decodes profile.proto bytes with the protobufjs code generated from
// proto/profile.proto, keeping every 64-bit field exact (Long -> bigint), and
// resolves it into the model. It is the reference the fast decoder is tested against.
import protobuf from 'protobufjs/minimal.js';
import { perftools } from './generated/profile.pb.js';
import type { Func, Line, Location, Mapping, Profile, Sample } from '../model/profile.js';
import type { ValueType } from '../../../contract/views.js';
import { ProfileDecodeError } from './errors.js';
import { finishProfile } from './finish.js';

type LongLike = { low: number; high: number; unsigned: boolean } | number;

function toBig(v: LongLike | null | undefined, unsigned = false): bigint {
  if (v == null) return 0n;
  if (typeof v === 'number') return BigInt(v);
  const big = (BigInt(v.high >>> 0) << 32n) | BigInt(v.low >>> 0);
  return unsigned ? BigInt.asUintN(64, big) : BigInt.asIntN(64, big);
}

function toId(v: LongLike | null | undefined): number {
  const b = toBig(v, true);
  if (b > BigInt(Number.MAX_SAFE_INTEGER)) throw new ProfileDecodeError('malformed', `id ${b} is too large`);
  return Number(b);
}

export function decodeProtoReference(bytes: Uint8Array): Profile {
  let msg: perftools.profiles.Profile;
  try {
    // A Buffer makes protobufjs decode strings with Node's UTF-8 decoder (U+FFFD for
    // invalid bytes), the same as the fast decoder, so the two can be compared exactly.
    const buf = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    msg = perftools.profiles.Profile.decode(buf);
  } catch (err) {
    const text = (err as Error).message;
    if (/index out of range/.test(text)) throw new ProfileDecodeError('truncated', `profile data is truncated: ${text}`);
    throw new ProfileDecodeError('not-a-profile', `not a valid protobuf profile: ${text}`);
  }
  const strings = msg.stringTable ?? [];
  const str = (i: LongLike | null | undefined, what: string): string => {
    const n = toBig(i);
    if (n < 0n || n >= BigInt(strings.length)) {
      throw new ProfileDecodeError('malformed', `${what}: string index ${n} out of range (string table has ${strings.length} entries)`);
    }
    return strings[Number(n)];
  };
  if (strings.length > 0 && strings[0] !== '') throw new ProfileDecodeError('malformed', "string_table[0] must be ''");

  const vt = (v: perftools.profiles.ValueType.$Properties | null | undefined, what: string): ValueType => ({
    type: str(v?.type as LongLike, `${what} type`),
    unit: str(v?.unit as LongLike, `${what} unit`),
  });

  const functions = new Map<number, Func>();
  const funcList: Func[] = [];
  for (const f of msg.function ?? []) {
    const fn: Func = {
      id: toId(f.id as LongLike),
      name: str(f.name as LongLike, 'function name'),
      systemName: str(f.systemName as LongLike, 'function system_name'),
      filename: str(f.filename as LongLike, 'function filename'),
      startLine: Number(toBig(f.startLine as LongLike)),
    };
    if (fn.id === 0 || functions.has(fn.id)) throw new ProfileDecodeError('malformed', `function id ${fn.id} is zero or duplicated`);
    functions.set(fn.id, fn);
    funcList.push(fn);
  }

  const mappings = new Map<number, Mapping>();
  const mappingList: Mapping[] = [];
  for (const m of msg.mapping ?? []) {
    const mp: Mapping = {
      id: toId(m.id as LongLike),
      start: toBig(m.memoryStart as LongLike, true),
      limit: toBig(m.memoryLimit as LongLike, true),
      offset: toBig(m.fileOffset as LongLike, true),
      file: str(m.filename as LongLike, 'mapping filename'),
      buildId: str(m.buildId as LongLike, 'mapping build_id'),
      hasFunctions: !!m.hasFunctions,
      hasFilenames: !!m.hasFilenames,
      hasLineNumbers: !!m.hasLineNumbers,
      hasInlineFrames: !!m.hasInlineFrames,
    };
    if (mp.id === 0 || mappings.has(mp.id)) throw new ProfileDecodeError('malformed', `mapping id ${mp.id} is zero or duplicated`);
    mappings.set(mp.id, mp);
    mappingList.push(mp);
  }

  const locations = new Map<number, Location>();
  const locList: Location[] = [];
  for (const l of msg.location ?? []) {
    const id = toId(l.id as LongLike);
    if (id === 0 || locations.has(id)) throw new ProfileDecodeError('malformed', `location id ${id} is zero or duplicated`);
    const lines: Line[] = (l.line ?? []).map((ln) => {
      const fid = toId(ln.functionId as LongLike);
      const fn = functions.get(fid);
      if (!fn) throw new ProfileDecodeError('malformed', `location id: ${id} has a line with nil function (function id ${fid} not found)`);
      return { function: fn, line: Number(toBig(ln.line as LongLike)), column: Number(toBig(ln.column as LongLike)) };
    });
    const loc: Location = {
      id,
      mapping: mappings.get(toId(l.mappingId as LongLike)) ?? null,
      address: toBig(l.address as LongLike, true),
      line: lines,
      isFolded: !!l.isFolded,
    };
    locations.set(id, loc);
    locList.push(loc);
  }

  const nTypes = (msg.sampleType ?? []).length;
  const samples: Sample[] = [];
  const exact: bigint[][] = [];
  for (const s of msg.sample ?? []) {
    const values = (s.value ?? []).map((v) => toBig(v as LongLike));
    if (values.length !== nTypes) {
      throw new ProfileDecodeError('malformed', `sample has ${values.length} values, want ${nTypes} (one per sample type)`);
    }
    const location = (s.locationId ?? []).map((lid) => {
      const loc = locations.get(toId(lid as LongLike));
      if (!loc) throw new ProfileDecodeError('malformed', `sample has nil location (location id ${toBig(lid as LongLike)} not found)`);
      return loc;
    });
    let label: Record<string, string[]> | null = null;
    let numLabel: Record<string, number[]> | null = null;
    let numUnit: Record<string, string[]> | null = null;
    for (const lb of s.label ?? []) {
      const key = str(lb.key as LongLike, 'label key');
      const strIdx = toBig(lb.str as LongLike);
      const num = toBig(lb.num as LongLike);
      const unitIdx = toBig(lb.numUnit as LongLike);
      if (strIdx !== 0n) {
        label ??= {};
        (label[key] ??= []).push(str(lb.str as LongLike, 'label value'));
      } else if (num !== 0n || unitIdx !== 0n) {
        numLabel ??= {};
        numUnit ??= {};
        (numLabel[key] ??= []).push(Number(num));
        (numUnit[key] ??= []).push(str(lb.numUnit as LongLike, 'label num_unit'));
      }
    }
    exact.push(values);
    samples.push({ location, value: values.map(Number), label, numLabel, numUnit });
  }
  if (samples.length > 0 && nTypes === 0) throw new ProfileDecodeError('malformed', 'missing sample type information');

  const sampleType = (msg.sampleType ?? []).map((t, i) => vt(t, `sample_type[${i}]`));
  return finishProfile(
    {
      sampleType,
      defaultSampleType: str(msg.defaultSampleType as LongLike, 'default_sample_type'),
      sample: samples,
      mapping: mappingList,
      location: locList,
      function: funcList,
      dropFrames: str(msg.dropFrames as LongLike, 'drop_frames'),
      keepFrames: str(msg.keepFrames as LongLike, 'keep_frames'),
      timeNanos: toBig(msg.timeNanos as LongLike),
      durationNanos: toBig(msg.durationNanos as LongLike),
      periodType: msg.periodType ? vt(msg.periodType, 'period_type') : null,
      period: toBig(msg.period as LongLike),
      comments: (msg.comment ?? []).map((c) => str(c as LongLike, 'comment')),
      docUrl: str(msg.docUrl as LongLike, 'doc_url'),
      exactValues: null,
    },
    exact,
  );
}

// protobufjs keeps Long on by default; the reference path wants exact values.
void protobuf;
