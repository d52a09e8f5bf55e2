// Profiles app.mjs with @datadog/pprof and writes gzipped pprof files:
// wall.pb.gz (wall-time profile, sample/count + wall/nanoseconds) and
// heap.pb.gz (V8 sampling heap profile, objects/count + space/bytes).
// Usage: node samples/node/profile.mjs <outdir>
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { heap, time, encode } from '@datadog/pprof';
import { run } from './app.mjs';

const out = process.argv[2] ?? '.';

heap.start(16 * 1024, 64);
time.start({ intervalMicros: 1000, lineNumbers: true });
run(1500);
const wall = time.stop();
const mem = heap.profile();
heap.stop();

writeFileSync(join(out, 'wall.pb.gz'), await encode(wall));
writeFileSync(join(out, 'heap.pb.gz'), await encode(mem));
