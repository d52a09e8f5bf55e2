// Reads the HTML index that net/http/pprof serves at /debug/pprof/ into a list of
// profiles the target offers. Pure; tolerant of small markup differences between
// Go versions (rows "<td>COUNT</td><td><a href='NAME?debug=1'>NAME</a>").
import type { TargetProfile, TargetProfileKind } from '../../../contract/capture.js';

const STANDARD_ORDER = ['profile', 'heap', 'allocs', 'goroutine', 'mutex', 'block', 'threadcreate'];
const UNSUPPORTED: Record<string, string> = {
  cmdline: 'command line, not a profile',
  symbol: 'symbol lookup, not a profile',
  trace: 'execution trace: open it with go tool trace',
};

function decodeEntities(s: string): string {
  return s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#0*39;/g, "'")
    .replace(/&#x0*27;/gi, "'")
    .replace(/&amp;/g, '&');
}

/** Parses the index page; returns [] when the page is not a pprof index. */
export function parsePprofIndex(html: string): TargetProfile[] {
  const rows = new Map<string, number | null>();
  const rowRe = /<tr>\s*<td>\s*(\d*)\s*<\/td>\s*<td>\s*<a\s+href\s*=\s*['"]([^'"?]+)\?debug=1['"]\s*>([^<]*)<\/a>/gi;
  for (const m of html.matchAll(rowRe)) {
    const name = decodeEntities(m[3] ?? '').trim();
    if (name === '') continue;
    rows.set(name, m[1] ? Number(m[1]) : null);
  }
  const descriptions = new Map<string, string>();
  const descRe = /<li>\s*<div class=['"]?profile-name['"]?>([^<]*?):\s*<\/div>([^<]*)<\/li>/gi;
  for (const m of html.matchAll(descRe)) {
    descriptions.set(decodeEntities(m[1] ?? '').trim(), decodeEntities(m[2] ?? '').trim());
  }
  const out: TargetProfile[] = [];
  for (const [name, count] of rows) {
    const kind: TargetProfileKind = UNSUPPORTED[name] ? 'unsupported' : name === 'profile' ? 'cpu' : 'snapshot';
    const p: TargetProfile = { name, count: kind === 'snapshot' ? count : null, description: descriptions.get(name) ?? '', kind };
    if (UNSUPPORTED[name]) p.note = UNSUPPORTED[name];
    out.push(p);
  }
  // Standard profiles first in a fixed order, then custom ones by name, unsupported last.
  const rank = (p: TargetProfile): number => {
    if (p.kind === 'unsupported') return 1000;
    const i = STANDARD_ORDER.indexOf(p.name);
    return i >= 0 ? i : 100;
  };
  out.sort((a, b) => rank(a) - rank(b) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return out;
}
