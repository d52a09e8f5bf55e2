// pprof's sample filters, in driver order (applyFocus): focus/ignore/hide/show,
// show_from, tagfocus/tagignore, prune_from. Each rewrites the Work in place and
// reports pprof's "<Option> expression matched no samples" warnings.
import type { Line, Location } from '../model/profile.js';
import type { Query } from '../../../contract/query.js';
import { compileOption, type GoRegexp } from './regex.js';
import { simplifyFunc } from './prune.js';
import { compileTagFilter, numLabelUnits } from './tagfilter.js';
import { keepSamples, ownSamples, type Work } from './work.js';

function lineMatches(ln: Line, re: GoRegexp): boolean {
  const fn = ln.function;
  return !!fn && (re.test(fn.name) || re.test(fn.filename));
}

function locMatches(loc: Location, lines: Line[], re: GoRegexp): boolean {
  for (const ln of lines) if (lineMatches(ln, re)) return true;
  return !!loc.mapping && re.test(loc.mapping.file);
}

export interface CompiledFilters {
  focus: GoRegexp | null;
  ignore: GoRegexp | null;
  hide: GoRegexp | null;
  show: GoRegexp | null;
  showFrom: GoRegexp | null;
  pruneFrom: GoRegexp | null;
  tagFocus: ((s: import('../model/profile.js').Sample) => boolean) | null;
  tagIgnore: ((s: import('../model/profile.js').Sample) => boolean) | null;
  /** -tagshow / -taghide: which label keys the tags report keeps (pprof FilterTagsBy). */
  tagShow: GoRegexp | null;
  tagHide: GoRegexp | null;
}

export function compileFilters(w: Work, q: Query): CompiledFilters {
  const units = q.tagFocus || q.tagIgnore ? numLabelUnits(w.p) : new Map<string, string>();
  return {
    focus: compileOption(q.focus, 'focus'),
    ignore: compileOption(q.ignore, 'ignore'),
    hide: compileOption(q.hide, 'hide'),
    show: compileOption(q.show, 'show'),
    showFrom: compileOption(q.showFrom, 'show_from'),
    pruneFrom: compileOption(q.pruneFrom, 'prune_from'),
    tagFocus: compileTagFilter('tagfocus', q.tagFocus, units),
    tagIgnore: compileTagFilter('tagignore', q.tagIgnore, units),
    tagShow: compileOption(q.tagShow, 'tagshow'),
    tagHide: compileOption(q.tagHide, 'taghide'),
  };
}

export function hasFilters(f: CompiledFilters): boolean {
  return !!(f.focus || f.ignore || f.hide || f.show || f.showFrom || f.pruneFrom || f.tagFocus || f.tagIgnore);
}

/** Applies every filter; returns the warnings pprof prints. */
export function applyFilters(w: Work, f: CompiledFilters): string[] {
  const warnings: string[] = [];
  const warn = (ok: boolean, name: string): void => {
    if (!ok) warnings.push(`${name} expression matched no samples`);
  };
  if (f.focus || f.ignore || f.hide || f.show) {
    const r = filterSamplesByName(w, f.focus, f.ignore, f.hide, f.show);
    warn(!f.focus || r.fm, 'Focus');
    warn(!f.ignore || r.im, 'Ignore');
    warn(!f.hide || r.hm, 'Hide');
    warn(!f.show || r.hnm, 'Show');
  }
  if (f.showFrom) warn(showFrom(w, f.showFrom), 'ShowFrom');
  if (f.tagFocus || f.tagIgnore) {
    const r = filterSamplesByTag(w, f.tagFocus, f.tagIgnore);
    warn(!f.tagFocus || r.fm, 'TagFocus');
    warn(!f.tagIgnore || r.im, 'TagIgnore');
  }
  if (f.tagShow || f.tagHide) {
    const r = tagKeysMatched(w, f.tagShow, f.tagHide);
    warn(!f.tagShow || r.sm, 'TagShow');
    warn(!f.tagHide || r.hm, 'TagHide');
  }
  if (f.pruneFrom) pruneFrom(w, f.pruneFrom);
  return warnings;
}

