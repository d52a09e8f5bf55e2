// What the server is doing for a profile right now (GET /api/profiles/:id/progress): the
// stage of each analysis task of that profile, so every page open on it can say what it
// waits for while a large profile is decoded and its view built.

/** Stages of an analysis task, in the order they happen. */
export const PROGRESS_STAGES = ['queued', 'reading', 'inflating', 'decoding', 'preparing', 'building', 'encoding'] as const;
export type ProgressStage = (typeof PROGRESS_STAGES)[number];

export interface TaskProgress {
  /** The view being computed: 'flame', 'top', 'warm' (flame graph input ahead of the page), 'header' (the header's total: the page's `top?n=1`, and its warm-up on upload), 'ingest' (upload)... */
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

function viewName(view: string): string {
  return VIEW_NAMES[view] ?? `the ${view} view`;
}

/** A stage in words, naming the view it is for where the stage is the view's own work. */
export function stageText(t: Pick<TaskProgress, 'view' | 'stage'>): string {
  const view = viewName(t.view);
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

/** Stages that prepare the profile itself, shared by every view of it (a view queued behind them reuses their work). */
const PROFILE_STAGES: readonly ProgressStage[] = ['reading', 'inflating', 'decoding', 'preparing'];

const stageIndex = (t: TaskProgress) => PROGRESS_STAGES.indexOf(t.stage);

/** What a place waiting for some views is shown: the task it describes (its stage) and the words. */
export interface WaitDescription {
  task: TaskProgress;
  text: string;
}

/**
 * Describes, for a place of the page waiting for the answer of one of `views` (the flame
 * graph's status waits for 'flame' and 'warm', which prepares the same graph), what that
 * answer waits for:
 * - its own task when that runs: "Step 6 of 7: building the flame graph (40%)";
 * - queued behind another task of the profile that is still reading or decoding the
 *   profile: that stage, which its own task then reuses ("Step 4 of 7: decoding the samples");
 * - queued behind another view's own work: "Step 1 of 7: waiting while the server builds the
 *   header's total";
 * - else queued: "Step 1 of 7: waiting for an analysis worker".
 * Null when the server lists no task of these views (the answer is on its way, or the
 * request has not arrived yet).
 */
export function describeWait(p: ProfileProgress, views: readonly string[]): WaitDescription | null {
  let own: TaskProgress | null = null;
  for (const t of p.tasks) if (views.includes(t.view) && (!own || stageIndex(t) > stageIndex(own))) own = t;
  if (!own) return null;
  if (own.stage !== 'queued') return { task: own, text: progressText(own) };
  // Queued: a running task of the same profile holds the worker (one task at a time each).
  const running = p.tasks.find((t) => t.stage !== 'queued' && !views.includes(t.view));
  if (!running) return { task: own, text: progressText(own) };
  if (PROFILE_STAGES.includes(running.stage)) return { task: running, text: progressText(running) };
  const view = viewName(running.view);
  const doing = running.stage === 'encoding' ? `sends ${view}` : `builds ${view}`;
  return { task: own, text: `Step 1 of ${PROGRESS_STAGES.length}: waiting while the server ${doing}` };
}
