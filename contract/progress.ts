// What the server is doing for a profile right now (GET /api/profiles/:id/progress): the
// stage of each analysis task of that profile, so every page open on it can say what it
// waits for while a large profile is decoded and its view built.

/** Stages of an analysis task, in the order they happen. */
export const PROGRESS_STAGES = ['queued', 'reading', 'inflating', 'decoding', 'preparing', 'building', 'encoding'] as const;
export type ProgressStage = (typeof PROGRESS_STAGES)[number];

export interface TaskProgress {
  /** The view being computed: 'flame', 'top', 'warm' (flame graph input ahead of the page), 'header' (the header's values, ahead too), 'ingest' (upload)... */
  view: string;
  stage: ProgressStage;
  /**
   * Share of the stage done (0..1) where the worker can count it, else null. Stages are
   * the unit of progress: the text names the stage and its place among the others.
   */
  fraction: number | null;
  /** Since the task was queued / since its current stage began. */
  elapsedMs: number;
  stageMs: number;
}

export interface ProfileProgress {
  id: string;
  /** The profile's analysis tasks being run or waiting, oldest first; empty when idle. */
  tasks: TaskProgress[];
}

const VIEW_NAMES: Record<string, string> = {
  flame: 'the flame graph',
  warm: 'the flame graph',
  top: 'the top table',
  ingest: 'the upload',
  meta: 'the header',
  header: "the header's total",
};

/** A stage in words, naming the view it is for where the stage is the view's own work. */
export function stageText(t: Pick<TaskProgress, 'view' | 'stage'>): string {
  const view = VIEW_NAMES[t.view] ?? `the ${t.view} view`;
  switch (t.stage) {
    case 'queued':
      return 'waiting for an analysis worker';
    case 'reading':
      return 'reading the stored profile';
    case 'inflating':
      return 'decompressing the profile';
    case 'decoding':
      return 'decoding the samples';
    case 'preparing':
      return 'indexing the profile';
    case 'building':
      return `building ${view}`;
    case 'encoding':
      return `sending ${view}`;
  }
}

/** "Step 4 of 7: decoding the samples (40%)". */
export function progressText(t: TaskProgress): string {
  const step = PROGRESS_STAGES.indexOf(t.stage) + 1;
  const pct = t.fraction === null ? '' : ` (${Math.floor(t.fraction * 100)}%)`;
  return `Step ${step} of ${PROGRESS_STAGES.length}: ${stageText(t)}${pct}`;
}

/**
 * The task a page waiting for `view` should describe: the profile's running task that is
 * furthest along (another tab's request decoding the same profile is what this one waits
 * for), else its own queued one.
 */
export function leadingTask(p: ProfileProgress): TaskProgress | null {
  let best: TaskProgress | null = null;
  for (const t of p.tasks) {
    if (!best || PROGRESS_STAGES.indexOf(t.stage) > PROGRESS_STAGES.indexOf(best.stage)) best = t;
  }
  return best;
}
