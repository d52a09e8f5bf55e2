// Tiny constructors that keep the concept texts readable.
import type { ConceptBlock } from '../../../../contract/insights.js';

export const p = (text: string): ConceptBlock => ({ kind: 'p', text });
export const list = (...items: string[]): ConceptBlock => ({ kind: 'list', items });
export const go = (code: string, caption?: string): ConceptBlock => ({
  kind: 'code',
  lang: 'go',
  code: code.replace(/^\n/, '').replace(/\s+$/, ''),
  caption,
});
export const sh = (code: string, caption?: string): ConceptBlock => ({
  kind: 'code',
  lang: 'sh',
  code: code.replace(/^\n/, '').replace(/\s+$/, ''),
  caption,
});
export const text = (code: string, caption?: string): ConceptBlock => ({
  kind: 'code',
  lang: 'text',
  code: code.replace(/^\n/, '').replace(/\s+$/, ''),
  caption,
});
