// The top/list CLI as a process: usage and input errors print one clear line on
// stderr and exit 2; the flag forms -f=v, -f v and --f are equivalent.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './engine-references.js';

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
