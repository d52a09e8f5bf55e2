// ProfileState <-> URL query. Short keys keep shared links readable; defaults are
// left out so a plain /p/:id means "flame graph, default sample type".
import { searchRegexp, type GoRegexp } from '../../contract/go-regexp.js';
import { GRANULARITIES, queryParams, type Granularity } from '../../contract/query.js';
import type { ProfileState } from './registry.js';

const KEYS: Record<Exclude<keyof ProfileState, 'extra'>, string> = {
  view: 'v',
  si: 'si',
  zoom: 'z',
  search: 'q',
  focus: 'f',
  ignore: 'i',
  hide: 'h',
  show: 's',
  showFrom: 'sf',
  tagFocus: 'tagfocus',
  tagIgnore: 'tagignore',
  tagRoot: 'tagroot',
  tagLeaf: 'tagleaf',
  granularity: 'g',
  icicle: 'icicle',
  fn: 'fn',
  sort: 'sort',
  filter: 'tf',
  panel: 'panel',
};
const RESERVED = new Set(Object.values(KEYS));
/** The label filters and groupings, named as the API's query parameters. */
const TAG_KEYS = ['tagFocus', 'tagIgnore', 'tagRoot', 'tagLeaf'] as const;

export function defaultState(): ProfileState {
  return {
    view: 'flame',
    si: '',
    zoom: [],
    search: '',
    focus: '',
    ignore: '',
    hide: '',
    show: '',
    showFrom: '',
    tagFocus: '',
    tagIgnore: '',
    tagRoot: '',
    tagLeaf: '',
    granularity: '',
    icicle: false,
    fn: '',
    sort: 'flat',
    filter: '',
    panel: '',
    extra: {},
  };
}

export function parseState(search: string): ProfileState {
  const q = new URLSearchParams(search);
  const s = defaultState();
  const str = (k: string) => q.get(k) ?? '';
  s.view = str(KEYS.view) || 'flame';
  s.si = str(KEYS.si);
  const z = q.get(KEYS.zoom);
  if (z) {
    try {
      const arr: unknown = JSON.parse(z);
      if (Array.isArray(arr) && arr.every((x) => typeof x === 'string')) s.zoom = arr as string[];
    } catch {
      s.zoom = [];
    }
  }
  s.search = str(KEYS.search);
  s.focus = str(KEYS.focus);
  s.ignore = str(KEYS.ignore);
  s.hide = str(KEYS.hide);
  s.show = str(KEYS.show);
  s.showFrom = str(KEYS.showFrom);
  s.tagFocus = str(KEYS.tagFocus);
  s.tagIgnore = str(KEYS.tagIgnore);
  s.tagRoot = str(KEYS.tagRoot);
  s.tagLeaf = str(KEYS.tagLeaf);
  const g = str(KEYS.granularity);
  s.granularity = (GRANULARITIES as readonly string[]).includes(g) ? (g as Granularity) : '';
  s.icicle = q.get(KEYS.icicle) === '1';
  s.fn = str(KEYS.fn);
  const sort = str(KEYS.sort);
  s.sort = sort === 'cum' || sort === 'name' ? sort : 'flat';
  s.filter = str(KEYS.filter);
  s.panel = str(KEYS.panel);
  for (const [k, v] of q) if (!RESERVED.has(k)) s.extra[k] = v;
  return s;
}

export function stateToQuery(s: ProfileState): string {
  const q = new URLSearchParams();
  const d = defaultState();
  if (s.view !== d.view) q.set(KEYS.view, s.view);
  if (s.si) q.set(KEYS.si, s.si);
  if (s.zoom.length) q.set(KEYS.zoom, JSON.stringify(s.zoom));
  if (s.search) q.set(KEYS.search, s.search);
  if (s.focus) q.set(KEYS.focus, s.focus);
  if (s.ignore) q.set(KEYS.ignore, s.ignore);
  if (s.hide) q.set(KEYS.hide, s.hide);
  if (s.show) q.set(KEYS.show, s.show);
  if (s.showFrom) q.set(KEYS.showFrom, s.showFrom);
  for (const k of TAG_KEYS) if (s[k]) q.set(KEYS[k], s[k]);
  if (s.granularity) q.set(KEYS.granularity, s.granularity);
  if (s.icicle) q.set(KEYS.icicle, '1');
  if (s.fn) q.set(KEYS.fn, s.fn);
  if (s.sort !== d.sort) q.set(KEYS.sort, s.sort);
  if (s.filter) q.set(KEYS.filter, s.filter);
  if (s.panel) q.set(KEYS.panel, s.panel);
  for (const [k, v] of Object.entries(s.extra)) if (v && !RESERVED.has(k)) q.set(k, v);
  const text = q.toString();
  return text ? `?${text}` : '';
}

export function mergeState(s: ProfileState, partial: Partial<ProfileState>): ProfileState {
  const next: ProfileState = { ...s, ...partial, zoom: [...(partial.zoom ?? s.zoom)], extra: { ...s.extra } };
  if (partial.extra) {
    for (const [k, v] of Object.entries(partial.extra)) {
      if (v) next.extra[k] = v;
      else delete next.extra[k];
    }
  }
  return next;
}

/** API query for the data-affecting part of the state. */
export function apiParams(s: ProfileState): URLSearchParams {
  return queryParams({
    sampleIndex: s.si,
    granularity: s.granularity || undefined,
    focus: s.focus,
    ignore: s.ignore,
    hide: s.hide,
    show: s.show,
    showFrom: s.showFrom,
    tagFocus: s.tagFocus,
    tagIgnore: s.tagIgnore,
    tagRoot: s.tagRoot,
    tagLeaf: s.tagLeaf,
  });
}

/** A user search as a Go regexp (RE2: linear time, so a shared link cannot hang the tab); see searchRegexp. */
export const searchRegExp: (text: string) => GoRegexp | null = searchRegexp;
