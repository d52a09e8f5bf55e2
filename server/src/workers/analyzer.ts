// The analyzer: where views are computed. A pool of worker threads (pool.ts), or the
// calling thread itself with `--workers 0`.
import type { ServerConfig } from '../service/config.js';
import type { ProfileStore } from '../store/types.js';
import { AnalysisCore } from './core.js';
import { WorkerPool, workerEntry } from './pool.js';
import { progressView, type AnalysisResult, type AnalysisTask, type WorkerInit } from './protocol.js';
import { ProgressBoard, type StageSink } from './progress.js';
import type { ProfileProgress } from '../../../contract/progress.js';

export interface Analyzer {
  /** `signal`: the HTTP request's; when its client goes away the task is dropped (see WorkerPool.run). */
  run(task: AnalysisTask, sizeHint?: number, signal?: AbortSignal): Promise<AnalysisResult>;
  /** Removes a deleted profile from every cache (every worker's, not just its assigned one). */
  evict(id: string): Promise<void>;
  /** Stages of the profile's queued and running tasks (workers/progress.ts). */
  progress(id: string): ProfileProgress;
  close(): Promise<void>;
  readonly workers: number;
}

/** Same work on the calling thread (workers: 0), for tools and environments without workers. */
export class InProcessAnalyzer implements Analyzer {
  readonly workers = 0;
  readonly core: AnalysisCore;
  private board = new ProgressBoard();
  private seq = 0;
  constructor(store: ProfileStore, config: ServerConfig, cacheBytes: number) {
    this.core = new AnalysisCore(store, config, cacheBytes);
  }
  run(task: AnalysisTask): Promise<AnalysisResult> {
    const seq = ++this.seq;
    this.board.queued(seq, task.id, progressView(task));
    this.board.started(seq);
    const report: StageSink = (stage, fraction) => this.board.report(seq, { stage, fraction: fraction ?? null });
    return this.core.run(task, report).finally(() => this.board.done(seq));
  }
  progress(id: string): ProfileProgress {
    return this.board.of(id);
  }
  async evict(id: string): Promise<void> {
    this.core.evict(id);
  }
  async close(): Promise<void> {}
}

export function createAnalyzer(store: ProfileStore, init: WorkerInit, workers: number, heapMb?: number): Analyzer {
  const entry = workers > 0 ? workerEntry() : null;
  if (!entry) return new InProcessAnalyzer(store, init.config, init.cacheBytes);
  return new WorkerPool(init, workers, entry, heapMb);
}
