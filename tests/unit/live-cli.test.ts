// `pprof-lens capture URL -o FILE` and the bare `pprof-lens URL` form, against
// samples/live-service on loopback.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../server/src/cli/main.js';
import { decodeProfile } from '../../server/src/decode/index.js';
import { functionNames, startLiveService, type LiveService } from '../api/capture-env.js';

let work: string;
let svc: LiveService;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'live-cli-'));
  svc = await startLiveService(work);
});
afterAll(() => {
  svc?.stop();
  rmSync(work, { recursive: true, force: true });
});

async function run(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(argv, { out: (s) => void (out += s), err: (s) => void (err += s) });
  return { code, out, err };
}

describe('pprof-lens capture', () => {
  it('captures CPU for 1 s and saves a profile with the hot function', async () => {
    const file = join(work, 'cpu.pb.gz');
    const r = await run(['capture', svc.base, '--seconds', '1', '-o', file]);
    expect(r.code, r.err).toBe(0);
    expect(r.err).toContain(`Fetching profile over HTTP from ${svc.base}/debug/pprof/profile?seconds=1`);
    expect(r.out).toBe(`Saved profile to ${file}\n`);
    expect(functionNames(decodeProfile(readFileSync(file)))).toContain('main.spinHot');
  });
  it('bare URL form with --profile', async () => {
    const file = join(work, 'g.pb.gz');
    const r = await run([svc.base, '--profile=goroutine', `--output=${file}`]);
    expect(r.code, r.err).toBe(0);
    expect(functionNames(decodeProfile(readFileSync(file)))).toContain('main.leakyWaiter');
  });
  it('fails clearly', async () => {
    let r = await run(['capture', 'http://127.0.0.1:1/debug/pprof/heap', '-o', join(work, 'x')]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/connection refused by 127\.0\.0\.1:1/);
    r = await run(['capture', `${svc.base}/debug/pprof/trace`]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/execution trace/);
    r = await run(['capture']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/no URL given/);
  });
});
