// Colours of the differential flame graph. A frame's colour says how it changed between
// base and new: growth one hue, shrink another, grey for no change; the intensity is the
// change relative to the frame's larger side, so a frame that doubled and one that
// appeared are both clearly red, and a frame that vanished is fully the shrink colour.

export type Palette = 'redgreen' | 'cb';

export interface PaletteInfo {
  id: Palette;
  label: string;
  grow: [number, number, number];
  shrink: [number, number, number];
  growName: string;
  shrinkName: string;
}

export const PALETTES: Record<Palette, PaletteInfo> = {
  redgreen: { id: 'redgreen', label: 'Red / green', grow: [214, 39, 40], shrink: [44, 160, 44], growName: 'red', shrinkName: 'green' },
  // Orange/blue stays distinct for deuteranopia, protanopia and tritanopia (Okabe-Ito hues).
  cb: {
    id: 'cb',
    label: 'Orange / blue (colour-blind safe)',
    grow: [213, 94, 0],
    shrink: [0, 114, 178],
    growName: 'orange',
    shrinkName: 'blue',
  },
};

/** Change of a frame relative to its larger side, in [-1, 1] (0 when both are 0). */
export function relativeChange(value: number, base: number): number {
  const m = Math.max(Math.abs(value), Math.abs(base));
  if (m === 0) return 0;
  return Math.max(-1, Math.min(1, (value - base) / m));
}

const NEUTRAL_LIGHT: [number, number, number] = [224, 224, 224];
const NEUTRAL_DARK: [number, number, number] = [70, 70, 70];

/** Fill colour for a relative change r in [-1, 1]. */
export function changeColor(r: number, palette: Palette, dark: boolean): string {
  const p = PALETTES[palette];
  const from = dark ? NEUTRAL_DARK : NEUTRAL_LIGHT;
  const to = r >= 0 ? p.grow : p.shrink;
  // sqrt makes small changes visible without saturating large ones.
  const t = Math.sqrt(Math.min(1, Math.abs(r)));
  const c = from.map((f, i) => Math.round(f + (to[i]! - f) * t));
  return `rgb(${c[0]}, ${c[1]}, ${c[2]})`;
}

/** "+12.5%" / "-3%" / "new" / "gone": the relative change as a person reads it. */
export function changeText(value: number, base: number): string {
  if (base === 0 && value === 0) return '0%';
  if (base === 0) return 'new';
  if (value === 0) return 'gone';
  const pct = ((value - base) / Math.abs(base)) * 100;
  const s = Math.abs(pct) >= 10 ? pct.toFixed(0) : pct.toFixed(1);
  return `${pct > 0 ? '+' : ''}${s}%`;
}
