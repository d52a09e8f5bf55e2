// Folded stacks: one "root;caller;...;leaf value" line per distinct stack, the format
// flamegraph.pl, inferno and speedscope read. A ';' inside a frame name would split it,
// so it is written as ':'; line breaks in names become spaces.
import type { ExportStacks } from './stacks.js';

function clean(name: string): string {
  return name.replace(/;/g, ':').replace(/[\r\n]+/g, ' ');
}

export function foldedText(s: ExportStacks): string {
  const names = s.frames.map(clean);
  let out = '';
  for (const st of s.stacks) {
    if (st.frames.length === 0) continue;
    out += `${st.frames.map((f) => names[f]).join(';')} ${st.value}\n`;
  }
  return out;
}
