// The analysis work itself: decode (once per profile, cached by byte budget) and compute
// view models (core views and the feature routes' insights/diff views). Runs inside each
// worker thread, and on the HTTP thread with --workers 0.
import { decodeProfile } from '../decode/index.js';
import type { Profile } from '../model/profile.js';
import {
  computeCallGraph,
  computeFlameGraph,
  computePeek,
  computeSandwich,
  flameGraphJson,
  prepareFlame,
  computeSourceListing,
  prepareProfile,
  prepareTop,
  topRows,
  type TopTable,
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
import { DEFAULT_MEMORY_BUDGET_MB, decodedBytes, MemoryBudget } from './budget.js';
import { ByteLru } from './lru.js';
import { exportFile } from '../export/index.js';
import { sanitiseProfile } from '../export/sanitise.js';
import { encodeProfileGzip } from '../encode/pprof.js';
import type { AnalysisResult, AnalysisTask } from './protocol.js';
import { toJson } from '../model/json-text.js';
import { noStage, type StageSink } from './progress.js';
import { topPage } from '../report/top-page.js';

/**
 * The page header's total: the web asks for `top?n=1`, which http/query-params.ts
 * parseTopOptions reads as these options, in this order (the view cache's key).
 */
const HEADER_TOTAL = { nodeFraction: 0, nodeCount: 1, sort: 'flat' } as const;

/** Bytes that own their whole ArrayBuffer, so moving them to another thread moves nothing else. */
function ownBuffer(b: Uint8Array): Uint8Array {
  return b.byteOffset === 0 && b.byteLength === b.buffer.byteLength ? b : b.slice();
}

export class AnalysisCore {
  private cache: ByteLru<Profile>;
  /**
   * View JSON by task (top, flame graph): reopening a link or going back to a view sends
   * the same text again without recomputing it. Profiles are immutable by id.
   */
  private views: ByteLru<string>;
  private tops: ByteLru<TopTable>;
  readonly budget: MemoryBudget;
  private loading = new Map<string, Promise<Profile>>();
  /** Decodes performed (tests check that cached profiles are not decoded again). */
  decodes = 0;

  constructor(
    private store: ProfileStore,
    private config: ServerConfig,
    cacheBytes: number,
  ) {
    this.cache = new ByteLru<Profile>(cacheBytes);
    this.views = new ByteLru<string>(Math.min(64 * 1024 * 1024, Math.floor(cacheBytes / 8)));
    this.tops = new ByteLru<TopTable>(Math.min(64 * 1024 * 1024, Math.floor(cacheBytes / 8)));
    this.budget = new MemoryBudget(config.memoryBudgetBytes ?? DEFAULT_MEMORY_BUDGET_MB * 1024 * 1024);
  }

  /** `stage`: progress reports (workers/progress.ts); the same calls below in load and run. */
  decode(id: string, bytes: Uint8Array, stage: StageSink = noStage): Profile {
    this.decodes++;
    stage('inflating');
    const decoded = decodeProfile(bytes, {
      maxInflatedBytes: this.config.maxInflatedBytes,
      beforeDecode: (n) => {
        this.budget.checkInflated(n);
        stage('decoding');
      },
    });
    stage('preparing');
    const p = prepareProfile(decoded);
    this.budget.checkDecoded(p);
    this.cache.set(id, p, decodedBytes(p));
    return p;
  }

  /** Drops every cached profile and view but the most recent ones (memory pressure). */
  relieve(): void {
    this.cache.trim(1);
    this.views.trim(0);
    this.tops.trim(0);
  }

  /** The top table of a task, rows made per page (kept: its pages and the whole table share it). */
  private async topTable(task: AnalysisTask & { op: 'top' }, stage: StageSink = noStage): Promise<TopTable> {
    const key = JSON.stringify(task);
    const hit = this.tops.get(key);
    if (hit) return hit;
    const t = prepareTop(await this.load(task.id, stage), task.query, task.opts);
    this.tops.set(key, t, t.bytes);
    return t;
  }

  private async cachedView(task: AnalysisTask, make: () => Promise<string>): Promise<AnalysisResult> {
    const key = JSON.stringify(task);
    const hit = this.views.get(key);
    if (hit !== undefined) return { json: hit };
    const json = await make();
    this.views.set(key, json, json.length * 2 + 256);
    return { json };
  }

  /** `stage`: told 'building' once the profile is at hand (what follows is the view's work). */
  load(id: string, stage: StageSink = noStage): Promise<Profile> {
    const hit = this.cache.get(id);
    if (hit) {
      stage('building');
      return Promise.resolve(hit);
    }
    let p = this.loading.get(id);
    if (!p) {
      p = (async () => {
        stage('reading');
        const bytes = await this.store.get(id);
        if (!bytes) throw new NotFoundError(`no profile with id ${id}`);
        return this.decode(id, bytes, stage);
      })().finally(() => this.loading.delete(id));
      this.loading.set(id, p);
    }
    return p.then((profile) => (stage('building'), profile));
  }

  /** Drops a profile's decoded copy; views derived from it are keyed by that object and go too. */
  evict(id: string): boolean {
    this.loading.delete(id);
    // Views and top reports are keyed by their task; deletes are rare, so drop them all.
    this.views.trim(0);
    this.tops.trim(0);
    return this.cache.delete(id);
  }

  async run(task: AnalysisTask, stage: StageSink = noStage): Promise<AnalysisResult> {
    switch (task.op) {
      case 'evict':
        return { json: JSON.stringify(this.evict(task.id)) };
      case 'sanitise': {
        const { profile, report } = sanitiseProfile(await this.load(task.id), { modulePaths: task.modulePaths });
        return task.preview ? { json: toJson(report) } : { file: ownBuffer(encodeProfileGzip(profile)) };
      }
      case 'export':
        return { file: ownBuffer(await exportFile(await this.load(task.id), task.query, task.format, task.name, task.view)) };
      case 'ingest': {
        const p = this.cache.get(task.id) ?? this.decode(task.id, task.bytes, stage);
        return { meta: profileMeta(p), bytes: task.bytes };
      }
      case 'meta':
        return { meta: profileMeta(await this.load(task.id, stage)) };
      case 'top': {
        const { page, ...whole } = task;
        if (!page) return this.cachedView(task, async () => toJson(topRows(await this.topTable(whole, stage))));
        return { json: toJson(topPage(await this.topTable(whole, stage), page)) };
      }
      case 'flame':
        return this.cachedView(task, async () => {
          const fg = computeFlameGraph(await this.load(task.id, stage), task.query, { minFraction: task.minFraction, path: task.path });
          stage('encoding');
          return flameGraphJson(fg);
        });
      case 'warm':
        // The header's answer itself, kept with the views: the page's request for it is then
        // answered at once, and the flame graph queued behind it (pool.ts taskRank) waits for nothing.
        if (task.view === 'top') await this.run({ op: 'top', id: task.id, query: task.query, opts: { ...HEADER_TOTAL } }, stage);
        else prepareFlame(await this.load(task.id, stage), task.query);
        return { json: 'null' };
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
      case 'peek':
        return { json: toJson(computePeek(await this.load(task.id), task.query, task.re, task.opts)) };
      case 'graph':
        return { json: toJson(computeCallGraph(await this.load(task.id), task.query, task.opts)) };
      case 'sandwich':
        return {
          json: toJson(computeSandwich(await this.load(task.id), task.query, task.fn, { minFraction: task.minFraction })),
        };
      case 'insights': {
        const [p, base] = await Promise.all([this.load(task.id), task.baseId ? this.load(task.baseId) : undefined]);
        this.budget.checkSampleObjects(p, 'insights');
        if (base) this.budget.checkSampleObjects(base, 'insights');
        return { json: toJson(insightsBody(task.id, p, task.si, { name: task.name, base, baseId: task.baseId })) };
      }
      case 'diffTop': {
        const [newer, base] = await Promise.all([this.load(task.id), this.load(task.baseId)]);
        this.budget.checkSampleObjects(newer, 'comparing');
        this.budget.checkSampleObjects(base, 'comparing');
        return { json: toJson(diffTopBody(task.id, task.baseId, newer, base, task.query, task.opts)) };
      }
      case 'diffFlame': {
        const [newer, base] = await Promise.all([this.load(task.id), this.load(task.baseId)]);
        this.budget.checkSampleObjects(newer, 'comparing');
        this.budget.checkSampleObjects(base, 'comparing');
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
