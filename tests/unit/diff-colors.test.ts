// The differential colour scale: what the legend promises (grow = palette's grow hue,
// shrink = its shrink hue, unchanged = neutral grey, vanished = full shrink colour).
import { describe, expect, it } from 'vitest';
import { changeColor, changeText, PALETTES, relativeChange } from '../../web/src/views/compare/colors.js';

const rgb = (c: [number, number, number]) => `rgb(${c.join(', ')})`;

describe('differential colours', () => {
  it('relative change is the delta over the larger side, clamped to [-1, 1]', () => {
    expect(relativeChange(0, 0)).toBe(0);
    expect(relativeChange(10, 0)).toBe(1); // appeared
    expect(relativeChange(0, 10)).toBe(-1); // vanished
    expect(relativeChange(10, 5)).toBe(0.5); // doubled
    expect(relativeChange(5, 10)).toBe(-0.5); // halved
    expect(relativeChange(7, 7)).toBe(0);
  });

  for (const p of Object.values(PALETTES)) {
    it(`${p.id}: full growth and full shrink are the palette's two hues, no change is grey`, () => {
      expect(changeColor(1, p.id, false)).toBe(rgb(p.grow));
      expect(changeColor(-1, p.id, false)).toBe(rgb(p.shrink));
      expect(changeColor(0, p.id, false)).toBe('rgb(224, 224, 224)');
      expect(changeColor(0, p.id, true)).toBe('rgb(70, 70, 70)');
      // Intensity grows with the size of the change.
      const dist = (r: number) => {
        const [x, y, z] = changeColor(r, p.id, false).match(/\d+/g)!.map(Number) as [number, number, number];
        return Math.hypot(x - 224, y - 224, z - 224);
      };
      expect(dist(0.1)).toBeLessThan(dist(0.5));
      expect(dist(0.5)).toBeLessThan(dist(1));
    });
  }

  it('the colour-blind palette avoids red/green', () => {
    expect(PALETTES.cb.growName).toBe('orange');
    expect(PALETTES.cb.shrinkName).toBe('blue');
  });

  it('change text', () => {
    expect(changeText(0, 0)).toBe('0%');
    expect(changeText(5, 0)).toBe('new');
    expect(changeText(0, 5)).toBe('gone');
    expect(changeText(15, 10)).toBe('+50%');
    expect(changeText(9.5, 10)).toBe('-5.0%');
  });
});
