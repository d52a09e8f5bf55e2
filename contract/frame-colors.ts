// Flame graph frame colours by package, shared by the web UI (web/src/views/flamegraph.ts)
// and the exports drawn on the server (server/src/export/html-snapshot.ts), so both look alike.

/** Package of a Go-style function name: text before the first '.' after the last '/'. */
export function packageOf(name: string): string {
  const slash = name.lastIndexOf('/');
  const rest = name.slice(slash + 1);
  const dot = rest.search(/\.|::/);
  const pkg = dot > 0 ? name.slice(0, slash + 1 + dot) : slash >= 0 ? name.slice(0, slash) : '';
  return pkg.replace(/^\(|\*$/, '');
}

function hash32(s: string): number {
  // FNV-1a: stable hue per package across sessions and profiles.
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

// Fixed hues for the packages on nearly every Go stack, so they read the same everywhere.
const FIXED_HUES: Record<string, number> = {
  main: 24,
  runtime: 205,
  sync: 150,
  syscall: 265,
  reflect: 290,
  fmt: 50,
  strings: 95,
  bytes: 110,
};

export function packageHue(pkg: string): number {
  const fixed = FIXED_HUES[pkg];
  if (fixed !== undefined) return fixed;
  return (hash32(pkg) % 3600) / 10;
}

export function frameColor(pkg: string, dark: boolean): string {
  const hue = packageHue(pkg);
  return dark ? `hsl(${hue.toFixed(0)} 40% 34%)` : `hsl(${hue.toFixed(0)} 70% 78%)`;
}
