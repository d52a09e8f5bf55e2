// The Source tab: per-line flat/cum for a function (GET /source?fn=), hot lines
// shaded by weight, cold stretches folded to a few lines of context, jumps between
// the hottest lines, and escape-analysis annotations when the server adds them.
import type { SourceLine, SourceListing, SourceRoutine } from '../../../contract/views.js';
import { api, getJson } from '../api.js';
import { exactName } from '../../../contract/go-regexp.js';
import { manageHeaders } from '../owned.js';
import { clear, h } from '../dom.js';
import { fmtIn, fmtPct } from '../fmt.js';
import { registeredSourceTools, type ProfilePageContext, type ProfileState } from '../registry.js';
import { apiParams } from '../state.js';
import { attachRegexCheck } from '../widgets/regex-field.js';

/** Optional fields the source layer adds to lines (server/src/source/annotate.ts). */
interface EscapeNote {
  col?: number;
  kind: string;
  message: string;
  /** -m=2 explanation: a head line, then flow/from steps; '' separates blocks. */
  chain?: string[];
}

/** Decisions that put a value on the heap: the "why" for an allocating line. */
const ESCAPING = new Set(['escapes', 'moved-to-heap']);
/** Inlining and similar notes: context, not a reason; kept to one line. */
const MINOR = new Set(['can-inline', 'cannot-inline', 'inlining-call', 'devirtualized', 'other']);
type AnnotatedLine = SourceLine & { escape?: EscapeNote[]; escapeMarker?: boolean };

const CONTEXT = 3;
const HOT_JUMPS = 10;

export class SourceView {
  private root = h('div.source-view');
  private fnInput = h('input.search', {
    type: 'search',
    placeholder: 'Function (regexp), e.g. main.work',
    'aria-label': 'Function to list',
    spellcheck: 'false',
  });
  private fnCheck = attachRegexCheck(this.fnInput);
  private tools = h('div.source-tools');
  private nav = h('div.hot-nav');
  private body = h('div.source-body');
  private key = '';
  private hotLines: HTMLElement[] = [];
  private hotIndex = -1;

  constructor(
    el: HTMLElement,
    private ctx: ProfilePageContext,
  ) {
    const go = h('button.btn', { type: 'button' }, 'List');
    go.addEventListener('click', () => this.ctx.setState({ fn: this.fnInput.value.trim() }));
    this.fnInput.addEventListener('keydown', (e) => {
      if (e.key === 'Enter') this.ctx.setState({ fn: this.fnInput.value.trim() });
    });
    this.root.append(
      h('div.toolbar', null, h('div.search-wrap', null, this.fnInput, this.fnCheck.el), go, this.nav, this.tools),
      this.body,
    );
    el.append(this.root);
    for (const t of registeredSourceTools()) {
      const slot = h('div.source-tool', { 'data-feature': t.id });
      this.tools.append(slot);
      t.mount(slot, ctx);
    }
    this.ctx.onStateChange((s) => this.apply(s));
    this.apply(this.ctx.state());
  }

  focusSearch(): void {
    this.fnInput.focus();
    this.fnInput.select();
  }

  shown(): void {}

  private async apply(s: ProfileState): Promise<void> {
    if (document.activeElement !== this.fnInput) this.fnInput.value = s.fn;
    const q = apiParams(s);
    if (!s.fn) {
      this.key = '';
      clear(this.nav);
      this.body.replaceChildren(h('div.loading', null, 'Finding the hottest function…'));
      void this.openHottest(s);
      return;
    }
    q.set('fn', s.fn);
    const key = q.toString();
    if (key === this.key) return;
    this.key = key;
    this.body.replaceChildren(h('div.loading', null, 'Loading source…'));
    try {
      const listing = await api.source(this.ctx.profileId, q);
      if (key !== this.key) return;
      this.render(listing);
      this.root.dataset.ready = 'true';
    } catch (err) {
      this.body.replaceChildren(h('div.error', null, `Could not list ${s.fn}: ${(err as Error).message}`));
    }
  }

