// Pages of the top table in the web table's orders and searches (report/top-page.ts): each
// page equals the same slice of the whole table sorted and searched, with its rows' sum%
// (running flat in that order, before the search) and places in pprof's order.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { searchRegexp } from '../../contract/go-regexp.js';
import type { TopReport, TopRow } from '../../contract/views.js';
import type { RunningServer } from '../../server/src/http/server.js';
import { getJson, sample, startTestServer, tempDir, uploadOk } from './server-helpers.js';

describe('top table pages', () => {
  const t = tempDir();
  let srv: RunningServer;
  let id = '';
  let whole: TopReport;
  beforeAll(async () => {
    srv = await startTestServer(t.dir, { workers: 1 });
    id = await uploadOk(srv.url, sample('gcpressure/cpu.pb.gz'));
    whole = (await getJson<TopReport>(`${srv.url}/api/profiles/${id}/top`)).body;
  });
  afterAll(async () => {
    await srv.close();
    t.remove();
  });

  /** The whole table in `order`, searched, as the web table showed it from every row. */
  function expected(order: 'flat' | 'cum' | 'name', match: string): { row: TopRow; index: number; sum: number }[] {
    const rows = whole.rows.map((row, index) => ({ row, index }));
    if (order === 'cum') rows.sort((a, b) => Math.abs(b.row.cum) - Math.abs(a.row.cum) || a.index - b.index);
    if (order === 'name') rows.sort((a, b) => (a.row.name < b.row.name ? -1 : a.row.name > b.row.name ? 1 : a.index - b.index));
    let sum = 0;
    const all = rows.map((r) => ({ ...r, sum: (sum += r.row.flat) }));
    const re = searchRegexp(match);
    return re ? all.filter((r) => re.test(r.row.name)) : all;
  }

  for (const [order, match] of [
    ['flat', ''],
    ['cum', ''],
    ['name', ''],
    ['cum', 'runtime\\.'],
    ['name', '(*mspan'], // not a regexp: matched literally, as the page does
  ] as const) {
    it(`order=${order} match=${JSON.stringify(match)}`, async () => {
      const want = expected(order, match);
      expect(want.length).toBeGreaterThan(match ? 1 : 100);
      for (const offset of [0, 7, Math.max(0, want.length - 5)]) {
        const q = new URLSearchParams({ offset: String(offset), limit: '20', order });
        if (match) q.set('match', match);
        const r = await getJson<TopReport>(`${srv.url}/api/profiles/${id}/top?${q}`);
        expect(r.status).toBe(200);
        const slice = want.slice(offset, offset + 20);
        expect(r.body.offset).toBe(offset);
        expect(r.body.totalRows).toBe(want.length);
        expect(r.body.tableRows).toBe(whole.rows.length);
        expect(r.body.rows).toEqual(slice.map((x) => x.row));
        expect(r.body.indices).toEqual(slice.map((x) => x.index));
        expect(r.body.sums).toEqual(slice.map((x) => x.sum));
        expect(r.body.total).toBe(whole.total);
        expect(r.body.legend).toEqual(whole.legend);
      }
    });
  }

  it('a search matching nothing is an empty page; a bad order is a 400 naming the choices', async () => {
    const none = await getJson<TopReport>(`${srv.url}/api/profiles/${id}/top?offset=0&limit=5&match=${encodeURIComponent('^nothing$')}`);
    expect(none.status).toBe(200);
    expect(none.body.rows).toEqual([]);
    expect(none.body.totalRows).toBe(0);
    const bad = await getJson<{ error: string }>(`${srv.url}/api/profiles/${id}/top?offset=0&limit=5&order=size`);
    expect(bad.status).toBe(400);
    expect(bad.body.error).toBe('query parameter "order" must be one of flat, cum, name');
  });
});
