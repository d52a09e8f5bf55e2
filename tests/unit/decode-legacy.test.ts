// Legacy formats: the ones we read must print exactly like pprof's Profile.String()
// (the corpus `.string` goldens, and `go tool pprof -raw` output produced by
// tests/fixtures/decode/go-text/make.sh for real Go ?debug=1 profiles); the ones we do
// not read must be refused with kind 'unsupported' naming the format.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeProfile, describeSupportedFormats, ProfileDecodeError } from '../../server/src/decode/index.js';
import { formatProfileString, goDuration } from '../../server/src/decode/profile-string.js';
import { topText } from '../../server/src/cli/top.js';
import { CORPUS_DIR } from '../corpus.js';

const CORPUS = CORPUS_DIR + '/google-pprof';
const GO_TEXT = join(import.meta.dirname, '..', 'fixtures', 'decode', 'go-text');

function rejection(bytes: Uint8Array): ProfileDecodeError {
  try {
    decodeProfile(bytes);
  } catch (err) {
    if (err instanceof ProfileDecodeError) return err;
    throw err;
  }
  throw new Error('expected a rejection');
}

describe('legacy formats read, checked against the corpus goldens', () => {
  for (const name of [
    'go.godoc.thread',
    'gobench.heap',
    'cppbench.heap',
    'cppbench.growth',
    'cppbench.contention',
    'cppbench.cpu',
    'go.crc32.cpu',
    'gobench.cpu',
    'cppbench.thread',
    'cppbench.thread.all',
    'cppbench.thread.none',
    'java.cpu',
    'java.heap',
    'java.contention',
  ]) {
    it(name, () => {
      const p = decodeProfile(readFileSync(join(CORPUS, 'profile/testdata', name)));
      expect(formatProfileString(p)).toBe(readFileSync(join(CORPUS, 'profile/testdata', name + '.string'), 'utf8'));
    });
  }
  for (const name of ['cppbench.small.contention', 'cppbench.cpu']) {
    it(`internal/driver/testdata/${name} (golden from go tool pprof -raw)`, () => {
      const p = decodeProfile(readFileSync(join(CORPUS, 'internal/driver/testdata', name)));
      expect(formatProfileString(p)).toBe(readFileSync(join(GO_TEXT, name + '.raw.txt'), 'utf8'));
    });
  }
});

describe('Go runtime ?debug=1 text profiles (golden from go tool pprof -raw)', () => {
  for (const name of ['goroutine', 'threadcreate', 'heap', 'allocs', 'mutex', 'block']) {
    it(name, () => {
      const p = decodeProfile(readFileSync(join(GO_TEXT, name + '.txt')));
      expect(p.sample.length).toBeGreaterThan(0);
      expect(formatProfileString(p)).toBe(readFileSync(join(GO_TEXT, name + '.raw.txt'), 'utf8'));
    });
  }
  for (const name of ['goroutine', 'threadcreate', 'heap', 'allocs', 'mutex', 'block']) {
    it(`${name}: -top through the engine equals go tool pprof -top`, () => {
      expect(topText(['-top', join(GO_TEXT, name + '.txt')])).toBe(readFileSync(join(GO_TEXT, name + '.top.txt'), 'utf8'));
      expect(topText(['-top', '-addresses', join(GO_TEXT, name + '.txt')])).toBe(
        readFileSync(join(GO_TEXT, name + '.top.addresses.txt'), 'utf8'),
      );
    });
  }
  it('sets the drop_frames pprof sets for legacy heap profiles', () => {
    const p = decodeProfile(readFileSync(join(GO_TEXT, 'heap.txt')));
    expect(p.dropFrames).toMatch(/^calloc\|cfree\|malloc\|/);
    expect(p.keepFrames).toBe('runtime\\.panic|runtime\\.reflectcall|runtime\\.call[0-9]*');
  });
});

describe('legacy variants refused with a message naming them', () => {
  const enc = (s: string) => new TextEncoder().encode(s);
  it('a Java profile with an unknown header', () => {
    const err = rejection(enc('--- heapz 2 ---\nformat = java\n'));
    expect(err.kind).toBe('unsupported');
    expect(err.message).toMatch(
      /legacy Java profile \(text\) with header "--- heapz 2 ---" is not supported; convert it with `go tool pprof -proto`/,
    );
  });
  it('a Java profile in another format', () => {
    const err = rejection(enc('--- contentionz 1 ---\nformat = cpp\n'));
    expect(err.kind).toBe('unsupported');
    expect(err.message).toMatch(/with format "cpp" is not supported/);
  });
  it('a heap profile of an unknown kind', () => {
    const err = rejection(enc('heap profile: 1: 2 [3: 4] @ heapfoo/8\n1: 2 [3: 4] @ 0x1\n'));
    expect(err.kind).toBe('unsupported');
    expect(err.message).toMatch(/legacy heap profile \(text\) of kind "heapfoo" is not supported/);
  });
  it("the fuzz regression input is rejected cleanly, with pprof's reason", () => {
    const bytes = readFileSync(join(CORPUS, 'fuzz/testdata/7e3c92482f6f39fc502b822ded792c589849cca8'));
    expect(new TextDecoder().decode(bytes)).toBe('--- heapz 1 ---\n0 0 @ 0\n');
    const err = rejection(bytes);
    expect(err.kind).toBe('malformed');
    // go tool pprof: "parsing profile: parsing sample 0 0 @ 0: second value must be non-zero"
    expect(err.message).toMatch(/parsing sample 0 0 @ 0: second value must be non-zero/);
  });
});

