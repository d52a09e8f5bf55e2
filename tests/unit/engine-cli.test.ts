// The top/list CLI as a process: usage and input errors print one clear line on
// stderr and exit 2; the flag forms -f=v, -f v and --f are equivalent.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from './engine-references.js';
import { listText } from '../../server/src/cli/list.js';
import { topText } from '../../server/src/cli/top.js';
import { decodeProfile, ProfileDecodeError } from '../../server/src/decode/index.js';

const BIN = path.join(ROOT, 'bin/pprof-lens.mjs');
const CPU = path.join(ROOT, 'samples/cpu/cpu.pb.gz');
const run = (...args: string[]) => spawnSync('node', [BIN, ...args], { encoding: 'utf8', env: { ...process.env, TZ: 'UTC' } });

describe('pprof-lens top/list errors', () => {
  it('unknown flag', () => {
    const r = run('top', '-bogus', CPU);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/flag provided but not defined: -bogus/);
    expect(r.stdout).toBe('');
  });
  it('unknown sample type names the choices', () => {
    const r = run('top', '-sample_index=nope', CPU);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/sample_index "nope" must be one of: \[samples cpu\]/);
  });
  it('missing file', () => {
    const r = run('top', path.join(ROOT, 'no-such.pb.gz'));
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/no such file/);
  });
  it('not a profile', () => {
    const r = run('top', path.join(ROOT, 'package.json'));
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });
  it('bad regexp', () => {
    const r = run('top', '-focus=(', CPU);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/focus/);
  });
  it('list without a match', () => {
    const r = run('list', 'zzz_nothing', CPU);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/no matches found for regexp: zzz_nothing/);
  });
  it('--help lists the flags and exits 0', () => {
    const r = run('top', '--help');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/usage: pprof-lens top \[flags\] FILE/);
    expect(r.stdout).toMatch(/-sample_index/);
  });
  it('flag forms are equivalent', () => {
    const a = run('top', '-nodecount=3', '-cum', CPU).stdout;
    const b = run('top', '--nodecount', '3', '--cum', CPU).stdout;
    const c = run('top', CPU, '-nodecount', '3', '-cum=true').stdout;
    expect(a).toMatch(/Showing top 3 nodes/);
    expect(b).toBe(a);
    expect(c).toBe(a);
  });
});

// The process reads and inflates its files while its modules load (cli/prefetch.ts); the
// in-process functions read them synchronously. Both must give the same text and errors.
describe('pprof-lens reads its files ahead, with the same results', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'lens-cli-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const HEAP = path.join(ROOT, 'samples/largeheap/heap.pb.gz');
  const gz = readFileSync(CPU);
  const write = (name: string, bytes: Uint8Array): string => {
    const f = path.join(dir, name);
    writeFileSync(f, bytes);
    return f;
  };
  it('top and list print what the in-process reports print', () => {
    for (const args of [
      ['-nodecount=5', CPU, CPU],
      ['-inuse_objects', HEAP],
    ]) {
      const r = run('top', ...args);
      expect(r.status).toBe(0);
      expect(r.stdout).toBe(topText(args));
    }
    const r = run('list', 'main.step$', HEAP);
    expect(r.stdout).toBe(listText(['main.step$', HEAP]));
  });
  it('an inflate error is the decoder’s', () => {
    const files = [write('empty.pb.gz', new Uint8Array(0)), write('cut.pb.gz', gz.subarray(0, gz.length - 6))];
    for (const f of files) {
      let message = '';
      try {
        decodeProfile(readFileSync(f));
      } catch (e) {
        message = (e as ProfileDecodeError).message;
      }
      expect(message).not.toBe('');
      const r = run('top', f);
      expect(r.status).toBe(2);
      expect(r.stderr).toBe(`pprof-lens top: ${message}\n`);
    }
  });
});