  /**
   * With no function asked for, the tab opens on the hottest one (the first row of pprof's
   * -top order), so the first visit shows code rather than a prompt.
   */
  private async openHottest(s: ProfileState): Promise<void> {
    const key = `hottest:${apiParams(s).toString()}`;
    this.key = key;
    const q = apiParams(s);
    q.set('n', '50');
    try {
      const top = await api.top(this.ctx.profileId, q);
      if (this.key !== key || this.ctx.state().fn) return;
      const row = top.rows.find((r) => r.function && r.flat) ?? top.rows.find((r) => r.function);
      if (row) {
        this.ctx.setState({ fn: exactName(row.function) }, { replace: true });
        return;
      }
    } catch {
      // The prompt below still lets the user pick one.
    }
    if (this.key !== key) return;
    this.body.replaceChildren(
      h(
        'div.empty',
        null,
        'Pick a function: click a frame in the flame graph and choose “Show source”, select a row in the Top table, or type a function regexp above.',
      ),
    );
  }

  private render(listing: SourceListing): void {
    clear(this.body);
    this.hotLines = [];
    this.hotIndex = -1;
    if (!listing.routines.length) {
      this.body.append(h('div.empty', null, `No function matching “${this.ctx.state().fn}” has samples in this view.`));
      clear(this.nav);
      return;
    }
    const missing = listing.routines.filter((r) => r.missing);
    if (missing.length) this.body.append(this.renderMissing(missing));
    const hot: { el: HTMLElement; v: number }[] = [];
    for (const r of listing.routines) this.body.append(this.renderRoutine(listing, r, hot));
    hot.sort((a, b) => b.v - a.v);
    this.hotLines = hot.slice(0, HOT_JUMPS).map((x) => x.el);
    this.renderNav();
  }

  /** One explanation for every routine whose source was not found: files, paths tried, how to supply them. */
  private renderMissing(routines: SourceRoutine[]): HTMLElement {
    const MAX = 10;
    const files = [...new Set(routines.map((r) => r.file).filter(Boolean))];
    const noFile = [...new Set(routines.filter((r) => !r.file).map((r) => r.function))];
    const tried = [...new Set(routines.flatMap((r) => r.missing!.tried))];
    const hint = routines.map((r) => r.missing!.hint).find(Boolean);
    const list = (items: string[]) => {
      const ul = h('ul.tried');
      for (const t of items.slice(0, MAX)) ul.append(h('li', null, h('code', null, t)));
      if (items.length > MAX) ul.append(h('li.muted', null, `and ${items.length - MAX} more`));
      return ul;
    };
    const box = h('div.missing', { 'data-testid': 'source-missing' });
    if (files.length) {
      box.append(
        h(
          'p',
          null,
          h('b', null, 'Source not found. '),
          files.length === 1 ? 'No readable file was found for:' : `No readable file was found for these ${files.length} files:`,
        ),
        list(files),
      );
    }
    if (noFile.length) {
      box.append(h('p', null, h('b', null, 'No source file recorded. '), 'The profile names no file for:'), list(noFile));
    }
    if (tried.length) box.append(h('p', null, 'Paths tried:'), list(tried));
    if (hint) box.append(h('p', null, hint));
    if (files.length && this.ctx.meta.canManage) box.append(this.sourcesUpload());
    return box;
  }

