// How many tag nodelets pprof's graph view would draw under each node: -dot counts them
// towards -nodecount (graph.selectTopNodes, countTags), so the node selection needs them.
// A node's tags are its samples' joined string labels and, per label set, the formatted
// values of the `bytes` numeric label (report.newGraph keeps only that one); a tag counts
// when its flat is non-zero and it survives TrimLowFrequencyTags (|flat| or |cum| >= cutoff).
import type { Profile } from '../model/profile.js';
import { scaledLabel } from '../../../contract/format.js';
import type { NodeTable, SampleValues } from './graph.js';
import type { Work } from './work.js';

/** pprof's maxNodelets: tags per node shown (and counted) at most. */
export const MAX_NODELETS = 4;

function labelsOf(p: Profile, i: number): Record<string, string[]> | null {
  return p.columns ? (p.columns.label?.[i] ?? null) : p.sample[i].label;
}

function numLabelsOf(p: Profile, i: number): Record<string, number[]> | null {
  return p.columns ? (p.columns.numLabel?.[i] ?? null) : p.sample[i].numLabel;
}

function numUnitsOf(p: Profile, i: number): Record<string, string[]> | null {
  return p.columns ? (p.columns.numUnit?.[i] ?? null) : p.sample[i].numUnit;
}

/** graph.joinLabels without pprof::base (removed before graph building): sorted key:value joined by `\n`. */
function joinLabels(l: Record<string, string[]> | null): string {
  if (!l) return '';
  const parts: string[] = [];
  for (const [k, vs] of Object.entries(l)) {
    if (k === 'pprof::base') continue;
    for (const v of vs) parts.push(k + ':' + v);
  }
  if (parts.length === 0) return '';
  parts.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return parts.join('\\n');
}

/** Tag keys of a sample, once per contribution (a repeated value adds its weight twice, as pprof). */
function sampleTags(p: Profile, i: number, unit: string, outUnit: string, fmtCache: Map<number, string>): string[] {
  const labels = joinLabels(labelsOf(p, i));
  const out: string[] = [];
  if (labels !== '') out.push('L' + labels);
  const bytes = numLabelsOf(p, i)?.bytes;
  if (bytes) {
    for (const v of bytes) {
      let f = fmtCache.get(v);
      if (f === undefined) {
        f = scaledLabel(v, unit, outUnit);
        fmtCache.set(v, f);
      }
      out.push('N' + labels + '\u0000' + f);
    }
  }
  return out;
}

/** pprof identifyNumLabelUnits for the `bytes` key: its first non-empty unit, else "bytes". */
function bytesUnit(p: Profile, w: Work): string {
  if (p.columns && p.columns.numUnit === null) return 'bytes';
  for (let k = 0; k < w.n; k++) {
    const u = numUnitsOf(p, w.sampleIdx[k])?.bytes;
    if (u) for (const x of u) if (x !== '') return x;
  }
  return 'bytes';
}

/**
 * Per node (kept ones only, and only those in `want`), the number of tag nodelets pprof
 * counts, capped at MAX_NODELETS. `outUnit` is the -unit option ("minimum" by default):
 * the tags are named before the report's unit is chosen.
 */
export function nodeletCounts(
  w: Work,
  t: NodeTable,
  sv: SampleValues,
  kept: Uint8Array | null,
  want: Uint8Array,
  tagCutoff: number,
  outUnit: string,
): Uint8Array {
  const p = w.p;
  const nNodes = t.infos.length;
  const counts = new Uint8Array(nNodes);
  const cols = p.columns;
  const anyLabels = cols ? cols.label !== null || cols.numLabel !== null : p.sample.some((s) => s.label || s.numLabel);
  if (!anyLabels) return counts;
  const unit = bytesUnit(p, w);
  const fmtCache = new Map<number, string>();
  const { buf, start, end } = w;
  const { flat: nodesFlat, off } = t;
  const tagsOf: (string[] | null)[] = new Array(w.n).fill(null);
  // Flat tags: the sample's weight goes to its innermost node, when that node is kept.
  const flatTags: (Map<string, number> | undefined)[] = new Array(nNodes);
  for (let k = 0; k < w.n; k++) {
    const val = sv.v[k];
    if (val === 0 && (!sv.div || sv.div[k] === 0)) continue;
    if (end[k] === start[k]) continue;
    const leaf = nodesFlat[off[buf[start[k]]]];
    if ((kept !== null && kept[leaf] === 0) || want[leaf] === 0) continue;
    const tags = sampleTags(p, w.sampleIdx[k], unit, outUnit, fmtCache);
    tagsOf[k] = tags;
    if (tags.length === 0) continue;
    let m = flatTags[leaf];
    if (!m) flatTags[leaf] = m = new Map();
    for (const tag of tags) m.set(tag, (m.get(tag) ?? 0) + val);
  }
  // Tags whose flat is below the cutoff survive only if their cum reaches it.
  const pending: (Map<string, number> | undefined)[] = new Array(nNodes);
  const pendingKeys = new Set<string>();
  for (let id = 0; id < nNodes; id++) {
    const m = flatTags[id];
    if (!m) continue;
    let c = 0;
    for (const [tag, f] of m) {
      if (f === 0) continue;
      if (Math.abs(f) >= tagCutoff) c++;
      else {
        let pm = pending[id];
        if (!pm) pending[id] = pm = new Map();
        pm.set(tag, 0);
        pendingKeys.add(tag);
      }
    }
    counts[id] = c;
  }
  if (pendingKeys.size > 0) {
    const stamp = new Int32Array(nNodes).fill(-1);
    for (let k = 0; k < w.n; k++) {
      const val = sv.v[k];
      if (val === 0 && (!sv.div || sv.div[k] === 0)) continue;
      const tags = tagsOf[k] ?? sampleTags(p, w.sampleIdx[k], unit, outUnit, fmtCache);
      if (!tags.some((x) => pendingKeys.has(x))) continue;
      for (let j = end[k] - 1; j >= start[k]; j--) {
        const li = buf[j];
        for (let m = off[li + 1] - 1; m >= off[li]; m--) {
          const id = nodesFlat[m];
          if (stamp[id] === k) continue;
          stamp[id] = k;
          const pm = pending[id];
          if (!pm) continue;
          for (const tag of tags) {
            const c = pm.get(tag);
            if (c !== undefined) pm.set(tag, c + val);
          }
        }
      }
    }
    for (let id = 0; id < nNodes; id++) {
      const pm = pending[id];
      if (!pm) continue;
      for (const c of pm.values()) if (Math.abs(c) >= tagCutoff) counts[id]++;
    }
  }
  for (let id = 0; id < nNodes; id++) if (counts[id] > MAX_NODELETS) counts[id] = MAX_NODELETS;
  return counts;
}
