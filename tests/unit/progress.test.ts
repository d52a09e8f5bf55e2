// Progress of analysis tasks (server/src/workers/progress.ts, contract/progress.ts): stage
// changes always go out, fractions within a stage are throttled, the board answers per profile.
import { describe, expect, it } from 'vitest';
import { ProgressBoard, REPORT_EVERY_MS, throttledSink, type StageReport } from '../../server/src/workers/progress.js';
import { leadingTask, progressText, PROGRESS_STAGES } from '../../contract/progress.js';
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
    expect(leadingTask(p)?.view).toBe('flame');
    expect(progressText(leadingTask(p)!)).toBe(`Step 4 of ${PROGRESS_STAGES.length}: decoding the samples (40%)`);
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
  it("names a task by its view; the upload's warm-up of the header's values is the header's total", () => {
    const warmTop = progressView({ op: 'warm', id: 'x', query: {}, view: 'top' });
    const warmFlame = progressView({ op: 'warm', id: 'x', query: {} });
    const top = progressView({ op: 'top', id: 'x', query: {}, opts: {} });
    expect([warmTop, warmFlame, top]).toEqual(['header', 'warm', 'top']);
    expect(progressText({ view: warmTop, stage: 'building', fraction: null, elapsedMs: 0, stageMs: 0 })).toBe(
      "Step 6 of 7: building the header's total",
    );
  });
});
