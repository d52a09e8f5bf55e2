// Progress of analysis tasks (contract/progress.ts): a worker reports the stage of the task
// it runs (StageSink, called from core.ts at each stage), the HTTP thread keeps the latest
// stage of every queued or running task (ProgressBoard) and answers
// GET /api/profiles/:id/progress from it, without asking a worker.
//
// Cost on small profiles: the pool asks a worker for reports only for profiles of at least
// PROGRESS_MIN_BYTES stored; below that the sink is a no-op and the board only records the
// task's arrival and end. Reports are a handful of stage changes per task; fractions within
// a stage are sent at most every REPORT_EVERY_MS.
import type { ProfileProgress, ProgressStage, TaskProgress } from '../../../contract/progress.js';

/** Called by the analysis at each stage; `fraction`: share of the stage done, when counted. */
export type StageSink = (stage: ProgressStage, fraction?: number) => void;

export const noStage: StageSink = () => undefined;

/** Stored size from which a worker reports the stages of a profile's tasks. */
export const PROGRESS_MIN_BYTES = 1024 * 1024;
export const REPORT_EVERY_MS = 100;

/** A stage report as it crosses from a worker to the pool. */
export interface StageReport {
  stage: ProgressStage;
  fraction: number | null;
}

/**
 * A sink that hands reports to `post`: every stage change at once (the work that follows
 * is synchronous, so it must be sent before it starts), fractions within a stage throttled.
 */
export function throttledSink(post: (r: StageReport) => void, now: () => number = () => performance.now()): StageSink {
  let last: ProgressStage | null = null;
  let at = 0;
  return (stage, fraction) => {
    const t = now();
    if (stage === last && t - at < REPORT_EVERY_MS) return;
    last = stage;
    at = t;
    post({ stage, fraction: fraction ?? null });
  };
}

interface Entry {
  id: string;
  view: string;
  stage: ProgressStage;
  fraction: number | null;
  since: number;
  stageSince: number;
}

/** Latest stage of every queued or running task, by task sequence number (HTTP thread). */
export class ProgressBoard {
  private tasks = new Map<number, Entry>();

  constructor(private now: () => number = () => Date.now()) {}

  queued(seq: number, id: string, view: string): void {
    const t = this.now();
    this.tasks.set(seq, { id, view, stage: 'queued', fraction: null, since: t, stageSince: t });
  }

  /** Handed to a worker: it reads the profile first, or reports a later stage at once. */
  started(seq: number): void {
    this.report(seq, { stage: 'reading', fraction: null });
  }

  report(seq: number, r: StageReport): void {
    const e = this.tasks.get(seq);
    if (!e) return;
    if (e.stage !== r.stage) e.stageSince = this.now();
    e.stage = r.stage;
    e.fraction = r.fraction;
  }

  done(seq: number): void {
    this.tasks.delete(seq);
  }

  of(id: string): ProfileProgress {
    const t = this.now();
    const tasks: TaskProgress[] = [];
    for (const e of this.tasks.values()) {
      if (e.id !== id) continue;
      tasks.push({ view: e.view, stage: e.stage, fraction: e.fraction, elapsedMs: t - e.since, stageMs: t - e.stageSince });
    }
    return { id, tasks };
  }
}
