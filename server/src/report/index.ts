// Engine entry points (contract: /work/team/API.md). Pure functions over a decoded Profile.
import type { Profile } from '../model/profile.js';
import type { Query, TopOptions } from '../model/query.js';
import type { FlameGraph, ProfileMeta, SourceListing, TopReport } from '../model/views.js';

/** Supplies source text for `list`; `tried` names the paths looked at (for the "missing" hint). */
export interface SourceReader {
  read(file: string): { text: string | null; tried: string[] };
}

export function prepareProfile(p: Profile): Profile {
  throw new Error('not implemented');
}
export function resolveSampleIndex(p: Profile, si?: string): number {
  throw new Error('not implemented');
}
export function profileMeta(p: Profile): ProfileMeta {
  throw new Error('not implemented');
}
export function computeTop(p: Profile, q: Query, opts?: TopOptions): TopReport {
  throw new Error('not implemented');
}
export function formatTopText(report: TopReport): string {
  throw new Error('not implemented');
}
export function computeFlameGraph(p: Profile, q: Query, opts?: { minFraction?: number; path?: string[] }): FlameGraph {
  throw new Error('not implemented');
}
export function computeSourceListing(p: Profile, q: Query, fnRegex: string, reader: SourceReader): SourceListing {
  throw new Error('not implemented');
}
export function formatListText(listing: SourceListing): string {
  throw new Error('not implemented');
}
