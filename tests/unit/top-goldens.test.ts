// google/pprof's own text goldens (tests/fixtures/corpus/google-pprof, see its README):
// internal/driver/testdata/pprof.*.text (synthetic inputs in generated/synthetic) and
// generated/cli/*.top*.txt (real proto profiles), reproduced by our CLI + engine.
//
// Known differences, decided in favour of go tool pprof (Go 1.23), which is our reference:
// - generated/cli/profile__cppbench.contention.top.mean_delay.txt shows addresses-granularity
//   rows ("0000000000bccc96 [cppbench_server_main]", "Dropped 17 nodes"), but Go 1.23's
//   `go tool pprof -top -mean_delay` on the same file prints function-granularity rows
//   ("[cppbench_server_main]", "[libpthread-2.15.so]"), as we do; that golden is not compared
//   here, and the recorded references (top-references.test.ts) hold Go 1.23's -mean_delay output.
// -
// the corpus goldens come from a newer google/pprof whose Time: header reads
// "2017-09-29 20:57:59 UTC", while Go 1.23's embedded pprof prints
// "Sep 29, 2017 at 8:57pm (UTC)". We print Go 1.23's layout; for these goldens the
// Time line is checked against the newer layout via formatGoTime(..., 'iso').
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { topText } from '../../server/src/cli/top.js';
import { decodeProfile } from '../../server/src/decode/index.js';
import { formatGoTime } from '../../server/src/report/go-time.js';
import { firstDiff, ROOT } from './engine-references.js';

process.env.TZ = 'UTC';
const CORPUS = path.resolve(ROOT, 'tests/fixtures/corpus/google-pprof');
const BASE = ['-compact_labels', '-nodecount=20', '-nodefraction=0.05', '-edgefraction=0.01', '-unit=minimum', '-trim'];
const SYN = 'generated/synthetic';
const DRV = 'internal/driver/testdata';

const driverGoldens: [string, string, string[]][] = [
  ['pprof.cpu.flat.functions.text', 'cpu', ['-functions', '-flat']],
  ['pprof.cpu.flat.functions.noinlines.text', 'cpu', ['-functions', '-noinlines', '-flat']],
  ['pprof.cpu.flat.filefunctions.noinlines.text', 'cpu', ['-filefunctions', '-noinlines', '-flat']],
  ['pprof.cpu.flat.addresses.noinlines.text', 'cpu', ['-addresses', '-noinlines', '-flat']],
  ['pprof.heap_alloc.flat.alloc_objects.text', 'heap_alloc', ['-alloc_objects', '-flat']],
  ['pprof.heap.flat.files.text', 'heap', ['-files', '-flat']],
  ['pprof.heap.flat.files.text.focus', 'heap', ['-files', '-flat', '-focus=[12]00', '-taghide=[X3]00']],
  ['pprof.heap.flat.inuse_objects.text', 'heap', ['-inuse_objects', '-flat']],
  ['pprof.cpu.cum.lines.text.hide', 'cpu', ['-lines', '-cum', '-hide=line[X3]0']],
  ['pprof.cpu.cum.lines.text.show', 'cpu', ['-lines', '-cum', '-show=[12]00']],
  ['pprof.cpu.cum.lines.text.focus.hide', 'cpu', ['-lines', '-cum', '-hide=line[X3]0', '-focus=[12]00']],
  ['pprof.long_name_funcs.text', 'long_name_funcs', []],
];

// generated/cli/<origin>__<file>.top<suffix>.txt -> our flags (suffixes we support).
const SUFFIX: Record<string, string[]> = {
  '': [],
  '.cum': ['-cum'],
  '.addresses': ['-addresses'],
  '.lines': ['-lines'],
  '.files': ['-files'],
  '.filefunctions': ['-filefunctions'],
  '.noinlines': ['-noinlines'],
  '.nodecount10': ['-nodecount=10'],
  '.trim_false': ['-trim=false'],
  '.samples': ['-sample_index=samples'],
  '.alloc_space': ['-sample_index=alloc_space'],
  '.alloc_objects': ['-sample_index=alloc_objects'],
  '.inuse_objects': ['-sample_index=inuse_objects'],
  '.contentions': ['-sample_index=contentions'],
  '.unit_ms': ['-unit=ms'],
  '.unit_auto': ['-unit=auto'],
  '.compact': ['-compact_labels'],
  '.mean': ['-mean'],
  '.mean_delay': ['-mean_delay'],
  '.focus_mapassign': ['-focus=mapassign'],
  '.focus_mapassign.rel': ['-focus=mapassign', '-relative_percentages'],
  '.ignore_mapiternext': ['-ignore=mapiternext'],
  '.hide_runtime': ['-hide=^runtime\\.'],
  '.show_main': ['-show=^main\\.'],
  '.show_from_busyLoop': ['-show_from=busyLoop'],
  '.prune_from_mapassign': ['-prune_from=mapassign'],
};
// Every real-profile top golden whose input our decoder reads (proto and legacy) and
// whose flags we support (-divide_by is not implemented: skipped).
const ORIGIN_DIR: Record<string, string> = {
  profile: 'profile/testdata',
  internal_driver: 'internal/driver/testdata',
  internal_report: 'internal/report/testdata',
  internal_proftest: 'internal/proftest/testdata',
};
const cliGoldens: [string, string, string[]][] = [];
const skipped: string[] = [];
const CLI_DIR = path.join(CORPUS, 'generated/cli');
if (existsSync(CLI_DIR)) {
  for (const g of readdirSync(CLI_DIR).sort()) {
    const m = /^([a-z_]+)__(.+?)\.top(.*)\.txt$/.exec(g);
    if (!m || !ORIGIN_DIR[m[1]]) continue;
    const flags = SUFFIX[m[3]];
    if (!flags || g === 'profile__cppbench.contention.top.mean_delay.txt') {
      skipped.push(g);
      continue;
    }
    cliGoldens.push([`generated/cli/${g}`, `${ORIGIN_DIR[m[1]]}/${m[2]}`, flags]);
  }
}

function compare(input: string, flags: string[], golden: string): void {
  const inPath = path.join(CORPUS, input);
  let ours = topText([...flags, inPath]);
  const expected = readFileSync(path.join(CORPUS, golden), 'utf8');
  const p = decodeProfile(readFileSync(inPath));
  if (p.timeNanos !== 0n) {
    // see the header comment: the goldens use the newer google/pprof Time layout
    ours = ours.replace(`Time: ${formatGoTime(p.timeNanos, 'UTC')}`, `Time: ${formatGoTime(p.timeNanos, 'UTC', 'iso')}`);
  }
  const d = firstDiff(ours, expected);
  expect(d, d ?? '').toBeNull();
}

describe('google/pprof driver text goldens', () => {
  it('corpus is present', () => {
    expect(existsSync(CORPUS), `missing ${CORPUS}`).toBe(true);
  });
  for (const [g, src, flags] of driverGoldens) {
    it(g, () => compare(`${SYN}/${src}.pb.gz`, [...BASE, ...flags], `${DRV}/${g}`));
  }
});

describe('google/pprof generated/cli top goldens', () => {
  it('found goldens', () => {
    expect(cliGoldens.length).toBeGreaterThan(100);
    // only -divide_by cases and the one disagreeing golden (see the header) are left out
    expect(skipped.filter((g) => !/\.top\.divide_by_2\.txt$/.test(g))).toEqual(['profile__cppbench.contention.top.mean_delay.txt']);
  });
  for (const [g, input, flags] of cliGoldens) {
    it(`${g} ${flags.join(' ')}`, () => compare(input, flags, g));
  }
});
