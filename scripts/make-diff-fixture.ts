// Writes a copy of a profile whose period type is changed (e.g. cpu/nanoseconds ->
// wall/nanoseconds), so the comparison tests can check that pprof and pprof-lens both
// refuse to compare profiles whose period types differ. Uses the schema in proto/.
// Usage: npx tsx scripts/make-diff-fixture.ts IN.pb.gz OUT.pb.gz TYPE UNIT
import { readFileSync, writeFileSync } from 'node:fs';
import { gunzipSync, gzipSync } from 'node:zlib';
import protobuf from 'protobufjs';

const [input, output, type, unit] = process.argv.slice(2);
if (!input || !output || !type || !unit) throw new Error('usage: make-diff-fixture.ts IN OUT TYPE UNIT');
const root = protobuf.loadSync(new URL('../proto/profile.proto', import.meta.url).pathname);
const Profile = root.lookupType('perftools.profiles.Profile');
const raw = readFileSync(input);
const msg = Profile.toObject(Profile.decode(raw[0] === 0x1f ? gunzipSync(raw) : raw), { longs: String }) as {
  stringTable: string[];
  periodType?: { type?: string; unit?: string };
};
const index = (s: string): number => {
  let i = msg.stringTable.indexOf(s);
  if (i < 0) i = msg.stringTable.push(s) - 1;
  return i;
};
msg.periodType = { type: String(index(type)), unit: String(index(unit)) };
writeFileSync(output, gzipSync(Profile.encode(Profile.fromObject(msg)).finish()));
