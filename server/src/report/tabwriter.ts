// Go's text/tabwriter (the parts pprof's text reports use): cells end at '\t', a line's
// text after its last tab belongs to no column, a column's width is its widest cell plus
// padding over each run of consecutive lines that have that column, and a line without
// any tab flushes (later lines are aligned on their own). Widths count runes, as Go does.

export interface TabwriterOptions {
  minWidth?: number;
  padding?: number;
  padChar?: string;
  alignRight?: boolean;
}

interface Cell {
  text: string;
  width: number;
}

function runeCount(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

/** The text Go's tabwriter.Writer writes for `text` (minwidth, tabwidth 0, padding, padchar, flags). */
export function tabwrite(text: string, opts: TabwriterOptions = {}): string {
  const minWidth = opts.minWidth ?? 0;
  const padding = opts.padding ?? 1;
  const pad = opts.padChar ?? ' ';
  const right = !!opts.alignRight;
  const rawLines = text.split('\n');
  const out: string[] = [];
  let block: Cell[][] = [];
  const flush = (): void => {
    if (block.length) formatBlock(block, minWidth, padding, pad, right, out);
    block = [];
  };
  rawLines.forEach((raw, i) => {
    const cells = raw.split('\t').map((t) => ({ text: t, width: runeCount(t) }));
    block.push(cells);
    const last = i === rawLines.length - 1;
    if (!last && cells.length === 1) flush();
  });
  flush();
  return out.join('\n');
}

function formatBlock(lines: Cell[][], minWidth: number, padding: number, pad: string, right: boolean, out: string[]): void {
  const widths: number[] = [];
  const write = (line0: number, line1: number): void => {
    for (let i = line0; i < line1; i++) {
      let s = '';
      const line = lines[i];
      line.forEach((c, j) => {
        const w = j < widths.length ? widths[j] : -1;
        const fill = w >= 0 ? pad.repeat(Math.max(0, w - c.width)) : '';
        if (c.text === '') s += fill;
        else s += right ? fill + c.text : c.text + fill;
      });
      out.push(s);
    }
  };
  const format = (line0: number, line1: number): void => {
    const column = widths.length;
    for (let t = line0; t < line1; t++) {
      if (column >= lines[t].length - 1) continue;
      write(line0, t);
      line0 = t;
      let width = minWidth;
      for (; t < line1; t++) {
        const line = lines[t];
        if (column >= line.length - 1) break;
        width = Math.max(width, line[column].width + padding);
      }
      widths.push(width);
      format(line0, t);
      widths.pop();
      line0 = t;
      // the for loop's t++ must not skip line t: step back one
      t--;
    }
    write(line0, line1);
  };
  format(0, lines.length);
}
