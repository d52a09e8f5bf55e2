// Start-page section: paste a goroutine dump (debug=2, a panic or SIGQUIT traceback) and
// open it. The text is uploaded like any profile; the decoder recognises it.
import { getJson } from '../../api.js';
import { h } from '../../dom.js';
import type { StartPageContext } from '../../registry.js';

export function mountPaste(el: HTMLElement, nav: StartPageContext): () => void {
  const ta = h('textarea.goroutine-paste', {
    rows: 6,
    spellcheck: 'false',
    'aria-label': 'Goroutine dump',
    placeholder: 'goroutine 1 [running]:\nmain.main()\n\t/src/main.go:12 +0x1d\n…',
  });
  const btn = h('button.btn.primary', { type: 'submit' }, 'Open dump');
  const err = h('p.error.inline', { hidden: true, role: 'alert' });
  const form = h(
    'form.goroutine-paste-form',
    null,
    h('h2', null, 'Paste a goroutine dump'),
    h(
      'p.muted',
      null,
      'The text of /debug/pprof/goroutine?debug=2, a panic, or a SIGQUIT traceback: goroutines grouped by stack, with state, wait time and creator.',
    ),
    ta,
    h('div', null, btn),
    err,
  );
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    err.hidden = true;
    const text = ta.value;
    if (!text.trim()) return;
    btn.disabled = true;
    try {
      const r = await getJson<{ id: string }>('/api/profiles?name=pasted-goroutines.txt', {
        method: 'POST',
        headers: { 'content-type': 'text/plain' },
        body: text,
      });
      nav.openProfile(r.id, '?v=goroutines');
    } catch (x) {
      err.hidden = false;
      err.textContent = (x as Error).message;
    } finally {
      btn.disabled = false;
    }
  });
  el.append(form);
  return () => form.remove();
}
