// scripts/reference-stamps.mjs, which makes scripts/make-references.sh incremental: a case is
// rerun exactly when its Go version, arguments, input bytes (or, for -list, the sources)
// changed or its output is missing, and outputs of cases that left the matrix are removed.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { ROOT } from '../api/server-helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'reference-stamps-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const OUT = 'refs';

interface Case {
  slug: string;
  name: string;
  mode: string;
  input: string;
  args: string[];
  list?: string;
}

/** Runs `plan`, then does what run_one does for each job (fake output + key); returns the jobs as slug/name. */
function plan(cases: Case[], go = 'go version go1.23.5 linux/amd64'): string[] {
  mkdirSync(join(dir, OUT), { recursive: true });
  writeFileSync(join(dir, OUT, 'cases.jsonl'), cases.map((c) => JSON.stringify(c) + '\n').join(''));
  execFileSync(process.execPath, [join(ROOT, 'scripts/reference-stamps.mjs'), 'plan', OUT, go], { cwd: dir, stdio: 'pipe' });
  const jobs = readFileSync(join(dir, OUT, 'jobs.tsv'), 'utf8')
    .split('\n')
    .filter(Boolean);
  return jobs.map((j) => {
    const [key, slug, name] = j.split('\t') as [string, string, string];
    mkdirSync(join(dir, OUT, slug), { recursive: true });
    for (const [ext, text] of [
      ['txt', 'output'],
      ['stderr', ''],
      ['rc', '0'],
      ['key', key],
    ])
      writeFileSync(join(dir, OUT, slug, `${name}.${ext}`), text);
    return `${slug}/${name}`;
  });
}

it('reruns only what changed, and prunes cases that are gone', () => {
  mkdirSync(join(dir, 'samples/cpu'), { recursive: true });
  writeFileSync(join(dir, 'samples/cpu/cpu.pb.gz'), 'profile bytes 1');
  writeFileSync(join(dir, 'samples/cpu/main.go'), 'package main // v1');
  writeFileSync(join(dir, 'other.pb.gz'), 'other bytes');
  const top: Case = { slug: 'samples-cpu-cpu', name: 'top', mode: 'top', input: 'samples/cpu/cpu.pb.gz', args: [] };
  const list: Case = { ...top, name: 'list_0', mode: 'list', args: ['-source_path=samples'], list: '^main\\.f$' };
  const other: Case = { slug: 'corpus-other', name: 'top', mode: 'top', input: 'other.pb.gz', args: ['-cum'] };
  // A fresh checkout makes everything.
  expect(plan([top, list, other]).sort()).toEqual(['corpus-other/top', 'samples-cpu-cpu/list_0', 'samples-cpu-cpu/top']);
  expect(plan([top, list, other])).toEqual([]);
  // Changed flags, a changed source file (only -list reads it), changed input bytes.
  expect(plan([top, list, { ...other, args: ['-flat'] }])).toEqual(['corpus-other/top']);
  writeFileSync(join(dir, 'samples/cpu/main.go'), 'package main // v2');
  expect(plan([top, list, { ...other, args: ['-flat'] }])).toEqual(['samples-cpu-cpu/list_0']);
  writeFileSync(join(dir, 'samples/cpu/cpu.pb.gz'), 'profile bytes 2');
  expect(plan([top, list, { ...other, args: ['-flat'] }]).sort()).toEqual(['samples-cpu-cpu/list_0', 'samples-cpu-cpu/top']);
  // A missing output or key (an interrupted run) is remade.
  rmSync(join(dir, OUT, 'samples-cpu-cpu/top.txt'));
  expect(plan([top, list, { ...other, args: ['-flat'] }])).toEqual(['samples-cpu-cpu/top']);
  // Another Go version remakes everything.
  expect(plan([top, list, { ...other, args: ['-flat'] }], 'go version go1.24.0 linux/amd64')).toHaveLength(3);
  // Cases that left the matrix lose their outputs.
  expect(plan([top], 'go version go1.24.0 linux/amd64')).toEqual([]);
  expect(existsSync(join(dir, OUT, 'samples-cpu-cpu/list_0.txt'))).toBe(false);
  expect(existsSync(join(dir, OUT, 'corpus-other'))).toBe(false);
  expect(existsSync(join(dir, OUT, 'samples-cpu-cpu/top.txt'))).toBe(true);
});
