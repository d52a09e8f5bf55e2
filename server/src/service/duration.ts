// Durations as people type them on a command line: "30d", "12h", "1d12h", "90m", "2w";
// "0" or "off" means none.
const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** Milliseconds, or null when `text` is not a duration. */
export function parseDuration(text: string): number | null {
  const t = text.trim().toLowerCase();
  if (t === '0' || t === 'off' || t === 'never') return 0;
  if (!/^(\d{1,6}[smhdw])+$/.test(t)) return null;
  let ms = 0;
  for (const m of t.matchAll(/(\d+)([smhdw])/g)) ms += Number(m[1]) * UNIT_MS[m[2]];
  return ms;
}

export const DEFAULT_SHARED_RETENTION_MS = 30 * UNIT_MS.d;
