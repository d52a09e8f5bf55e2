// The concept library: one page per concept, served by /api/concepts and shown at
// /concepts/:slug. Pure data, no node imports (the web bundle can import it).
import type { Concept, ConceptSummary } from '../../../../contract/insights.js';
import { memoryConcepts } from './memory.js';
import { runtimeConcepts } from './runtime.js';
import { toolingConcepts } from './tooling.js';

export const CONCEPTS: readonly Concept[] = [...memoryConcepts, ...runtimeConcepts, ...toolingConcepts];

const BY_SLUG = new Map(CONCEPTS.map((c) => [c.slug, c]));

export function getConcept(slug: string): Concept | null {
  return BY_SLUG.get(slug) ?? null;
}

export function listConcepts(): ConceptSummary[] {
  return CONCEPTS.map((c) => ({ slug: c.slug, title: c.title, summary: c.summary }));
}
