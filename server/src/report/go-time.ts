// The Time: legend line as `go tool pprof` prints it, in the server's zone (TZ).
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * The Time: legend line's value. `go tool pprof` of Go 1.23 (the reference) formats it
 * as "Jan 2, 2006 at 3:04pm (MST)"; newer google/pprof uses "2006-01-02 15:04:05 MST"
 * (layout 'iso'). The zone is TZ's (the local zone), as in pprof.
 */
export function formatGoTime(
  nanos: bigint,
  timeZone?: string,
  layout: 'go123' | 'iso' = 'go123',
  /** Zone abbreviation as Go prints it (server: from tzdata); default: derived from Intl. */
  abbreviation?: (unixSec: number, offsetSec: number) => string | null,
): string {
  const ms = Number(nanos / 1000000n);
  const d = new Date(ms);
  // Building an Intl formatter costs tens of ms: skip it for UTC, and for an unset TZ
  // when the local offset is zero.
  const envTz = typeof process !== 'undefined' ? process.env?.TZ : undefined;
  const utcLocal = timeZone === undefined && (envTz === undefined || envTz === '' || envTz === 'UTC') && d.getTimezoneOffset() === 0;
  const tz = timeZone ?? (utcLocal ? 'UTC' : Intl.DateTimeFormat().resolvedOptions().timeZone);
  if (tz === 'UTC' || tz === 'Etc/UTC') {
    // Fast path (Intl formatter construction costs tens of ms).
    const p2 = (x: number): string => String(x).padStart(2, '0');
    const [Y, M, D, h, m, s] = [
      d.getUTCFullYear(),
      d.getUTCMonth() + 1,
      d.getUTCDate(),
      d.getUTCHours(),
      d.getUTCMinutes(),
      d.getUTCSeconds(),
    ];
    if (layout === 'iso') return `${Y}-${p2(M)}-${p2(D)} ${p2(h)}:${p2(m)}:${p2(s)} UTC`;
    return `${MONTHS[M - 1]} ${D}, ${Y} at ${h % 12 === 0 ? 12 : h % 12}:${p2(m)}${h < 12 ? 'am' : 'pm'} (UTC)`;
  }
  let fmt: Intl.DateTimeFormat;
  try {
    fmt = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
      timeZoneName: 'short',
    });
  } catch {
    // an unknown zone: Go falls back to UTC
    return formatGoTime(nanos, 'UTC', layout);
  }
  const parts = fmt.formatToParts(d);
  const get = (t: string): string => parts.find((p) => p.type === t)?.value ?? '';
  let zone = get('timeZoneName');
  if (tz === 'UTC' || tz === 'Etc/UTC') zone = 'UTC';
  if (abbreviation) {
    const local = Date.UTC(
      Number(get('year')),
      Number(get('month')) - 1,
      Number(get('day')),
      Number(get('hour')),
      Number(get('minute')),
      Number(get('second')),
    );
    const offsetSec = Math.round((local - Math.floor(ms / 1000) * 1000) / 1000);
    const a = abbreviation(Math.floor(ms / 1000), offsetSec);
    if (a) zone = a;
  }
  // Go prints numeric abbreviations like "+03" where no letters exist; Intl gives "GMT+3".
  const m = /^GMT([+-])(\d{1,2})(?::(\d{2}))?$/.exec(zone);
  if (m) zone = m[1] + m[2].padStart(2, '0') + (m[3] && m[3] !== '00' ? m[3] : '');
  if (layout === 'iso') {
    return `${get('year')}-${get('month')}-${get('day')} ${get('hour')}:${get('minute')}:${get('second')} ${zone}`;
  }
  const h24 = Number(get('hour'));
  const h12 = h24 % 12 === 0 ? 12 : h24 % 12;
  const ampm = h24 < 12 ? 'am' : 'pm';
  return `${MONTHS[Number(get('month')) - 1]} ${Number(get('day'))}, ${get('year')} at ${h12}:${get('minute')}${ampm} (${zone})`;
}
