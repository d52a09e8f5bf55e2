// `go tool pprof -tags` (report printTags): for every label key, the summed sample value
// of each of its values over the filtered samples. Numeric labels are keyed by their
// scaled label text (measurement.ScaledLabel with the output unit), so values that print
// the same ("1.50kB") fall into one bucket, exactly as pprof groups them.
import type { Profile } from '../model/profile.js';
import type { Query } from '../../../contract/query.js';
import type { TagKey, TagsReport, TagValue } from '../../../contract/views.js';
import { numLabelUnits } from '../analysis/tagfilter.js';
import { percentage, scale, scaledLabel, goFixed } from '../../../contract/format.js';
import { sharedQuery } from './pipeline.js';
import { tabwrite } from './tabwriter.js';
import type { GoRegexp } from '../../../contract/go-regexp.js';

/** opts.maxValues keeps the heaviest values of each key (0 or unset: all, as pprof prints them). */
export function computeTags(raw: Profile, q: Query, opts: { unit?: string; maxValues?: number } = {}): TagsReport {
  const pr = sharedQuery(raw, q);
  const { p, idx, work } = pr;
  const outputUnit = opts.unit ?? 'minimum';
  const units = numLabelUnits(p);
  const kept = labelKeyFilter(pr.tagShow, pr.tagHide);
  interface Acc {
    numeric: boolean;
    values: Map<string, { weight: number; num: number | null; numMax: number | null }>;
  }
  const byKey = new Map<string, Acc>();
  const acc = (key: string, numeric: boolean): Acc => {
    let a = byKey.get(key);
    if (!a) {
      a = { numeric, values: new Map() };
      byKey.set(key, a);
    }
    return a;
  };
  const labelText = new Map<string, Map<number, string>>();
  for (let k = 0; k < work.n; k++) {
    const si = work.sampleIdx[k];
    const v = pr.sv.v[k];
    const label = sampleLabels(p, si);
    if (label) {
      for (const key of Object.keys(label)) {
        if (!kept(key)) continue;
        const a = acc(key, false);
        for (const val of label[key]) {
          const e = a.values.get(val);
          if (e) e.weight += v;
          else a.values.set(val, { weight: v, num: null, numMax: null });
        }
      }
    }
    const numLabel = sampleNumLabels(p, si);
    if (numLabel) {
      for (const key of Object.keys(numLabel)) {
        if (!kept(key)) continue;
        const unit = units.get(key) ?? '';
        let texts = labelText.get(key);
        if (!texts) labelText.set(key, (texts = new Map()));
        const a = acc(key, true);
        a.numeric = true;
        for (const n of numLabel[key]) {
          let t = texts.get(n);
          if (t === undefined) texts.set(n, (t = scaledLabel(n, unit, outputUnit)));
          const e = a.values.get(t);
          if (e) {
            e.weight += v;
            if (e.num === null || n < e.num) e.num = n;
            if (e.numMax === null || n > e.numMax) e.numMax = n;
          } else a.values.set(t, { weight: v, num: n, numMax: n });
        }
      }
    }
  }
  const keys: TagKey[] = [...byKey.keys()].sort(cmp).map((key) => {
    const a = byKey.get(key)!;
    let total = 0;
    const values: TagValue[] = [];
    for (const [value, e] of a.values) {
      total += e.weight;
      values.push({ value, weight: e.weight, num: e.num, numMax: e.numMax });
    }
    values.sort((x, y) => {
      const ax = Math.abs(x.weight);
      const ay = Math.abs(y.weight);
      if (x.weight !== y.weight && ax !== ay) return ay - ax;
      return cmp(x.value, y.value);
    });
    const max = opts.maxValues ?? 0;
    const omitted = max > 0 && values.length > max ? values.length - max : 0;
    if (omitted) values.length = max;
    return { key, numeric: a.numeric, unit: a.numeric ? (units.get(key) ?? '') : '', total, values, omitted };
  });
  return { sampleType: p.sampleType[idx], outputUnit, keys, warnings: pr.warnings };
}

const cmp = (a: string, b: string): number => (a === b ? 0 : a < b ? -1 : 1);

/** pprof FilterTagsBy: a key stays when -tagshow matches it (or is unset) and -taghide does not. */
function labelKeyFilter(show: GoRegexp | null, hide: GoRegexp | null): (key: string) => boolean {
  return (key) => (!show || show.test(key)) && !(hide && hide.test(key));
}

function sampleLabels(p: Profile, i: number): Record<string, string[]> | null {
  const cols = p.columns;
  if (cols) return cols.label ? cols.label[i] : null;
  return p.sample[i].label;
}

function sampleNumLabels(p: Profile, i: number): Record<string, number[]> | null {
  const cols = p.columns;
  if (cols) return cols.numLabel ? cols.numLabel[i] : null;
  return p.sample[i].numLabel;
}

/** The text `go tool pprof -tags` prints for the report. */
export function formatTagsText(r: TagsReport): string {
  const unit = r.sampleType.unit;
  const fmt = (v: number): string => {
    const [f, u] = scale(v, unit, r.outputUnit);
    return goFixed(f, 1) + u;
  };
  let s = '';
  for (const k of r.keys) {
    s += `${k.key}:\t Total ${fmt(k.total)}\n`;
    for (const t of k.values) {
      if (k.total > 0) s += ` \t${fmt(t.weight)} (${percentage(t.weight, k.total)}):\t ${t.value}\n`;
      else s += ` \t${fmt(t.weight)}:\t ${t.value}\n`;
    }
    s += '\n';
  }
  return tabwrite(s, { padding: 1, alignRight: true });
}
