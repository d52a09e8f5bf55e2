// Small line chart of one sample type's total across watch snapshots (D3 scales/axes).
import { axisBottom, axisLeft, line, scaleLinear, select } from 'd3';
import { h, svg } from '../../dom.js';
import { fmtAuto } from '../../fmt.js';
import type { WatchSnapshot } from '../../../../contract/capture.js';

const W = 360;
const H = 170;
const M = { top: 12, right: 14, bottom: 30, left: 64 };

export function watchChart(type: string, snapshots: WatchSnapshot[], t0: number): HTMLElement {
  const pts = snapshots
    .map((s) => ({ s, t: (Date.parse(s.takenAt) - t0) / 1000, v: s.totals.find((x) => x.type === type) }))
    .filter((p): p is { s: WatchSnapshot; t: number; v: { type: string; unit: string; value: number } } => p.v !== undefined);
  const unit = pts[0]?.v.unit ?? '';
  const root = svg('svg', {
    class: 'watch-chart-svg',
    viewBox: `0 0 ${W} ${H}`,
    width: W,
    height: H,
    role: 'img',
    'aria-label': `${type} over time`,
  });
  const maxT = Math.max(1, ...pts.map((p) => p.t));
  const vals = pts.map((p) => p.v.value);
  const lo = Math.min(0, ...vals);
  const hi = Math.max(1, ...vals);
  const x = scaleLinear()
    .domain([0, maxT])
    .range([M.left, W - M.right]);
  const y = scaleLinear()
    .domain([lo, hi])
    .nice()
    .range([H - M.bottom, M.top]);
  const sel = select(root);
  sel
    .append('g')
    .attr('class', 'watch-axis')
    .attr('transform', `translate(0,${H - M.bottom})`)
    .call(
      axisBottom(x)
        .ticks(5)
        .tickFormat((d) => `${d}s`),
    );
  sel
    .append('g')
    .attr('class', 'watch-axis')
    .attr('transform', `translate(${M.left},0)`)
    .call(
      axisLeft(y)
        .ticks(4)
        .tickFormat((d) => fmtAuto(Number(d), unit)),
    );
  const path = line<(typeof pts)[number]>()
    .x((p) => x(p.t))
    .y((p) => y(p.v.value));
  sel
    .append('path')
    .attr('class', 'watch-line')
    .attr('d', path(pts) ?? '');
  for (const p of pts) {
    const c = svg('circle', { class: 'watch-dot', cx: x(p.t), cy: y(p.v.value), r: 3.5 });
    const title = svg('title');
    title.textContent = `#${p.s.index + 1} at ${p.t.toFixed(0)} s: ${fmtAuto(p.v.value, unit)}`;
    c.append(title);
    root.append(c);
  }
  return h('figure.watch-chart', { 'data-type': type }, root, h('figcaption', null, `${type} (${unit})`));
}
