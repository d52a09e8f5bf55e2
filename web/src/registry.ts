// The registry behind web/src/features.ts (see the documentation block there).
// Kept in its own module so feature modules can register while features.ts is
// still importing them (ES module cycles would otherwise hit uninitialised bindings).
import type { GoRegexp } from '../../contract/go-regexp.js';
import type { ProfileMeta } from '../../contract/views.js';
import type { Granularity } from '../../contract/query.js';

/** ProfileMeta as GET /api/profiles/:id returns it (meta plus store info). */
export interface ProfileInfo extends ProfileMeta {
  id: string;
  name: string;
  size: number;
  storedAt: string;
  /** When the server deletes it; null = kept until deleted. */
  expiresAt?: string | null;
  /** Whether this caller may rename, re-expire or delete it. */
  canManage?: boolean;
}

/** Everything a user can change on the profile page; all of it lives in the URL query. */
export interface ProfileState {
  /** Active tab: 'flame' | 'top' | 'source' | a registered view id. */
  view: string;
  /** Sample type name; '' = the profile's default. */
  si: string;
  /** Zoomed frame: names from the root's child down; [] = not zoomed. */
  zoom: string[];
  /** Search text (a regexp; invalid ones fall back to a literal match). */
  search: string;
  /** pprof filters (regexps), as the API's focus/ignore/hide/show/showFrom. */
  focus: string;
  ignore: string;
  hide: string;
  show: string;
  showFrom: string;
  /** pprof -tagfocus / -tagignore (`[key=]value`, numeric ranges) and -tagroot / -tagleaf (label keys). */
  tagFocus: string;
  tagIgnore: string;
  tagRoot: string;
  tagLeaf: string;
  /** '' = the server's default for the view. */
  granularity: Granularity | '';
  /** true = icicle (root at top); false = flame (root at bottom). */
  icicle: boolean;
  /** Function (regexp) shown in the Source tab. */
  fn: string;
  /** Top table: sort column and filter text. */
  sort: 'flat' | 'cum' | 'name';
  filter: string;
  /** Open side panel id ('' = none). */
  panel: string;
  /**
   * Query parameters owned by features (e.g. the compare view's `base`). Keys must
   * not clash with the short names above (v, si, z, q, f, i, h, s, sf, tagfocus, tagignore,
   * tagroot, tagleaf, g, icicle, fn, sort, tf, panel). Set a key to '' to remove it.
   */
  extra: Record<string, string>;
}

export type Cleanup = () => void;

/** Handed to every panel and view mounted on the profile page `/p/:id`. */
export interface ProfilePageContext {
  readonly profileId: string;
  readonly meta: ProfileInfo;
  /** The current state (a fresh copy each call). */
  state(): ProfileState;
  /** Merge into the state; pushes a history entry unless `replace`. Re-renders what changed. */
  setState(partial: Partial<ProfileState>, opts?: { replace?: boolean }): void;
  /** Called after every state change (also back/forward). Returns an unsubscribe function. */
  onStateChange(cb: (state: ProfileState, prev: ProfileState) => void): Cleanup;
  /**
   * Highlight frames in the flame graph: a Go regexp, a list of exact frame names, or null
   * to clear. Does not change the URL (use setState({search}) for that).
   */
  highlight(match: GoRegexp | string[] | null): void;
  /** Switch to the Source tab for a function name (quoted to an exact regexp). */
  openSource(fn: string): void;
  /** Query string for API calls carrying the current sample type, filters and granularity. */
  apiParams(): URLSearchParams;
  /** Formatting in pprof's style for the current sample type's unit. */
  formatValue(v: number): string;
  /** pprof's percentage text (e.g. "12.50%"), relative to `total`. */
  formatPercent(v: number, total: number): string;
}

export interface PanelFeature {
  id: string;
  title: string;
  /** Lower first; built-ins use 0-9. */
  order?: number;
  /** Return false to hide the panel for this profile (e.g. Insights for a non-Go profile). */
  available?(meta: ProfileInfo): boolean;
  /** Called when the panel is first opened; `el` is an empty container. */
  mount(el: HTMLElement, ctx: ProfilePageContext): void | Cleanup;
}

export interface ViewFeature {
  id: string;
  title: string;
  order?: number;
  available?(meta: ProfileInfo): boolean;
  /** Called when the tab is first selected; `el` stays in the DOM (hidden) when another tab is active. */
  mount(el: HTMLElement, ctx: ProfilePageContext): void | Cleanup;
}

export interface StartPageContext {
  /** Navigate to a stored profile (optionally with extra query, e.g. "?v=top"). */
  openProfile(id: string, query?: string): void;
  /** Re-read the stored profiles list. */
  refreshList(): void;
  /** Navigate to any app path (pushState, no reload). */
  navigate(path: string): void;
}

export interface StartSectionFeature {
  id: string;
  order?: number;
  mount(el: HTMLElement, ctx: StartPageContext): void | Cleanup;
}

/** A whole page at its own path, e.g. `/concepts/:slug` or `/watch/:id`. */
export interface PageFeature {
  id: string;
  /** Returns route params when this page handles `pathname`, else null. */
  match(pathname: string): Record<string, string> | null;
  /** Document title. */
  title?(params: Record<string, string>): string;
  mount(el: HTMLElement, params: Record<string, string>, nav: StartPageContext): void | Cleanup;
}

/** Extra controls on the Source tab's toolbar (e.g. "Upload sources", "Upload -m output"). */
export interface SourceToolFeature {
  id: string;
  order?: number;
  mount(el: HTMLElement, ctx: ProfilePageContext): void | Cleanup;
}

const panels: PanelFeature[] = [];
const views: ViewFeature[] = [];
const startSections: StartSectionFeature[] = [];
const pages: PageFeature[] = [];
const sourceTools: SourceToolFeature[] = [];

function add<T extends { id: string; order?: number }>(list: T[], item: T): void {
  const i = list.findIndex((x) => x.id === item.id);
  if (i >= 0) list.splice(i, 1);
  list.push(item);
  list.sort((a, b) => (a.order ?? 50) - (b.order ?? 50));
}

export function registerPanel(p: PanelFeature): void {
  add(panels, p);
}
export function registerView(v: ViewFeature): void {
  add(views, v);
}
export function registerStartSection(s: StartSectionFeature): void {
  add(startSections, s);
}
export function registerPage(p: PageFeature): void {
  add(pages, p);
}
export function registerSourceTool(t: SourceToolFeature): void {
  add(sourceTools, t);
}

export function registeredPanels(): readonly PanelFeature[] {
  return panels;
}
export function registeredViews(): readonly ViewFeature[] {
  return views;
}
export function registeredStartSections(): readonly StartSectionFeature[] {
  return startSections;
}
export function registeredPages(): readonly PageFeature[] {
  return pages;
}
export function registeredSourceTools(): readonly SourceToolFeature[] {
  return sourceTools;
}
