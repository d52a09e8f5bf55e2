// The script of the offline HTML snapshot (html-snapshot.ts). It is serialised with
// Function.prototype.toString into the page, so it must stay self-contained: no imports,
// no references to anything outside its body, only DOM globals. It reads the page's JSON
// data block and draws the flame graph (SVG, click to zoom, regexp search) and the top table.

export function snapshotViewer(): void {
  // The few DOM members used, typed here: the server compiles without the DOM library.
  interface El {
    textContent: string | null;
    value: string;
    clientWidth: number;
    setAttribute(name: string, value: string): void;
    getAttribute(name: string): string | null;
    append(...nodes: El[]): void;
    replaceChildren(...nodes: El[]): void;
    addEventListener(type: string, fn: (e: { key?: string }) => void): void;
  }
  interface Doc {
    getElementById(id: string): El | null;
    querySelector(selector: string): El | null;
    createElement(tag: string): El;
    createElementNS(ns: string, tag: string): El;
    addEventListener(type: string, fn: (e: { key?: string }) => void): void;
  }
  const win = globalThis as unknown as { document: Doc; addEventListener(type: string, fn: () => void): void };
  const document = win.document;
  interface Node {
    name: string;
    value: number;
    self: number;
    children: Node[];
    prunedValue?: number;
    prunedCount?: number;
    /** Fill colour, computed on the server with the app's palette (contract/frame-colors.ts). */
    color?: string;
  }
  interface Data {
    title: string;
    unit: string;
    total: number;
    dark: boolean;
    zoom: string[];
    search: string;
    root: Node;
    top: { flat: string; flatPct: string; sumPct: string; cum: string; cumPct: string; name: string }[];
    legend: string[];
  }
  const data = JSON.parse(document.getElementById('snapshot-data')!.textContent!) as Data;
  const NS = 'http://www.w3.org/2000/svg';
  const ROW = 18;
  const chart = document.getElementById('flame')!;
  const search = document.getElementById('search')!;
  const info = document.getElementById('info')!;
  const crumbs = document.getElementById('crumbs')!;
  let focus: Node[] = [data.root];
  let match: RegExp | null = null;

  // Zoom path from the exported view.
  for (const name of data.zoom) {
    const next = focus[focus.length - 1].children.find((c) => c.name === name);
    if (!next) break;
    focus.push(next);
  }
  search.value = data.search;

  function fmtPct(v: number): string {
    return data.total ? `${((100 * v) / data.total).toFixed(2)}%` : '';
  }

  function draw(): void {
    const width = Math.max(400, chart.clientWidth || 1000);
    const top = focus[focus.length - 1];
    let depth = 0;
    const measure = (n: Node, d: number): void => {
      depth = Math.max(depth, d);
      for (const c of n.children) if ((c.value / top.value) * width >= 1) measure(c, d + 1);
    };
    measure(top, focus.length);
    const svg = document.createElementNS(NS, 'svg');
    svg.setAttribute('width', String(width));
    svg.setAttribute('height', String((depth + 1) * ROW));
    const small = (x: number, y: number, w: number, n: Node): void => {
      // The "+N small" remainder the server pruned away, grey as in the app.
      const g = document.createElementNS(NS, 'rect');
      g.setAttribute('x', x.toFixed(1));
      g.setAttribute('y', String(y));
      g.setAttribute('width', w.toFixed(1));
      g.setAttribute('height', String(ROW - 1));
      g.setAttribute('fill', data.dark ? '#3a3a3a' : '#dcdcdc');
      const t = document.createElementNS(NS, 'title');
      t.textContent = `+${n.prunedCount} small frames`;
      g.append(t);
      svg.append(g);
    };
    const rect = (x: number, y: number, w: number, n: Node, faded: boolean, path: Node[]): void => {
      const g = document.createElementNS(NS, 'svg');
      g.setAttribute('x', x.toFixed(1));
      g.setAttribute('y', String(y));
      g.setAttribute('width', w.toFixed(1));
      g.setAttribute('height', String(ROW - 1));
      g.setAttribute('class', 'frame');
      const r = document.createElementNS(NS, 'rect');
      r.setAttribute('width', '100%');
      r.setAttribute('height', '100%');
      const hit = match !== null && path.length > 1 && match.test(n.name);
      r.setAttribute(
        'fill',
        path.length === 1 ? (data.dark ? '#555' : '#c8c8c8') : hit ? (data.dark ? '#c2185b' : '#ff6ec7') : (n.color ?? '#999'),
      );
      if (faded) g.setAttribute('opacity', '0.55');
      const t = document.createElementNS(NS, 'title');
      t.textContent = `${path.length === 1 ? 'root' : n.name}: ${n.value} ${data.unit} (${fmtPct(n.value)})`;
      g.append(r, t);
      if (w > 14) {
        const label = document.createElementNS(NS, 'text');
        label.setAttribute('x', '4');
        label.setAttribute('y', '13');
        label.textContent = path.length === 1 ? 'root' : n.name;
        g.append(label);
      }
      g.addEventListener('click', () => {
        focus = path.length === focus.length && path[path.length - 1] === top ? path.slice(0, -1) : path;
        if (focus.length === 0) focus = [data.root];
        draw();
      });
      svg.append(g);
    };
    // The zoom path's ancestors, full width and faded, then the zoomed subtree.
    focus.forEach((n, i) => rect(0, i * ROW, width, n, i < focus.length - 1, focus.slice(0, i + 1)));
    const walk = (n: Node, x: number, d: number, path: Node[]): void => {
      let cx = x;
      for (const c of n.children) {
        const w = (c.value / top.value) * width;
        if (w >= 1) {
          rect(cx, d * ROW, w, c, false, [...path, c]);
          walk(c, cx, d + 1, [...path, c]);
        }
        cx += w;
      }
      const pw = (Math.abs(n.prunedValue ?? 0) / top.value) * width;
      if ((n.prunedCount ?? 0) > 0 && pw >= 1) small(cx, d * ROW, pw, n);
    };
    walk(top, 0, focus.length, focus);
    chart.replaceChildren(svg);
    crumbs.textContent =
      focus.length > 1
        ? `Zoom: ${focus
            .slice(1)
            .map((n) => n.name)
            .join(' › ')}`
        : '';
    let matched = 0;
    if (match) {
      const visit = (n: Node, isRoot: boolean): void => {
        if (!isRoot && match!.test(n.name)) {
          matched += n.value;
          return;
        }
        for (const c of n.children) visit(c, false);
      };
      visit(data.root, true);
      info.textContent = `matched ${fmtPct(matched)} of the total`;
    } else {
      info.textContent = '';
    }
  }

  function setSearch(): void {
    const v = search.value;
    try {
      match = v ? new RegExp(v) : null;
    } catch {
      match = new RegExp(v.replace(/[\\.+*?()|[\]{}^$]/g, '\\$&'));
    }
    draw();
  }

  search.addEventListener('input', setSearch);
  document.getElementById('reset')!.addEventListener('click', () => {
    focus = [data.root];
    draw();
  });
  document.addEventListener('keydown', (e) => {
    if (e.key === 'Escape') {
      focus = [data.root];
      draw();
    }
  });
  const tbody = document.querySelector('#top tbody')!;
  for (const row of data.top) {
    const tr = document.createElement('tr');
    for (const v of [row.flat, row.flatPct, row.sumPct, row.cum, row.cumPct, row.name]) {
      const td = document.createElement('td');
      td.textContent = v;
      tr.append(td);
    }
    tr.addEventListener('click', () => {
      search.value = `^${row.name.replace(/[\\.+*?()|[\]{}^$]/g, '\\$&')}$`;
      setSearch();
    });
    tbody.append(tr);
  }
  document.getElementById('legend')!.textContent = data.legend.join('\n');
  win.addEventListener('resize', draw);
  setSearch();
}
