// Reads the parts of `go tool pprof -dot` output the graph tests compare: legend lines,
// nodes (N<i> in pprof's order) with their name, flat/cum labels and style, and call
// edges with their label, marks and style. Tag nodelets (NN<i>_<j>) are left out.

export interface DotNode {
  id: number;
  name: string;
  /** Formatted values as printed ("0" when the node has no flat). */
  flat: string;
  cum: string;
  fontSize: number;
  color: string;
  fillColor: string;
}

export interface DotEdge {
  from: number;
  to: number;
  weight: string;
  inline: boolean;
  residual: boolean;
  penWidth: number;
  layoutWeight: number;
  color: string;
}

export interface Dot {
  legend: string[];
  nodes: DotNode[];
  edges: DotEdge[];
}

/** escapeForDot reversed: \" and \\ back, \l (a newline) back to "\n". */
function unescape(s: string): string {
  return s.replace(/\\(["\\l])/g, (_m, c: string) => (c === 'l' ? '\n' : c));
}

const NODE =
  /^N(\d+) \[label="((?:[^"\\]|\\.)*)" id="node\d+" fontsize=(\d+) shape=\w+ tooltip="((?:[^"\\]|\\.)*)" color="(#[0-9a-f]{6})" fillcolor="(#[0-9a-f]{6})"/;
const EDGE =
  /^N(\d+) -> N(\d+) \[label=" ((?:[^"\\]|\\.)*?)(\\n \(inline\))?"((?: weight=\d+)?)((?: penwidth=\d+)?)(?: color="(#[0-9a-f]{6})")? tooltip=("(?:[^"\\]|\\.)*") labeltooltip=("(?:[^"\\]|\\.)*")( style="dotted")?( minlen=2)?\]$/;
// The end of a node label: "F (p%)", "F (p%)\nof C (q%)", "0 of C (q%)" or "0".
const VALUES = /(?:^|\\n)(?:([^\\\s]+) \([^()]*\)(?:\\nof ([^\\\s]+) \([^()]*\))?|0 of ([^\\\s]+) \([^()]*\)|(0))$/;

export function parseDot(text: string): Dot {
  const out: Dot = { legend: [], nodes: [], edges: [] };
  for (const line of text.split('\n')) {
    if (line.startsWith('subgraph cluster_L')) {
      const m = / label="((?:[^"\\]|\\.)*)"/.exec(line);
      if (!m) throw new Error('legend without label: ' + line);
      const lines = unescape(m[1]).split('\n');
      const help = lines.findIndex((l) => l.startsWith('See https://'));
      // the help link is preceded by an empty line; the label ends with \l
      out.legend = lines.slice(0, help >= 0 ? help - 1 : lines.length - 1);
      continue;
    }
    let m = NODE.exec(line);
    if (m) {
      const tooltip = unescape(m[4]);
      const cut = tooltip.lastIndexOf(' (');
      const v = VALUES.exec(m[2]);
      if (!v) throw new Error('node label without values: ' + line);
      const flat = v[4] ?? (v[3] !== undefined ? '0' : v[1]);
      const cum = v[3] ?? v[2] ?? flat;
      out.nodes.push({
        id: Number(m[1]),
        name: tooltip.slice(0, cut),
        flat,
        cum,
        fontSize: Number(m[3]),
        color: m[5],
        fillColor: m[6],
      });
      continue;
    }
    if (/^N\d+ -> N\d+ \[/.test(line)) {
      m = EDGE.exec(line);
      if (!m) throw new Error('unparsed edge: ' + line);
      out.edges.push({
        from: Number(m[1]),
        to: Number(m[2]),
        weight: m[3],
        inline: m[4] !== undefined,
        residual: m[10] !== undefined,
        layoutWeight: m[5] ? Number(m[5].slice(' weight='.length)) : 1,
        penWidth: m[6] ? Number(m[6].slice(' penwidth='.length)) : 1,
        color: m[7] ?? '',
      });
    }
  }
  return out;
}