  /** "Upload sources…": a .tar.gz/.zip of the module, stored with this profile (POST /sources). */
  private sourcesUpload(): HTMLElement {
    const input = h('input', { type: 'file', accept: '.tar.gz,.tgz,.tar,.zip', hidden: true, 'aria-label': 'Sources archive' });
    const btn = h('button.btn', { type: 'button' }, 'Upload sources…');
    const status = h('span.muted', { role: 'status' });
    btn.addEventListener('click', () => input.click());
    input.addEventListener('change', async () => {
      const file = input.files?.[0];
      if (!file) return;
      status.textContent = `Uploading ${file.name}…`;
      try {
        const id = this.ctx.profileId;
        const r = await getJson<{ files: number }>(`/api/profiles/${encodeURIComponent(id)}/sources`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/octet-stream', ...manageHeaders(id) },
          body: file,
        });
        status.textContent = `Stored ${r.files} files.`;
        this.key = '';
        void this.apply(this.ctx.state());
      } catch (err) {
        status.textContent = `Could not store the sources: ${(err as Error).message}`;
      }
    });
    return h('p.sources-upload', null, btn, ' ', status, input);
  }

  private renderNav(): void {
    clear(this.nav);
    if (!this.hotLines.length) return;
    const prev = h('button.btn', { type: 'button', title: 'Previous hot line' }, '◀');
    const next = h('button.btn', { type: 'button', title: 'Next hot line (by weight)' }, 'Hottest ▶');
    const pos = h('span.muted');
    const jump = (d: number) => {
      const n = this.hotLines.length;
      this.hotIndex = (this.hotIndex + d + n) % n;
      for (const el of this.hotLines) el.classList.remove('current');
      const el = this.hotLines[this.hotIndex]!;
      el.classList.add('current');
      el.scrollIntoView({ block: 'center' });
      pos.textContent = `${this.hotIndex + 1}/${n}`;
    };
    prev.addEventListener('click', () => jump(-1));
    next.addEventListener('click', () => jump(1));
    this.nav.append(prev, next, pos);
  }

  private renderRoutine(listing: SourceListing, r: SourceRoutine, hot: { el: HTMLElement; v: number }[]): HTMLElement {
    const from = listing.sampleType.unit;
    const unit = listing.unit;
    const fmt = (v: number) => (v ? fmtIn(v, from, unit) : '.');
    const card = h('section.routine');
    card.append(
      h(
        'header.routine-head',
        null,
        h('span.fn-name', null, r.function),
        h('span.file', null, r.file),
        h(
          'span.totals',
          null,
          `flat ${fmtIn(r.flat, from, unit)} (${fmtPct(r.flat, listing.total)}) · cum ${fmtIn(r.cum, from, unit)} (${fmtPct(r.cum, listing.total)})`,
        ),
      ),
    );
    // Where the text came from, and why it may not be the one the binary was built from.
    if (r.stale?.length) {
      const reasons = h('ul');
      for (const s of r.stale) reasons.append(h('li', null, s));
      card.append(
        h(
          'div.source-stale',
          { role: 'alert' },
          h('p', null, h('b', null, 'This file may not match the build. '), 'Line weights may sit on the wrong lines:'),
          reasons,
        ),
      );
    }
    if (r.origin) {
      card.append(
        h(
          'div.source-origin',
          null,
          'From ',
          h('b', null, r.origin.label),
          r.origin.path ? h('code', { title: r.origin.path }, r.origin.path) : null,
        ),
      );
    }
    // The explanation is given once above the routines (renderMissing); here just the fact.
    if (r.missing)
      card.append(h('p.missing-line.muted', null, r.file ? 'Source not found.' : 'No source file recorded for this function.'));
    const lines = r.lines as AnnotatedLine[];
    const maxCum = Math.max(1, ...lines.map((l) => Math.abs(l.cum)));
    // Fold long cold stretches: keep CONTEXT lines around lines with samples or notes.
    const keep = new Array<boolean>(lines.length).fill(false);
    lines.forEach((l, i) => {
      if (l.flat || l.cum || l.escape?.length || l.escapeMarker) {
        for (let j = Math.max(0, i - CONTEXT); j <= Math.min(lines.length - 1, i + CONTEXT); j++) keep[j] = true;
      }
    });
    if (lines.length <= 3 * CONTEXT + 4) keep.fill(true);
    const table = h('div.src-lines', { role: 'table', 'aria-label': `Source of ${r.function}` });
    if (lines.length) {
      table.append(
        h(
          'div.src-line.src-head',
          { role: 'row' },
          h('div.cell.num', { role: 'columnheader', title: 'Value of samples whose leaf is this line' }, 'flat'),
          h('div.cell.num', { role: 'columnheader', title: 'Value of samples with this line anywhere on the stack' }, 'cum'),
          h('div.cell.lineno', { role: 'columnheader' }, 'line'),
          h('div.code', { role: 'columnheader' }, 'source'),
        ),
      );
    }
    let i = 0;
    while (i < lines.length) {
      if (!keep[i]) {
        let j = i;
        while (j < lines.length && !keep[j]) j++;
        const hidden = lines.slice(i, j);
        const fold = h(
          'button.fold',
          { type: 'button' },
          `⋯ ${hidden.length} more line${hidden.length > 1 ? 's' : ''} (${hidden[0]!.line}–${hidden[hidden.length - 1]!.line})`,
        );
        fold.addEventListener('click', () => fold.replaceWith(...hidden.map((l) => this.renderLine(l, fmt, maxCum, hot))));
        table.append(fold);
        i = j;
        continue;
      }
      table.append(this.renderLine(lines[i]!, fmt, maxCum, hot));
      i++;
    }
    card.append(table);
    return card;
  }

  private renderLine(l: AnnotatedLine, fmt: (v: number) => string, maxCum: number, hot: { el: HTMLElement; v: number }[]): HTMLElement {
    const text = h('div.code', null, l.text ?? '');
    if (l.text === null) text.classList.add('muted');
    const row = h(
      'div.src-line',
      { role: 'row', 'data-line': l.line },
      h('div.cell.num', null, fmt(l.flat)),
      h('div.cell.num', null, fmt(l.cum)),
      h('div.cell.lineno', null, String(l.line)),
      text,
    );
    if (l.cum) {
      const w = Math.abs(l.cum) / maxCum;
      row.style.setProperty('--heat', (0.08 + 0.5 * w).toFixed(3));
      row.classList.add('hot');
      hot.push({ el: row, v: Math.abs(l.flat) * 2 + Math.abs(l.cum) });
    }
    if (l.escapeMarker) {
      // Pair the bytes with the compiler's reason: stripe the row, and a badge linking the concept.
      row.classList.add('escape-hit');
      const a = h(
        'a.escape-marker',
        {
          href: '/concepts/escape-analysis',
          'data-nav': '',
          title: 'The compiler moved a value on this line to the heap, so these bytes are heap allocations. Open: escape analysis',
        },
        'heap · escape analysis ↗',
      );
      text.append(' ', a);
    }
    if (l.escape?.length) {
      const notes = h('div.escape-notes');
      for (const n of l.escape) notes.append(this.renderNote(n, !!l.escapeMarker));
      text.append(notes);
    }
    return row;
  }

  /** One compiler decision; on an allocating line its -m=2 chain opens on demand. */
  private renderNote(n: EscapeNote, hit: boolean): HTMLElement {
    const where = n.col ? `column ${n.col}: ` : '';
    const note = h(
      'div.escape-note',
      { 'data-kind': n.kind },
      h('span.kind', null, n.kind),
      ' ',
      h('span.msg', { title: `${where}${n.message}` }, n.message),
    );
    if (hit && ESCAPING.has(n.kind)) note.classList.add('reason');
    else if (MINOR.has(n.kind)) note.classList.add('minor');
    if (n.chain?.length) {
      const steps = h('div.chain-steps');
      for (const step of n.chain) {
        const cls = step === '' ? 'sep' : /^flow:/.test(step) ? 'flow' : /^from /.test(step) ? 'from' : 'head';
        steps.append(h(`div.step.${cls}`, null, step));
      }
      const n2 = n.chain.filter((x) => /^(flow:|from )/.test(x)).length;
      note.append(
        h('details.escape-chain', null, h('summary', null, `compiler's reasoning (-m=2, ${n2} step${n2 === 1 ? '' : 's'})`), steps),
      );
    }
    return note;
  }
}