function filterSamplesByName(
  w: Work,
  focus: GoRegexp | null,
  ignore: GoRegexp | null,
  hide: GoRegexp | null,
  show: GoRegexp | null,
): { fm: boolean; im: boolean; hm: boolean; hnm: boolean } {
  let fm = false;
  let im = false;
  let hm = false;
  let hnm = false;
  const n = w.locs.length;
  // 0 = neither, 1 = focused, 2 = ignored
  const fi = new Uint8Array(n);
  const hidden = new Uint8Array(n);
  let anyHidden = false;
  for (let i = 0; i < n; i++) {
    const loc = w.locs[i];
    const lines = w.lines[i];
    if (ignore && locMatches(loc, lines, ignore)) {
      im = true;
      fi[i] = 2;
    } else if (!focus || locMatches(loc, lines, focus)) {
      fm = true;
      fi[i] = 1;
    }
    if (hide && locMatches(loc, w.lines[i], hide)) {
      hm = true;
      let kept: Line[];
      if (loc.mapping && hide.test(loc.mapping.file)) kept = [];
      else kept = w.lines[i].filter((ln) => !lineMatches(ln, hide));
      w.lines[i] = kept;
      if (kept.length === 0) {
        hidden[i] = 1;
        anyHidden = true;
      }
    }
    if (show) {
      let kept: Line[];
      if (loc.mapping && show.test(loc.mapping.file)) kept = w.lines[i];
      else kept = w.lines[i].filter((ln) => !ln.function || show.test(ln.function.name) || show.test(ln.function.filename));
      w.lines[i] = kept;
      if (kept.length === 0) {
        hidden[i] = 1;
        anyHidden = true;
      } else hnm = true;
    }
  }
  const keep = new Uint8Array(w.n);
  if (anyHidden) ownSamples(w);
  const { buf, start, end } = w;
  // Stacks that lose hidden frames are rewritten into a fresh buffer.
  let nbuf: Int32Array | null = null;
  let noff = 0;
  if (anyHidden) nbuf = new Int32Array(buf.length);
  for (let k = 0; k < w.n; k++) {
    let f = false;
    let ignored = false;
    const s0 = start[k];
    const e0 = end[k];
    for (let j = s0; j < e0; j++) {
      const v = fi[buf[j]];
      if (v === 2) {
        ignored = true;
        break;
      }
      if (v === 1) f = true;
    }
    if (ignored || !f) continue;
    if (nbuf) {
      const ns = noff;
      for (let j = s0; j < e0; j++) if (!hidden[buf[j]]) nbuf[noff++] = buf[j];
      if (noff === ns) continue;
      start[k] = ns;
      end[k] = noff;
    }
    keep[k] = 1;
  }
  if (nbuf) w.buf = nbuf;
  keepSamples(w, keep);
  return { fm, im, hm, hnm };
}

function showFrom(w: Work, re: GoRegexp): boolean {
  let matched = false;
  const n = w.locs.length;
  const hit = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const loc = w.locs[i];
    if (loc.mapping && re.test(loc.mapping.file)) {
      hit[i] = 1;
      matched = true;
      continue;
    }
    const lines = w.lines[i];
    for (let j = lines.length - 1; j >= 0; j--) {
      if (lineMatches(lines[j], re)) {
        w.lines[i] = lines.slice(0, j + 1);
        hit[i] = 1;
        matched = true;
        break;
      }
    }
  }
  const keep = new Uint8Array(w.n);
  ownSamples(w);
  for (let k = 0; k < w.n; k++) {
    for (let j = w.end[k] - 1; j >= w.start[k]; j--) {
      if (hit[w.buf[j]]) {
        w.end[k] = j + 1;
        keep[k] = 1;
        break;
      }
    }
  }
  keepSamples(w, keep);
  return matched;
}

function filterSamplesByTag(
  w: Work,
  focus: CompiledFilters['tagFocus'],
  ignore: CompiledFilters['tagIgnore'],
): { fm: boolean; im: boolean } {
  let fm = false;
  let im = false;
  const keep = new Uint8Array(w.n);
  for (let k = 0; k < w.n; k++) {
    const s = w.p.sample[w.sampleIdx[k]];
    let ok = true;
    if (focus) {
      if (focus(s)) fm = true;
      else ok = false;
    }
    if (ignore && ignore(s)) {
      im = true;
      ok = false;
    }
    if (ok) keep[k] = 1;
  }
  keepSamples(w, keep);
  return { fm, im };
}

/**
 * pprof FilterTagsBy's match flags over the kept samples' label keys. The keys themselves
 * are dropped only where labels are shown (report/tags.ts); the stacks do not change.
 */
function tagKeysMatched(w: Work, show: GoRegexp | null, hide: GoRegexp | null): { sm: boolean; hm: boolean } {
  let sm = false;
  let hm = false;
  const seen = new Set<string>();
  const cols = w.p.columns;
  for (let k = 0; k < w.n && !(sm && hm); k++) {
    const i = w.sampleIdx[k];
    const label = cols ? (cols.label ? cols.label[i] : null) : w.p.sample[i].label;
    const num = cols ? (cols.numLabel ? cols.numLabel[i] : null) : w.p.sample[i].numLabel;
    for (const m of [label, num]) {
      if (!m) continue;
      for (const key of Object.keys(m)) {
        if (seen.has(key)) continue;
        seen.add(key);
        if (!show || show.test(key)) sm = true;
        if (hide && hide.test(key)) hm = true;
      }
    }
  }
  return { sm, hm };
}

function pruneFrom(w: Work, re: GoRegexp): void {
  const n = w.locs.length;
  const beneath = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const lines = w.lines[i];
    for (let j = 0; j < lines.length; j++) {
      const fn = lines[j].function;
      if (fn && fn.name !== '' && re.test(simplifyFunc(fn.name))) {
        beneath[i] = 1;
        if (j > 0) w.lines[i] = lines.slice(j);
        break;
      }
    }
  }
  ownSamples(w);
  for (let k = 0; k < w.n; k++) {
    for (let j = w.start[k]; j < w.end[k]; j++) {
      if (beneath[w.buf[j]]) {
        w.start[k] = j;
        break;
      }
    }
  }
}
