// Hostile inputs shared by tests/unit/hostile-input.test.ts (which checks what they give)
// and bench/hostile.bench.ts (which times them): patterns a backtracking engine takes
// exponential time on, and legacy text profiles with huge lines.
import { tinyProfile } from '../fuzz/proto-writer.js';

const text = (s: string) => new TextEncoder().encode(s);

/** Focus patterns that are catastrophic for a backtracking engine. */
export const CATASTROPHIC_FOCUS = ['^(.|.)*Z', '(a|aa)+$', '^(\\w+\\.?)*$', '(x+x+)+y'];

export const LONG_DROP_NAME = 'a'.repeat(40) + '!';

/** A profile whose own drop_frames is catastrophic. */
export function catastrophicDropFrames(): Uint8Array {
  return tinyProfile({
    functions: [LONG_DROP_NAME, 'main.f', 'aaaa'],
    stacks: [
      [0, 1],
      [2, 1],
    ],
    dropFrames: '(a+)+$',
  });
}

/** A profile whose keep_frames is catastrophic on a 5,000-character name. */
export function catastrophicKeepFrames(): Uint8Array {
  const long = 'a'.repeat(5000) + '!';
  return tinyProfile({ functions: [long, 'main.f'], stacks: [[0, 1]], dropFrames: 'main\\..*', keepFrames: '(a|a)*$' });
}

/** Legacy text profiles with huge or hostile lines, by what they are. */
export const HOSTILE_TEXTS: Record<string, () => Uint8Array> = {
  'contention line of 5,000 digits': () => text(`--- contention:\ncycles/second=1000\n${'1'.repeat(5000)}\n`),
  'contention line of 300,000 digits before a valid tail': () =>
    text(`--- contention:\ncycles/second=1000\n${'1'.repeat(300_000)} @ 0x1\n`),
  '300 KB heapz text of hostile lines': () => {
    const lines = ['heap profile: 1: 1 [ 1: 1] @ heapprofile'];
    while (lines.join('\n').length < 300_000) lines.push(`${'1'.repeat(2000)}: ${'2'.repeat(2000)}`);
    return text(lines.join('\n') + '\n');
  },
  '300 KB heap header line': () => text(`heap profile: ${'1'.repeat(150_000)}: ${'2'.repeat(150_000)}\n`),
  'heap memory map of near-misses': () => {
    const map = ['heap profile: 1: 1 [ 1: 1] @ heapprofile', '1: 1 [ 1: 1] @ 0x1', '--- Memory map: ---'];
    for (let i = 0; i < 200; i++) map.push(`${'a'.repeat(1500)}:${'1'.repeat(20)}`);
    return text(map.join('\n') + '\n');
  },
  'Java profile with a 100,000-character attribute line': () =>
    text(`--- heapz 1 ---\nformat = java\nresolution = bytes\n${'a'.repeat(100_000)}\n`),
  'Java symbol lines of 100,000 characters': () => {
    const long = `0x1 ${'x '.repeat(50_000)}(${'y:'.repeat(10_000)}`;
    return text(`--- heapz 1 ---\nformat = java\nresolution = bytes\n 1 1 @ 0x1\n${long}\n${long})\n`);
  },
  'threadz header of 100,000 characters': () => text(`--- Thread 1 (name: ${'a/'.repeat(50_000)}) stack: ---\n`),
};
