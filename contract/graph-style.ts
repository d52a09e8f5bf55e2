// pprof's visual encoding of the call graph (internal/graph/dotgraph.go): node font size
// by flat, edge pen width and layout weight by edge weight, colours by share of the total.
// Pure; no node imports (the web client draws with it).

/** addNode: 8 pt, growing to 24 pt with sqrt(|flat| / max |flat|). */
export function nodeFontSize(flat: number, maxFlat: number): number {
  let size = 8;
  if (maxFlat !== 0 && flat !== 0 && Math.abs(flat) <= maxFlat) size += Math.ceil(16 * Math.sqrt(Math.abs(flat) / maxFlat));
  return size;
}

/** addEdge: penwidth = 1 + min(|w*5/total|, 5) in int64 arithmetic. */
export function edgePenWidth(weight: number, total: number): number {
  if (total === 0) return 1;
  return 1 + Math.min(Math.abs(Math.trunc((weight * 5) / total)), 5);
}

/** addEdge: the layout weight, 1 + min(|w*100/total|, 100). */
export function edgeLayoutWeight(weight: number, total: number): number {
  if (total === 0) return 1;
  return 1 + Math.min(Math.abs(Math.trunc((weight * 100) / total)), 100);
}

/**
 * dotColor: score in [-1, 1] (share of the total) to red (positive), grey (0) or green
 * (negative); `background` gives the light fill, otherwise the darker outline colour.
 */
export function dotColor(score: number, background: boolean): string {
  const shift = 0.7;
  let saturation = background ? 0.1 : 1.0;
  const value = background ? 0.93 : 0.7;
  score = Math.max(-1.0, Math.min(1.0, score));
  if (Math.abs(score) < 0.2) saturation *= Math.abs(score) / 0.2;
  if (score > 0.0) score = Math.pow(score, 1.0 - shift);
  if (score < 0.0) score = -Math.pow(-score, 1.0 - shift);
  let r: number;
  let g: number;
  if (score < 0.0) {
    g = value;
    r = value * (1 + saturation * score);
  } else {
    r = value;
    g = value * (1 - saturation * score);
  }
  const b = value * (1 - saturation);
  // Go's uint8(float) truncates.
  const hex = (x: number): string => (Math.trunc(x * 255.0) & 0xff).toString(16).padStart(2, '0');
  return '#' + hex(r) + hex(g) + hex(b);
}
