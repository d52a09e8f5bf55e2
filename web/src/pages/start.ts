// The start page: drop or pick profiles (several at once) with upload progress, the
// registered start sections (live capture), and the list of stored profiles.
import { api, uploadProfile, type StoredProfile } from '../api.js';
import './upload.css';
import { ownedRows, rememberUpload } from '../sharing.js';
import { clear, h } from '../dom.js';
import { fmtBytes } from '../fmt.js';
import { registeredStartSections, type Cleanup, type StartPageContext } from '../registry.js';
import { topBar } from './chrome.js';

const PAGE_SIZE = 25;

export function mountStartPage(app: HTMLElement, nav: StartPageContext): Cleanup {
  clear(app);
  const cleanups: Cleanup[] = [];
  const fileInput = h('input.offscreen', { type: 'file', multiple: true, 'aria-label': 'Choose profile files', id: 'file-input' });
  const pick = h('label.btn.primary.big', { for: 'file-input' }, 'Choose profiles…');
  const uploads = h('ul.uploads', { 'aria-live': 'polite' });
  const drop = h(
    'section.dropzone',
    { 'aria-label': 'Upload profiles' },
    h('div.drop-icon', { 'aria-hidden': 'true' }, '⇪'),
    h('h2', null, 'Drop a profile anywhere on this page'),
    h('p.muted', null, 'cpu.prof, mem.prof, heap/allocs/goroutine/mutex/block profiles (.pb.gz or raw) — several at once is fine.'),
    h('div.drop-actions', null, pick, fileInput),
    uploads,
  );
  const sections = h('div.start-sections');
  for (const s of registeredStartSections()) {
    const el = h('section.start-section', { 'data-feature': s.id });
    sections.append(el);
    const c = s.mount(el, nav);
    if (c) cleanups.push(c);
  }
  const listBody = h('tbody');
  const listInfo = h('span.muted');
  const pager = h('div.pager');
  const list = h(
    'section.stored',
    null,
    h('div.section-head', null, h('h2', null, 'Stored profiles'), listInfo),
    h(
      'table.profiles',
      null,
      h('thead', null, h('tr', null, h('th', null, 'Name'), h('th', null, 'Type'), h('th.num', null, 'Size'), h('th', null, 'Stored'))),
      listBody,
    ),
    pager,
  );
  const overlay = h('div.drag-overlay', { hidden: true }, h('div', null, 'Drop to upload'));
  app.append(
    h(
      'div.page.start-page',
      null,
      topBar(null),
      h(
        'main.start-main',
        null,
        h(
          'div.hero',
          null,
          h('h1', null, 'Read Go profiles, share what you see'),
          h('p.muted', null, 'Flame graph, top table and annotated source with the same numbers as go tool pprof. Every view has a link.'),
        ),
        drop,
        sections,
        list,
      ),
      overlay,
    ),
  );

  let page = 1;
  const loadList = async () => {
    try {
      const res = await api.list(page, PAGE_SIZE);
      clear(listBody);
      if (res.scope === 'none') {
        // A team server without sign-in lists nobody's profiles: show the ones this browser uploaded.
        const n = await ownedRows(row, listBody);
        if (!n)
          listBody.append(
            h(
              'tr',
              null,
              h('td.muted', { colspan: 4 }, 'Profiles you upload from this browser are listed here (others see them only by link).'),
            ),
          );
        listInfo.textContent = `${n} uploaded from this browser`;
        clear(pager);
        return;
      }
      if (!res.profiles.length) listBody.append(h('tr', null, h('td.muted', { colspan: 4 }, 'No profiles yet — drop one above.')));
      for (const p of res.profiles) listBody.append(row(p));
      listInfo.textContent = `${res.total} stored`;
      clear(pager);
      const pages = Math.max(1, Math.ceil(res.total / PAGE_SIZE));
      if (pages > 1) {
        const prev = h('button.btn', { type: 'button', disabled: page <= 1 }, '‹ Newer');
        const next = h('button.btn', { type: 'button', disabled: page >= pages }, 'Older ›');
        prev.addEventListener('click', () => {
          page--;
          void loadList();
        });
        next.addEventListener('click', () => {
          page++;
          void loadList();
        });
        pager.append(prev, h('span.muted', null, `page ${page} of ${pages}`), next);
      }
    } catch (err) {
      clear(listBody);
      listBody.append(h('tr', null, h('td.error', { colspan: 4 }, `Could not list profiles: ${(err as Error).message}`)));
    }
  };
  const row = (p: StoredProfile) => {
    const a = h('a', { href: `/p/${encodeURIComponent(p.id)}`, 'data-nav': '' }, p.name || p.id);
    const when = new Date(p.storedAt);
    return h(
      'tr',
      null,
      h('td.name', null, a),
      h('td', null, h('span.kind', null, p.type)),
      h('td.num', null, fmtBytes(p.size)),
      h('td', { title: p.storedAt }, isNaN(when.getTime()) ? p.storedAt : when.toLocaleString()),
    );
  };

  const uploadAll = async (files: File[]) => {
    if (!files.length) return;
    const results: { file: File; id?: string }[] = [];
    await Promise.all(
      files.map(async (file) => {
        const bar = h('progress', { max: 1, value: 0 });
        const status = h('span.status', null, 'uploading…');
        const item = h('li.upload', null, h('span.fname', null, file.name), bar, status);
        uploads.append(item);
        try {
          const res = await uploadProfile(file, (f) => {
            bar.value = f;
            if (f >= 1) status.textContent = 'decoding…';
          });
          bar.value = 1;
          item.classList.add('done');
          clear(status);
          status.append(h('a', { href: res.url, 'data-nav': '' }, 'open'));
          if (res.manageToken) rememberUpload({ id: res.id, name: file.name, token: res.manageToken, storedAt: new Date().toISOString() });
          results.push({ file, id: res.id });
        } catch (err) {
          // The whole bar in the error colour, and the server's sentence on a row of its own.
          item.classList.add('failed');
          bar.value = 1;
          bar.setAttribute('aria-label', `${file.name}: upload failed`);
          status.setAttribute('role', 'alert');
          status.textContent = `Upload failed: ${(err as Error).message}`;
          results.push({ file });
        }
      }),
    );
    void loadList();
    const ok = results.filter((r) => r.id);
    // One profile: go straight to it. Several: stay here, each has an "open" link.
    if (files.length === 1 && ok.length === 1) nav.openProfile(ok[0]!.id!);
  };

  fileInput.addEventListener('change', () => {
    void uploadAll([...(fileInput.files ?? [])]);
    fileInput.value = '';
  });
  let depth = 0;
  const hasFiles = (e: DragEvent) => !!e.dataTransfer && [...e.dataTransfer.types].includes('Files');
  const onEnter = (e: DragEvent) => {
    if (!hasFiles(e)) return;
    depth++;
    overlay.hidden = false;
  };
  const onLeave = () => {
    depth = Math.max(0, depth - 1);
    if (!depth) overlay.hidden = true;
  };
  const onOver = (e: DragEvent) => {
    if (!hasFiles(e)) return;
    e.preventDefault();
    e.dataTransfer!.dropEffect = 'copy';
  };
  const onDrop = (e: DragEvent) => {
    if (!hasFiles(e)) return;
    e.preventDefault();
    depth = 0;
    overlay.hidden = true;
    void uploadAll([...(e.dataTransfer?.files ?? [])]);
  };
  window.addEventListener('dragenter', onEnter);
  window.addEventListener('dragleave', onLeave);
  window.addEventListener('dragover', onOver);
  window.addEventListener('drop', onDrop);
  cleanups.push(() => {
    window.removeEventListener('dragenter', onEnter);
    window.removeEventListener('dragleave', onLeave);
    window.removeEventListener('dragover', onOver);
    window.removeEventListener('drop', onDrop);
  });
  document.title = 'pprof-lens';
  void loadList();
  return () => {
    for (const c of cleanups) c();
  };
}
