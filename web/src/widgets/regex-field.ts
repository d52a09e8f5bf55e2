// Every regexp field says what is wrong with its pattern, next to the field, as the user
// types: Go's own message (contract/go-regexp.ts compiles it as the server will).
import { compileGoRegexp } from '../../../contract/go-regexp.js';
import { h } from '../dom.js';
import './widgets.css';

/** RE2's complaint about `text` without Go's "error parsing regexp: " prefix; null when it compiles. */
export function regexProblem(text: string): string | null {
  if (!text) return null;
  try {
    compileGoRegexp(text);
    return null;
  } catch (e) {
    return (e as Error).message.replace(/^error parsing regexp: /, '');
  }
}

let seq = 0;

export interface RegexCheck {
  /** The message element: put it next to the field. */
  el: HTMLElement;
  /** Re-checks the field now; returns the problem, or null. */
  check(): string | null;
  /** Shows a message from elsewhere (the server's 400) until the field changes. */
  show(message: string | null): void;
}

/**
 * Marks `input` invalid (aria-invalid, a message tied by aria-describedby) while its text
 * is not a Go regexp. `fallback` is appended to the message where the field then searches
 * for the literal text instead.
 */
export function attachRegexCheck(
  input: HTMLInputElement,
  opts: { fallback?: string; validate?: (text: string) => string | null } = {},
): RegexCheck {
  const id = `regex-problem-${++seq}`;
  const el = h('span.field-problem', { id, role: 'status', 'aria-live': 'polite', hidden: true });
  const prior = input.getAttribute('aria-describedby');
  input.setAttribute('aria-describedby', prior ? `${prior} ${id}` : id);
  const validate = opts.validate ?? regexProblem;
  const show = (message: string | null): void => {
    el.hidden = !message;
    el.textContent = message ?? '';
    if (message) input.setAttribute('aria-invalid', 'true');
    else input.removeAttribute('aria-invalid');
  };
  const check = (): string | null => {
    const problem = validate(input.value.trim());
    show(problem ? `Invalid regexp: ${problem}${opts.fallback ? ` (${opts.fallback})` : ''}` : null);
    return problem;
  };
  input.addEventListener('input', () => void check());
  return { el, check, show };
}
