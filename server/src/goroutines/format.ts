// A plain-text digest of goroutine groups, one line per group: what the expected-groups
// fixtures beside the dumps record and what `pprof-lens goroutines` prints.
import type { GoroutineGroup } from './group.js';

export function formatGroupLine(g: GoroutineGroup): string {
  const wait = g.wait.max === 0 ? '-' : g.wait.min === g.wait.max ? `${g.wait.min}m` : `${g.wait.min}-${g.wait.max}m`;
  const leaf = g.frames.length ? `${g.frames[0].func} ${g.frames[0].file}:${g.frames[0].line}` : '?';
  const by = g.createdBy ? `${g.createdBy.func} ${g.createdBy.file}:${g.createdBy.line}` : '-';
  const labels = Object.entries(g.labels)
    .map(([k, vs]) => `${k}=${Object.keys(vs).sort().join('|')}`)
    .sort()
    .join(' ');
  const locked = g.lockedToThread ? ' locked' : '';
  return `${g.count}\t[${g.state}${locked}]\t${wait}\t${leaf}\t<- ${by}${labels ? '\t' + labels : ''}`;
}

export function formatGroups(groups: GoroutineGroup[]): string {
  return groups.map((g) => formatGroupLine(g) + '\n').join('');
}
