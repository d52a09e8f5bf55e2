// What URL a capture fetches, and reading the /debug/pprof/ index page.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parsePprofIndex } from '../../server/src/live/pprof-index.js';
import { indexUrl, resolveCapture } from '../../server/src/live/target-url.js';

describe('resolveCapture', () => {
  it('a bare base URL means a 30 s CPU profile, like go tool pprof', () => {
    const r = resolveCapture({ url: 'http://127.0.0.1:6060' });
    expect(r.url.href).toBe('http://127.0.0.1:6060/debug/pprof/profile?seconds=30');
    expect(r.kind).toBe('cpu');
    expect(r.seconds).toBe(30);
    expect(r.targetKey).toBe('http://127.0.0.1:6060');
  });
  it('accepts host:port without a scheme and a seconds override', () => {
    const r = resolveCapture({ url: '127.0.0.1:6060', seconds: 5 });
    expect(r.url.href).toBe('http://127.0.0.1:6060/debug/pprof/profile?seconds=5');
  });
  it('takes the profile from a full URL, drops debug= and keeps other parameters', () => {
    const r = resolveCapture({ url: 'http://127.0.0.1:6060/debug/pprof/heap?debug=1&foo=bar' });
    expect(r.profile).toBe('heap');
    expect(r.kind).toBe('snapshot');
    expect(r.seconds).toBeNull();
    expect(r.url.href).toBe('http://127.0.0.1:6060/debug/pprof/heap?foo=bar');
  });
  it('reads seconds from a full CPU URL', () => {
    const r = resolveCapture({ url: 'http://h:1/debug/pprof/profile?seconds=7' });
    expect(r.seconds).toBe(7);
  });
  it('profile overrides the path; gc=1 only for heap', () => {
    expect(resolveCapture({ url: 'http://h:1/debug/pprof/', profile: 'heap', gc: true }).url.href).toBe('http://h:1/debug/pprof/heap?gc=1');
    expect(() => resolveCapture({ url: 'http://h:1', profile: 'goroutine', gc: true })).toThrow(/heap profile only/);
  });
  it('custom profile names and custom mount points', () => {
    expect(resolveCapture({ url: 'http://h:1/debug/pprof/live.widgets' }).url.pathname).toBe('/debug/pprof/live.widgets');
    expect(resolveCapture({ url: 'http://h:1/admin/pprof/', profile: 'heap' }).url.pathname).toBe('/admin/pprof/heap');
    expect(indexUrl('http://h:1/debug/pprof/heap?x=1').href).toBe('http://h:1/debug/pprof/');
    expect(indexUrl('http://h:1').href).toBe('http://h:1/debug/pprof/');
  });
  it.each([
    [{ url: 'ftp://h/debug/pprof/heap' }, /only http and https/],
    [{ url: 'file:///etc/passwd' }, /only http and https/],
    [{ url: '' }, /url is required/],
    [{ url: 'http://user:pw@h:1/' }, /credentials/],
    [{ url: 'http://h:1/debug/pprof/trace' }, /execution trace/],
    [{ url: 'http://h:1/debug/pprof/cmdline' }, /not a profile/],
    [{ url: 'http://h:1', profile: '../../etc' }, /not a profile name/],
    [{ url: 'http://h:1', seconds: 0 }, /seconds must be/],
    [{ url: 'http://h:1', seconds: 1.5 }, /seconds must be/],
    [{ url: 'http://h:1', seconds: 100000 }, /seconds must be/],
  ])('refuses %j', (spec, why) => {
    expect(() => resolveCapture(spec as never)).toThrow(why);
  });
});

describe('parsePprofIndex', () => {
  // Saved from samples/live-service (Go 1.23 net/http/pprof).
  const html = readFileSync(new URL('../fixtures/live/pprof-index-go1.23.html', import.meta.url), 'utf8');

  it('lists every profile with counts and descriptions, standard ones first', () => {
    const list = parsePprofIndex(html);
    expect(list.map((p) => p.name)).toEqual([
      'profile',
      'heap',
      'allocs',
      'goroutine',
      'mutex',
      'block',
      'threadcreate',
      'live.widgets',
      'cmdline',
      'trace',
    ]);
    const byName = new Map(list.map((p) => [p.name, p]));
    expect(byName.get('profile')!.kind).toBe('cpu');
    expect(byName.get('live.widgets')).toMatchObject({ kind: 'snapshot', count: 3 });
    expect(byName.get('goroutine')!.count).toBeGreaterThan(0);
    expect(byName.get('heap')!.description).toMatch(/live objects/);
    expect(byName.get('trace')).toMatchObject({ kind: 'unsupported' });
    expect(byName.get('cmdline')).toMatchObject({ kind: 'unsupported' });
  });
  it('returns nothing for a page that is not a pprof index', () => {
    expect(parsePprofIndex('<html><body><a href="x">x</a></body></html>')).toEqual([]);
  });
});
