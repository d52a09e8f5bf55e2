// Progress of analysis tasks (server/src/workers/progress.ts, contract/progress.ts): stage
// changes always go out, fractions within a stage are throttled, the board answers per
// profile, and each place of the page describes the task it waits for.
import { describe, expect, it } from 'vitest';
import { ProgressBoard, REPORT_EVERY_MS, throttledSink, type StageReport } from '../../server/src/workers/progress.js';
import { describeWait, progressText, PROGRESS_STAGES, type ProfileProgress, type TaskProgress } from '../../contract/progress.js';
import { progressView } from '../../server/src/workers/protocol.js';

describe('throttledSink', () => {
  it('sends every stage change at once and a fraction within a stage at most every REPORT_EVERY_MS', () => {
    let now = 0;
    const sent: StageReport[] = [];
    const sink = throttledSink(
      (r) => sent.push(r),
      () => now,
    );
    sink('reading');
    sink('inflating');
    sink('decoding', 0.1);
    for (let i = 1; i < 50; i++) {
      now += 10;
      sink('decoding', 0.1 + i / 100);
    }
    sink('building');
    // 3 stage changes, 490 ms of fractions every 10 ms (4 sent), then building
    expect(sent.map((r) => r.stage)).toEqual([
      'reading',
      'inflating',
      'decoding',
      'decoding',
      'decoding',
      'decoding',
      'decoding',
      'building',
    ]);
    expect(sent[0]!.fraction).toBeNull();
    const fractions = sent.filter((r) => r.stage === 'decoding').map((r) => r.fraction!);
    expect(fractions[0]).toBeCloseTo(0.1);
    for (let i = 1; i < fractions.length; i++) expect(fractions[i]! - fractions[i - 1]!).toBeCloseTo(REPORT_EVERY_MS / 1000);
  });
});

describe('ProgressBoard', () => {
  it('keeps the latest stage of each queued or running task, answers per profile and forgets finished tasks', () => {
    let now = 1000;
    const b = new ProgressBoard(() => now);
    b.queued(1, 'a', 'flame');
    b.queued(2, 'a', 'top');
    b.queued(3, 'b', 'flame');
    now += 50;
    b.started(1);
    now += 100;
    b.report(1, { stage: 'decoding', fraction: 0.4 });
    now += 30;
    const p = b.of('a');
    expect(p.id).toBe('a');
    expect(p.tasks).toEqual([
      { view: 'flame', stage: 'decoding', fraction: 0.4, elapsedMs: 180, stageMs: 30 },
      { view: 'top', stage: 'queued', fraction: null, elapsedMs: 180, stageMs: 180 },
    ]);
    expect(progressText(p.tasks[0]!)).toBe(`Step 4 of ${PROGRESS_STAGES.length}: decoding the samples (40%)`);
    b.report(99, { stage: 'building', fraction: null }); // unknown task: ignored
    b.done(1);
    b.done(2);
    expect(b.of('a').tasks).toEqual([]);
    expect(b.of('b').tasks.map((t) => t.stage)).toEqual(['queued']);
  });

  it('names the view in the stages that are its own work', () => {
    expect(progressText({ view: 'flame', stage: 'building', fraction: null, elapsedMs: 0, stageMs: 0 })).toBe(
      `Step 6 of ${PROGRESS_STAGES.length}: building the flame graph`,
    );
    expect(progressText({ view: 'top', stage: 'queued', fraction: null, elapsedMs: 0, stageMs: 0 })).toBe(
      `Step 1 of ${PROGRESS_STAGES.length}: waiting for an analysis worker`,
    );
  });
});

describe('progressView', () => {
  it("names a task by its view; the header's total and the upload's warm-up of its values are the header's", () => {
    const warmTop = progressView({ op: 'warm', id: 'x', query: {}, view: 'top' });
    const warmFlame = progressView({ op: 'warm', id: 'x', query: {} });
    const top = progressView({ op: 'top', id: 'x', query: {}, opts: {} });
    // The page's header asks for the table's one row (top?n=1): the header's total too.
    const headerTop = progressView({ op: 'top', id: 'x', query: {}, opts: { nodeFraction: 0, nodeCount: 1, sort: 'flat' } });
    const firstPage = progressView({ op: 'top', id: 'x', query: {}, opts: { nodeCount: 1 }, page: { offset: 0, limit: 1 } });
    expect([warmTop, warmFlame, top, headerTop, firstPage]).toEqual(['header', 'warm', 'top', 'header', 'top']);
    expect(progressText({ view: warmTop, stage: 'building', fraction: null, elapsedMs: 0, stageMs: 0 })).toBe(
      "Step 6 of 7: building the header's total",
    );
  });
});

describe('describeWait', () => {
  const task = (view: string, stage: TaskProgress['stage'], fraction: number | null = null): TaskProgress => ({
    view,
    stage,
    fraction,
    elapsedMs: 0,
    stageMs: 0,
  });
  const wait = (views: string[], ...tasks: TaskProgress[]) => {
    const p: ProfileProgress = { id: 'x', tasks };
    const d = describeWait(p, views);
    return d && { stage: d.task.stage, text: d.text };
  };

  it("describes the awaited view's own task while it runs, the furthest one where several do", () => {
    expect(wait(['flame', 'warm'], task('header', 'queued'), task('flame', 'building', 0.4))).toEqual({
      stage: 'building',
      text: 'Step 6 of 7: building the flame graph (40%)',
    });
    // The upload's warm-up of the flame graph is the same work as the page's flame graph.
    expect(wait(['flame', 'warm'], task('warm', 'encoding'), task('flame', 'queued'))).toEqual({
      stage: 'encoding',
      text: 'Step 7 of 7: sending the flame graph',
    });
    expect(wait(['meta'], task('meta', 'decoding', 0.25))).toEqual({ stage: 'decoding', text: 'Step 4 of 7: decoding the samples (25%)' });
  });

  it("names another view's work it is queued behind as waiting, never as its own step", () => {
    // Before: the furthest task of the profile, "Step 6 of 7: building the header's total", under the flame graph.
    expect(wait(['flame', 'warm'], task('header', 'building'), task('flame', 'queued'))).toEqual({
      stage: 'queued',
      text: "Step 1 of 7: waiting while the server builds the header's total",
    });
    expect(wait(['top'], task('flame', 'encoding'), task('top', 'queued'))).toEqual({
      stage: 'queued',
      text: 'Step 1 of 7: waiting while the server sends the flame graph',
    });
  });

  it('describes the decoding of the profile a queued view will reuse as that stage', () => {
    expect(wait(['top'], task('flame', 'decoding', 0.5), task('top', 'queued'))).toEqual({
      stage: 'decoding',
      text: 'Step 4 of 7: decoding the samples (50%)',
    });
    expect(wait(['flame', 'warm'], task('meta', 'inflating'), task('flame', 'queued'))).toEqual({
      stage: 'inflating',
      text: 'Step 3 of 7: decompressing the profile',
    });
  });

  it('is waiting for a worker when nothing of the profile runs, and null when the awaited view has no task', () => {
    expect(wait(['top'], task('top', 'queued'), task('flame', 'queued'))).toEqual({
      stage: 'queued',
      text: 'Step 1 of 7: waiting for an analysis worker',
    });
    expect(wait(['top'], task('flame', 'building'))).toBeNull();
    expect(wait(['meta'])).toBeNull();
  });
});
