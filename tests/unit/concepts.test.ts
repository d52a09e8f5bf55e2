// The concept library: covers every topic of the seed documents, written in our own
// words (no 8-word run shared with a seed), with examples, signals and next steps;
// plus the hover explanations for columns and sample types.
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { CONCEPTS, getConcept, listConcepts } from '../../server/src/insights/concepts/index.js';
import { EXPLAINED_SAMPLE_TYPES, explainColumn, explainSampleType } from '../../contract/explain.js';
import { ROOT } from './insights-helpers.js';

/**
 * The seed documents the concept pages were written from are research material, not part
 * of the product: they sit in shared/ beside a working copy (never in the repository), or
 * where PPROF_LENS_SEEDS points (.ci/run). The originality check runs only where they are
 * and reports itself skipped elsewhere.
 */
const SEEDS = process.env.PPROF_LENS_SEEDS || resolve(ROOT, '..', 'shared', 'seeds');

/** Slugs the issue asks for (one per seed topic). */
const REQUIRED = [
  'stack-vs-heap',
  'escape-analysis',
  'garbage-collector',
  'gc-tuning',
  'gctrace',
  'sync-pool',
  'strings-builder',
  'sprintf-vs-strconv',
  'preallocation',
  'slice-internals',
  'interface-boxing',
  'closures',
  'values-vs-pointers',
  'struct-padding',
  'goroutine-leaks',
  'atomics-vs-mutex',
  'inlining',
  'unsafe',
  'reading-pprof',
  'benchmarks',
];

function words(s: string): string[] {
  return (
    s
      .toLowerCase()
      .replace(/`[^`]*`/g, ' ')
      .match(/[a-z0-9']+/g) ?? []
  );
}

function shingles(ws: string[], n: number): Set<string> {
  const out = new Set<string>();
  for (let i = 0; i + n <= ws.length; i++) out.add(ws.slice(i, i + n).join(' '));
  return out;
}

function prose(slug: string): string[] {
  const c = getConcept(slug)!;
  const out = [c.summary, ...c.signals, ...c.nextSteps.map((s) => s.text)];
  for (const sec of c.sections) {
    for (const b of sec.blocks) {
      if (b.kind === 'p') out.push(b.text);
      else if (b.kind === 'list') out.push(...b.items);
    }
  }
  return out;
}

describe('concept library', () => {
  it('has a page for every seed topic, with unique slugs', () => {
    const slugs = CONCEPTS.map((c) => c.slug);
    expect(new Set(slugs).size).toBe(slugs.length);
    for (const s of REQUIRED) expect(getConcept(s), s).not.toBeNull();
    expect(listConcepts().map((c) => c.slug)).toEqual(slugs);
  });

  it.each(REQUIRED)('%s: sections, a Go example, profile signals, next steps, valid links', (slug) => {
    const c = getConcept(slug)!;
    expect(c.title.length).toBeGreaterThan(3);
    expect(c.summary.length).toBeGreaterThan(40);
    expect(c.sections.length).toBeGreaterThanOrEqual(2);
    const code = c.sections.flatMap((s) => s.blocks).filter((b) => b.kind === 'code');
    expect(
      code.some((b) => b.kind === 'code' && b.lang === 'go'),
      'Go example',
    ).toBe(true);
    expect(c.signals.length).toBeGreaterThan(0);
    expect(c.nextSteps.length).toBeGreaterThan(0);
    for (const r of c.related) expect(getConcept(r), `${slug} -> ${r}`).not.toBeNull();
  });

  it('is written in our own words: no run of 8 words is shared with a seed document', (ctx) => {
    ctx.skip(!existsSync(SEEDS), `the seed documents are not beside this working copy (${SEEDS}); the check needs them`);
    const seedShingles = new Set<string>();
    for (const f of readdirSync(SEEDS)) for (const s of shingles(words(readFileSync(join(SEEDS, f), 'utf8')), 8)) seedShingles.add(s);
    expect(seedShingles.size).toBeGreaterThan(1000);
    for (const c of CONCEPTS) {
      const copied = [...shingles(words(prose(c.slug).join(' \n ')), 8)].filter((s) => seedShingles.has(s));
      expect(copied, c.slug).toEqual([]);
    }
  });

  it('the escape-analysis page explains reading -gcflags=-m output', () => {
    const text = JSON.stringify(getConcept('escape-analysis'));
    for (const s of ['moved to heap', 'escapes to heap', 'leaking param', 'does not escape', '-gcflags=-m']) expect(text).toContain(s);
  });
});

describe('explanations of the numbers', () => {
  const kinds = ['cpu', 'heap', 'allocs', 'goroutine', 'mutex', 'block'];
  it.each(kinds)('%s: every top-table column is explained', (kind) => {
    for (const col of ['flat', 'flat%', 'sum%', 'cum', 'cum%']) expect(explainColumn(kind, col).length, col).toBeGreaterThan(20);
  });

  it('every sample type Go writes is explained, per profile kind where it differs', () => {
    const types: Record<string, string[]> = {
      cpu: ['samples', 'cpu'],
      heap: ['alloc_objects', 'alloc_space', 'inuse_objects', 'inuse_space'],
      allocs: ['alloc_objects', 'alloc_space', 'inuse_objects', 'inuse_space'],
      goroutine: ['goroutine'],
      mutex: ['contentions', 'delay'],
      block: ['contentions', 'delay'],
      threadcreate: ['threadcreate'],
    };
    for (const [kind, ts] of Object.entries(types))
      for (const t of ts) expect(explainSampleType(kind, t).length, `${kind}/${t}`).toBeGreaterThan(20);
    expect(explainSampleType('mutex', 'delay')).not.toBe(explainSampleType('block', 'delay'));
    expect(explainColumn('cpu', 'flat')).not.toBe(explainColumn('heap', 'flat'));
    expect(explainSampleType('cpu', 'no_such_type')).toBe('');
    expect(EXPLAINED_SAMPLE_TYPES).toContain('inuse_space');
  });

  it('explain.ts and the concept modules have no node imports (the web bundle imports them)', () => {
    const files = [
      'contract/explain.ts',
      'contract/insights.ts',
      ...readdirSync(join(ROOT, 'server/src/insights/concepts')).map((f) => `server/src/insights/concepts/${f}`),
    ];
    for (const f of files) {
      const src = readFileSync(join(ROOT, f), 'utf8');
      expect(src, f).not.toMatch(/from ['"](node:|fs|path|express)/);
    }
  });
});
