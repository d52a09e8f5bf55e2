// speedscope's file format (https://www.speedscope.app/file-format-schema.json): one
// "sampled" profile whose samples are the view's merged stacks, weighted by their values.
import type { ExportStacks } from './stacks.js';

type SpeedscopeUnit = 'none' | 'nanoseconds' | 'microseconds' | 'milliseconds' | 'seconds' | 'bytes';

/** pprof units speedscope knows; anything else (counts) is unitless. */
function unitOf(unit: string): SpeedscopeUnit {
  switch (unit) {
    case 'nanoseconds':
    case 'microseconds':
    case 'milliseconds':
    case 'seconds':
    case 'bytes':
      return unit;
    default:
      return 'none';
  }
}

export interface SpeedscopeFile {
  $schema: 'https://www.speedscope.app/file-format-schema.json';
  shared: { frames: { name: string }[] };
  profiles: {
    type: 'sampled';
    name: string;
    unit: SpeedscopeUnit;
    startValue: number;
    endValue: number;
    samples: number[][];
    weights: number[];
  }[];
  name: string;
  activeProfileIndex: number;
  exporter: string;
}

export function speedscopeFile(s: ExportStacks, name: string): SpeedscopeFile {
  const kept = s.stacks.filter((st) => st.frames.length > 0);
  const title = s.activeFilters.length ? `${name} ${s.sampleType} (${s.activeFilters.join(' ')})` : `${name} ${s.sampleType}`;
  return {
    $schema: 'https://www.speedscope.app/file-format-schema.json',
    shared: { frames: s.frames.map((f) => ({ name: f })) },
    profiles: [
      {
        type: 'sampled',
        name: title,
        unit: unitOf(s.unit),
        startValue: 0,
        endValue: kept.reduce((a, st) => a + st.value, 0),
        // Stacks root first, as the format wants.
        samples: kept.map((st) => st.frames),
        weights: kept.map((st) => st.value),
      },
    ],
    name: title,
    activeProfileIndex: 0,
    exporter: 'pprof-lens',
  };
}
