// Issue 17: an upload that is not a profile is named by its first bytes, with how to get a
// profile; real profiles of every format we read never reach this (they decode).
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { downloadName } from '../../contract/file-name.js';
import { ProfileDecodeError, decodeProfile } from '../../server/src/decode/index.js';
import { fileKind } from '../../server/src/decode/file-kind.js';

const text = (s: string): Uint8Array => new TextEncoder().encode(s);
const bytes = (...b: number[]): Uint8Array => Uint8Array.from(b);

function rejection(b: Uint8Array): ProfileDecodeError {
  try {
    decodeProfile(b);
  } catch (e) {
    expect(e).toBeInstanceOf(ProfileDecodeError);
    return e as ProfileDecodeError;
  }
  throw new Error('decoded');
}

describe('fileKind', () => {
  const tar = new Uint8Array(512);
  tar.set(text('ustar'), 257);
  const cases: [string, Uint8Array, string][] = [
    ['png', bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0), 'a PNG image'],
    ['jpeg', bytes(0xff, 0xd8, 0xff, 0xe0, 0, 0x10), 'a JPEG image'],
    ['gif', text('GIF89a\x01\x00'), 'a GIF image'],
    ['pdf', text('%PDF-1.7\n'), 'a PDF document'],
    ['zip', bytes(0x50, 0x4b, 0x03, 0x04, 0x14, 0), 'a ZIP archive'],
    ['tar', tar, 'a tar archive'],
    ['elf', bytes(0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0), 'an ELF executable (a program, not a profile of it)'],
    [
      'go trace',
      text('go 1.22 trace\x00\x00\x00'),
      'a Go execution trace (open it with go tool trace; pprof reads CPU and memory profiles)',
    ],
    ['html', text('  <!DOCTYPE html><html>'), 'an HTML page'],
    ['svg', text('<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg">'), 'an SVG image'],
    ['json', text('{"a":1}'), 'JSON text'],
    ['log', text('2026/12/05 08:00:00 listening on :8080\n'), 'a text file'],
    ['utf-8 text', text('héllo wörld ✓\n'), 'a text file'],
  ];
  for (const [what, b, want] of cases) it(what, () => expect(fileKind(b)?.what).toBe(want));
  it('unknown binary is not named', () => expect(fileKind(bytes(0xff, 0xfe, 0x00, 0x01, 0x02))).toBeNull());
});

describe('decode errors for non-profiles', () => {
  it('text: what it is, how to get a profile, no protobuf wording', () => {
    const e = rejection(text('hello world\n'));
    expect(e.kind).toBe('not-a-profile');
    expect(e.message).toBe(
      'this is a text file, not a profile (it starts with "hello world\\n"); a profile comes from Go\'s runtime/pprof: ' +
        '"go test -cpuprofile cpu.prof" (or -memprofile mem.prof), or "curl -o cpu.prof http://HOST/debug/pprof/profile?seconds=30" ' +
        'from a service that imports net/http/pprof',
    );
  });
  it('a gzipped PNG is named after inflating', () => {
    expect(rejection(gzipSync(bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3))).message).toMatch(
      /^this is a PNG image, not a profile; /,
    );
  });
  it('Go debug=1 text profiles still decode (they are text too)', () => {
    const p = decodeProfile(text('goroutine profile: total 1\n1 @ 0x1 0x2\n#\t0x1\tmain.main+0x1\t/x/main.go:3\n'));
    expect(p.sample.length).toBe(1);
  });
});

describe('downloadName', () => {
  it("keeps the upload's file name, safely", () => {
    expect(downloadName('checkout/mem.prof', 'x'.repeat(32))).toBe('mem.prof');
    expect(downloadName('cpu (1).pb.gz', 'id')).toBe('cpu _1_.pb.gz');
    expect(downloadName('"; rm -rf.prof', 'id')).toBe('rm -rf.prof');
    expect(downloadName('', 'abc')).toBe('abc.pb.gz');
    expect(downloadName('../..', 'abc')).toBe('abc.pb.gz');
  });
});