describe('malformed legacy input', () => {
  it('a binary CPU profile whose record runs past the end', () => {
    const b = readFileSync(join(CORPUS, 'profile/testdata/gobench.cpu'));
    const err = rejection(b.subarray(0, 203));
    expect(err.kind).toBe('malformed');
    expect(err.message).toMatch(/legacy CPU profile: a sample record runs past the end/);
  });
  const enc = (s: string) => new TextEncoder().encode(s);
  it('count profile with a bad sample line', () => {
    const err = rejection(enc('goroutine profile: total 2\n2 @ zzz\n'));
    expect(err.kind).toBe('malformed');
    expect(err.message).toMatch(/count profile: malformed sample line "2 @ zzz"/);
  });
  it('heap profile with count 0 but bytes', () => {
    const err = rejection(enc('heap profile: 1: 10 [1: 10] @ heap/1024\n0: 10 [0: 0] @ 0x1\n'));
    expect(err.message).toMatch(/inuse count was 0 but inuse bytes was 10/);
  });
  it('contention profile with an unknown attribute', () => {
    const err = rejection(enc('--- mutex:\nwhat = 3\n1 1 @ 0x1\n'));
    expect(err.message).toMatch(/unknown header attribute "what"/);
  });
  it('a count profile without trailing newline still reads its last line', () => {
    const p = decodeProfile(enc('goroutine profile: total 3\n3 @ 0x10 0x20'));
    expect(p.sample[0].value).toEqual([3]);
    expect(p.location.map((l) => l.address)).toEqual([0xfn, 0x1fn]);
  });
});

describe('helpers', () => {
  it('Go duration formatting', () => {
    expect(goDuration(16502830000000n)).toBe('4h35m2.83s');
    expect(goDuration(1500000n)).toBe('1.5ms');
    expect(goDuration(10000000000n)).toBe('10s');
    expect(goDuration(999n)).toBe('999ns');
  });
  it('describeSupportedFormats lists read and refused formats', () => {
    const f = describeSupportedFormats();
    expect(f.filter((x) => x.read).map((x) => x.format)).toContain('legacy Go count profile (text)');
    expect(f.filter((x) => !x.read)).toEqual([]);
    expect(f.length).toBe(8);
  });
});

describe('decodeProfileDetailed reports the format', () => {
  it('proto, gzipped', async () => {
    const { decodeProfileDetailed } = await import('../../server/src/decode/index.js');
    const d = decodeProfileDetailed(readFileSync(CORPUS_DIR + '/google-pprof/internal/report/testdata/sample.cpu'));
    expect([d.format, d.gzipped, d.profile.sample.length]).toEqual(['proto', true, 76]);
    expect(d.rawBytes).toBeGreaterThan(1836);
  });
  it('legacy text formats', async () => {
    const { decodeProfileDetailed } = await import('../../server/src/decode/index.js');
    expect(decodeProfileDetailed(readFileSync(join(GO_TEXT, 'goroutine.txt'))).format).toBe('legacy-count');
    expect(decodeProfileDetailed(readFileSync(join(GO_TEXT, 'heap.txt'))).format).toBe('legacy-heap');
    expect(decodeProfileDetailed(readFileSync(join(GO_TEXT, 'mutex.txt'))).format).toBe('legacy-contention');
    expect(decodeProfileDetailed(readFileSync(join(CORPUS, 'profile/testdata/gobench.cpu'))).format).toBe('legacy-cpu');
    expect(decodeProfileDetailed(readFileSync(join(CORPUS, 'profile/testdata/cppbench.thread'))).format).toBe('legacy-threadz');
    expect(decodeProfileDetailed(readFileSync(join(CORPUS, 'profile/testdata/java.heap'))).format).toBe('legacy-heap');
    expect(decodeProfileDetailed(readFileSync(join(CORPUS, 'profile/testdata/java.cpu'))).format).toBe('legacy-cpu');
    expect(decodeProfileDetailed(readFileSync(join(CORPUS, 'profile/testdata/java.contention'))).format).toBe('legacy-contention');
  });
});

describe('legacy profiles through the engine equal go tool pprof -top (generated/cli/profile__*)', () => {
  // End-to-end check of the legacy readers: pprof's own -top output for every legacy
  // file of profile/testdata (made by the research with -symbolize=none), reproduced by
  // our CLI on top of the decoded profile.
  const SUFFIX: Record<string, string[]> = { '': [], '.cum': ['-cum'], '.addresses': ['-addresses'] };
  const goldens = readdirSync(join(CORPUS, 'generated/cli'))
    .map((f) => /^profile__(.*)\.top(\.cum|\.addresses)?\.txt$/.exec(f))
    .filter((m): m is RegExpExecArray => m !== null);
  it('finds the 42 goldens', () => expect(goldens.length).toBe(42));
  for (const m of goldens) {
    it(m[0], () => {
      const ours = topText(['-top', ...SUFFIX[m[2] ?? ''], join(CORPUS, 'profile/testdata', m[1])]);
      expect(ours).toBe(readFileSync(join(CORPUS, 'generated/cli', m[0]), 'utf8'));
    });
  }
});
