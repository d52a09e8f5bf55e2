// Memory budget of an analysis worker: what a decoded profile and a view may take before
// the request is refused with 413, instead of the worker (or the machine) running out
// of memory. Sizes are estimates from the decoded structure, measured with
// process.memoryUsage() around decodes (see bench/RESULTS.md, "Huge profiles").
import type { Profile } from '../model/profile.js';
import { HttpError } from '../service/errors.js';

export { DEFAULT_MEMORY_BUDGET_MB } from '../service/config.js';

/** Measured: a Sample object with its location and value arrays, 300-700 bytes. */
const SAMPLE_OBJECT_BYTES = 700;
/** A Location or Function object with its Line array and strings. */
const OBJECT_BYTES = 240;

const MB = 1024 * 1024;
const mb = (n: number): string => `${Math.ceil(n / MB)} MB`;

/**
 * Least memory decoding a profile of this inflated size takes: the decoder's columns hold
 * every stack entry as 4 bytes when the profile has over 65,536 locations (1-3 bytes each
 * in the protobuf); measured 2.2-2.4x the inflated size on such CPU profiles, up to 9x on
 * heap profiles with a label per sample. Fewer locations take 1 or 2 bytes an entry, so
 * this bound is then generous.
 */
export function minDecodedBytes(inflated: number): number {
  return inflated * 2 + 64 * 1024;
}

/** Memory a decoded profile holds, from its structure (columns, objects, labels). */
export function decodedBytes(p: Profile): number {
  let bytes = 64 * 1024 + (p.location.length + p.function.length + p.mapping.length) * OBJECT_BYTES;
  const c = p.columns;
  if (c) {
    bytes += c.stack.byteLength + c.stackStart.byteLength + c.values.byteLength;
    // label maps: an object and an array per labelled sample
    // (labelKinds: known without building the maps, which the decoder defers)
    if (c.labelKinds ? c.labelKinds.str : c.label) bytes += c.n * 120;
    if (c.labelKinds ? c.labelKinds.num : c.numLabel) bytes += c.n * 160;
  } else {
    bytes += p.sample.length * SAMPLE_OBJECT_BYTES;
  }
  if (p.exactValues) bytes += p.exactValues.length * 64;
  return bytes;
}

/** Samples of a decoded profile (without building the Sample objects). */
export function sampleCount(p: Profile): number {
  return p.columns ? p.columns.n : p.sample.length;
}

export class MemoryBudget {
  constructor(readonly bytes: number) {}

  private refuse(what: string, need: number): never {
    throw new HttpError(
      413,
      `${what} needs about ${mb(need)}, over the analysis memory budget of ${mb(this.bytes)} per worker ` + '(serve --memory-mb raises it)',
    );
  }

  /** Before decoding, once inflated (gzip's own size field is not trusted: it may lie). */
  checkInflated(inflated: number): void {
    const need = minDecodedBytes(inflated);
    if (need > this.bytes) this.refuse(`this profile (${mb(inflated)} inflated) once decoded`, need);
  }

  /** After decoding: the decoded profile itself. */
  checkDecoded(p: Profile): void {
    const need = decodedBytes(p);
    if (need > this.bytes) this.refuse(`this profile (${sampleCount(p)} samples) once decoded`, need);
  }

  /**
   * Views that build one object per sample (insights, comparisons, tag filters):
   * refused when those objects would not fit beside the decoded profile.
   */
  checkSampleObjects(p: Profile, view: string): void {
    if (!p.columns) return; // already built
    const need = decodedBytes(p) + sampleCount(p) * SAMPLE_OBJECT_BYTES;
    if (need > this.bytes) this.refuse(`${view} of this profile (${sampleCount(p)} samples)`, need);
  }
}
