// The analysis work itself: decode (once per profile, cached by byte budget) and compute
// view models (core views and the feature routes' insights/diff views). Runs inside each
// worker thread, and on the HTTP thread with --workers 0.
import { decodeProfile } from '../decode/index.js';
import type { Profile } from '../model/profile.js';
import {
  computeFlameGraph,
  computeSourceListing,
  computeTop,
  prepareProfile,
  profileMeta,
} from '../report/index.js';
import type { ServerConfig } from '../service/config.js';
import { NotFoundError } from '../service/errors.js';
import { createSourceReader } from '../source/index.js';
import type { ProfileStore } from '../store/types.js';
import { annotateSourceListing } from './source-ops.js';
import { combineProfiles } from '../analysis/merge.js';
import { mergeShares } from '../report/merge-shares.js';
import { diffFlameJson, diffTopBody, goroutinesBody, insightsBody, profileFiles } from './feature-ops.js';
import { computeTags } from '../report/tags.js';
import { ByteLru } from './lru.js';
import { exportFile } from '../export/index.js';
import { sanitiseProfile } from '../export/sanitise.js';
import { encodeProfileGzip } from '../encode/pprof.js';
import { toJson, type AnalysisResult, type AnalysisTask } from './protocol.js';

/**
 * Memory a decoded profile takes, from its stored bytes. Measured: the 280k-sample
 * largeheap profile (8.1 MB of protobuf, 0.77 MB gzipped) takes ~145 MB decoded, ~18x its
 * protobuf size. Gzip input is sized by its trailer (ISIZE, the inflated size mod 2^32).
 */
export function estimateDecodedBytes(bytes: Uint8Array): number {
  let raw = bytes.length;
  if (bytes.length >= 18 && bytes[0] === 0x1f && bytes[1] === 0x8b) {
    const n = bytes.length;
    const isize = (bytes[n - 4] | (bytes[n - 3] << 8) | (bytes[n - 2] << 16) | (bytes[n - 1] << 24)) >>> 0;
    raw = Math.max(isize, bytes.length * 4);
  }
  return raw * 20 + 64 * 1024;
}

/** Bytes that own their whole ArrayBuffer, so moving them to another thread moves nothing else. */
function ownBuffer(b: Uint8Array): Uint8Array {
  return b.byteOffset === 0 && b.byteLength === b.buffer.byteLength ? b : b.slice();
}

export class AnalysisCore {
  private cache: ByteLru<Profile>;
  private loading = new Map<string, Promise<Profile>>();
  /** Decodes performed (tests check that cached profiles are not decoded again). */
  decodes = 0;

  constructor(
    private store: ProfileStore,
    private config: ServerConfig,
    cacheBytes: number,
  ) {
    this.cache = new ByteLru<Profile>(cacheBytes);
  }

  decode(id: string, bytes: Uint8Array): Profile {
    this.decodes++;
    const p = prepareProfile(decodeProfile(bytes, { maxInflatedBytes: this.config.maxInflatedBytes }));
    this.cache.set(id, p, estimateDecodedBytes(bytes));
    return p;
  }

  load(id: string): Promise<Profile> {
    const hit = this.cache.get(id);
    if (hit) return Promise.resolve(hit);
    let p = this.loading.get(id);
    if (!p) {
      p = (async () => {
        const bytes = await this.store.get(id);
        if (!bytes) throw new NotFoundError(`no profile with id ${id}`);
        return this.decode(id, bytes);
      })().finally(() => this.loading.delete(id));
      this.loading.set(id, p);
    }
    return p;
  }

  /** Drops a profile's decoded copy; views derived from it are keyed by that object and go too. */
  evict(id: string): boolean {
    this.loading.delete(id);
    return this.cache.delete(id);
  }

  async run(task: AnalysisTask): Promise<AnalysisResult> {
    switch (task.op) {
      case 'evict':
        return { json: JSON.stringify(this.evict(task.id)) };
      case 'sanitise': {
        const { profile, report } = sanitiseProfile(await this.load(task.id), { modulePaths: task.modulePaths });
        return task.preview ? { json: toJson(report) } : { file: ownBuffer(encodeProfileGzip(profile)) };
      }
      case 'export':
        return { file: ownBuffer(exportFile(await this.load(task.id), task.query, task.format, task.name, task.view)) };
      case 'ingest': {
        const p = this.cache.get(task.id) ?? this.decode(task.id, task.bytes);
        return { meta: profileMeta(p), bytes: task.bytes };
      }
      case 'meta':
        return { meta: profileMeta(await this.load(task.id)) };
      case 'top':
        return { json: toJson(computeTop(await this.load(task.id), task.query, task.opts)) };
      case 'flame':
        return {
          json: toJson(
            computeFlameGraph(await this.load(task.id), task.query, { minFraction: task.minFraction, path: task.path }),
          ),
        };
      case 'source': {
        const p = await this.load(task.id);
        const env = {
          config: this.config,
          getAttachment: (id: string, key: string) => this.store.getAttachment(id, key),
        };
        const reader = await createSourceReader(task.id, this.config, env, p);
        const listing = computeSourceListing(p, task.query, task.fn, reader);
        return { json: toJson(await annotateSourceListing(task.id, listing, env)) };
      }
      case 'insights':
        return { json: toJson(insightsBody(task.id, await this.load(task.id), task.si)) };
      case 'diffTop': {
        const [newer, base] = await Promise.all([this.load(task.id), this.load(task.baseId)]);
        return { json: toJson(diffTopBody(task.id, task.baseId, newer, base, task.query, task.opts)) };
      }
      case 'diffFlame': {
        const [newer, base] = await Promise.all([this.load(task.id), this.load(task.baseId)]);
        return { json: diffFlameJson(task.id, task.baseId, newer, base, task.query, task.opts) };
      }
      case 'files':
        return { json: toJson(profileFiles(await this.load(task.id))) };
      case 'tags':
        return { json: toJson(computeTags(await this.load(task.id), task.query, { unit: task.unit, maxValues: task.maxValues })) };
      case 'goroutines': {
        const [p, base] = await Promise.all([this.load(task.id), task.baseId ? this.load(task.baseId) : undefined]);
        return { json: toJson(goroutinesBody(task.id, p, task.filter, base, task.baseId)) };
      }
      case 'merge': {
        const merged = combineProfiles(await Promise.all(task.ids.map((id) => this.load(id))));
        return { meta: profileMeta(merged), bytes: encodeProfileGzip(merged) };
      }
      case 'mergeShares': {
        const inputs = await Promise.all(task.inputs.map((id) => this.load(id)));
        return { json: toJson(mergeShares(task.inputs, inputs, task.query, task.path)) };
      }
    }
  }
}
