// Case matrix for scripts/make-references.sh: for every input profile, which
// `go tool pprof` invocations to record. Reads each profile with our decoder only
// to pick flags that exercise something (sample types, matching regexps, labels,
// hot functions); the expected outputs themselves come from go tool pprof.
// Output: one JSON object per line {slug, name, mode, input, args}.
import { readFileSync } from 'node:fs';
import { decodeProfile } from '../server/src/decode/index.js';
import type { Profile } from '../server/src/model/profile.js';

interface Case {
  slug: string;
  name: string;
  mode: 'top' | 'list' | 'tags' | 'peek' | 'dot';
  input: string;
  args: string[];
  list?: string;
  peek?: string;
}

function quoteMeta(s: string): string {
  return s.replace(/[\\.+*?()|[\]{}^$]/g, '\\$&');
}

function funcNames(p: Profile): Set<string> {
  const s = new Set<string>();
  for (const f of p.function) s.add(f.name);
  return s;
}

/** Functions by flat value over the default sample type (our engine is not consulted). */
function hotFunctions(p: Profile, re: RegExp, n: number): string[] {
  const idx = Math.max(0, p.defaultSampleType ? p.sampleType.findIndex((t) => t.type === p.defaultSampleType) : p.sampleType.length - 1);
  const cum = new Map<string, number>();
  for (const s of p.sample) {
    const seen = new Set<string>();
    for (const l of s.location)
      for (const ln of l.line) {
        const name = ln.function?.name ?? '';
        if (!re.test(name) || seen.has(name)) continue;
        seen.add(name);
        cum.set(name, (cum.get(name) ?? 0) + Math.abs(s.value[idx] ?? 0));
      }
  }
  return [...cum.entries()]
    .filter((e) => e[1] > 0)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, n)
    .map((e) => e[0]);
}

function casesFor(slug: string, input: string, p: Profile, opts: { list: boolean; heavy: boolean }): Case[] {
  const out: Case[] = [];
  const add = (name: string, args: string[]): void => void out.push({ slug, name, mode: 'top', input, args });
  add('top', []);
  add('nf0', ['-nodefraction=0']);
  p.sampleType.forEach((t, i) => {
    add(`si_${t.type}`, [`-sample_index=${t.type}`]);
    if (i === 0) add('si_0', ['-sample_index=0']);
  });
  for (const g of ['functions', 'filefunctions', 'files', 'lines', 'addresses']) add(g, [`-${g}`]);
  add('noinlines', ['-noinlines']);
  add('lines_noinlines', ['-lines', '-noinlines']);
  add('cum', ['-cum']);
  if (p.sampleType.length > 1) add('mean', ['-mean']);
  if (p.sampleType.some((t) => t.type === 'delay')) add('mean_delay', ['-mean_delay']);
  add('nodecount10', ['-nodecount=10']);
  add('unit_auto', ['-unit=auto']);
  add('unit_ms', ['-unit=ms']);
  add('unit_kb', ['-unit=kb']);
  add('trim_false', ['-trim=false']);
  if (!opts.heavy) add('lines_nf0', ['-lines', '-nodefraction=0']);
  const names = [...funcNames(p)];
  const hasMain = names.some((n) => /main\./.test(n));
  const hasRuntime = names.some((n) => /^runtime\./.test(n));
  if (hasMain) {
    add('focus_main', ['-focus=main\\.']);
    add('show_main', ['-show=main\\.']);
    add('focus_main_rel', ['-focus=main\\.', '-relative_percentages']);
    // What a filter kept over every node (the web's filter banner: tests/unit/filter-banner-references.test.ts).
    add('focus_main_nf0', ['-focus=main\\.', '-nodefraction=0']);
    const hot = hotFunctions(p, /^main\./, 1);
    if (hot.length) add('show_from_hot', [`-show_from=${quoteMeta(hot[0])}`]);
  }
  if (hasRuntime) {
    add('ignore_runtime', ['-ignore=^runtime\\.']);
    add('hide_runtime', ['-hide=^runtime\\.']);
    add('ignore_runtime_nf0', ['-ignore=^runtime\\.', '-nodefraction=0']);
    add('hide_runtime_nf0', ['-hide=^runtime\\.', '-nodefraction=0']);
    add('hide_runtime_cum', ['-hide=^runtime\\.', '-cum', '-lines']);
    if (names.includes('runtime.mallocgc')) add('prune_from_mallocgc', ['-prune_from=runtime\\.mallocgc']);
  }
  add('focus_nomatch', ['-focus=zzz_no_such_function']);
  // Go's regexp syntax and semantics (RE2): inline flags, \Q...\E, POSIX and Unicode
  // classes, patterns a backtracking engine takes exponential time on, and a syntax error.
  if (hasMain) {
    add('focus_go_flags', ['-focus=(?i)MAIN\\.']);
    add('focus_go_quote', ['-focus=\\Qmain.\\E']);
    add('show_go_classes', ['-show=^[[:lower:]]+\\.\\pL']);
  }
  add('focus_hostile', ['-focus=^(.|.)*Z']);
  add('hide_hostile', ['-hide=^(\\w+\\.?)+$']);
  add('focus_invalid', ['-focus=(']);
  // labels
  const strLabels = new Map<string, string>();
  let numKey = '';
  for (const s of p.sample) {
    if (s.label) for (const [k, v] of Object.entries(s.label)) if (!strLabels.has(k) && v.length) strLabels.set(k, v[0]);
    if (s.numLabel && !numKey) numKey = Object.keys(s.numLabel)[0] ?? '';
  }
  const firstLabel = [...strLabels.entries()][0];
  if (firstLabel) {
    add('tagfocus_kv', [`-tagfocus=${firstLabel[0]}=${quoteMeta(firstLabel[1])}`]);
    add('tagignore_kv', [`-tagignore=${firstLabel[0]}=${quoteMeta(firstLabel[1])}`]);
    add('tagfocus_kv_nf0', [`-tagfocus=${firstLabel[0]}=${quoteMeta(firstLabel[1])}`, '-nodefraction=0']);
    add('tagfocus_rx', [`-tagfocus=${quoteMeta(firstLabel[1])}`]);
  }
  if (numKey === 'bytes') {
    add('tagfocus_range', ['-tagfocus=1kb:']);
    add('tagignore_range', ['-tagignore=:64']);
  }
  out.push(...labelCases(slug, input, p));
  if (opts.list) {
    const hot = hotFunctions(p, /^main\./, 3);
    hot.forEach((fn, i) =>
      out.push({ slug, name: `list_${i}`, mode: 'list', input, args: ['-source_path=samples'], list: `^${quoteMeta(fn)}$` }),
    );
    if (hot.length) out.push({ slug, name: 'list_all_main', mode: 'list', input, args: ['-source_path=samples'], list: '^main\\.' });
    // without -source_path the files are not found: pprof prints an Error line per routine
    if (hot.length) out.push({ slug, name: 'list_nosource', mode: 'list', input, args: [], list: `^${quoteMeta(hot[0])}$` });
    if (hot.length)
      out.push({
        slug,
        name: 'list_trim',
        mode: 'list',
        input,
        args: ['-trim_path=example.com', '-source_path=.'],
        list: `^${quoteMeta(hot[0])}$`,
      });
  }
  if (opts.heavy) {
    // go tool pprof needs seconds per run on the largest inputs: keep a core subset.
    const core =
      /^(top|nf0|cum|lines|addresses|files|noinlines|nodecount10|si_(?!0$).*|hide_runtime|focus_main|show_from_hot|tagfocus_range|list_0)$/;
    return out.filter((c) => core.test(c.name));
  }
  return out;
}

/** `-peek=REGEX` and `-dot` cases: call graph selection and callers/callees. */
function graphCasesFor(slug: string, input: string, p: Profile, heavy: boolean): Case[] {
  const out: Case[] = [];
  const peek = (name: string, re: string, args: string[] = []): void => void out.push({ slug, name, mode: 'peek', input, args, peek: re });
  const dot = (name: string, args: string[] = []): void => void out.push({ slug, name, mode: 'dot', input, args });
  const names = [...funcNames(p)];
  const hotMain = hotFunctions(p, /^main\./, 1);
  const hotRuntime = hotFunctions(p, /^runtime\.(?!main$|goexit$)/, 1);
  const exact = (fn: string): string => `^${quoteMeta(fn)}$`;
  if (hotMain.length) peek('peek_hot_main', exact(hotMain[0]));
  if (hotRuntime.length) peek('peek_hot_runtime', exact(hotRuntime[0]));
  if (names.includes('runtime.mallocgc')) peek('peek_mallocgc', 'runtime\\.mallocgc');
  if (names.includes('runtime.growslice')) peek('peek_growslice', 'growslice');
  peek('peek_nomatch', 'zzz_no_such_function');
  dot('dot');
  dot('dot_lines', ['-lines']);
  dot('dot_nf0', ['-nodefraction=0']);
  p.sampleType.forEach((t, i) => {
    if (i !== p.sampleType.length - 1) dot(`dot_si_${t.type}`, [`-sample_index=${t.type}`]);
  });
  if (!heavy) {
    peek('peek_all', '.');
    peek('peek_all_cum', '.', ['-cum']);
    peek('peek_lines', hotMain.length ? exact(hotMain[0]) : '.', ['-lines']);
    peek('peek_addresses', '.', ['-addresses']);
    peek('peek_noinlines', '.', ['-noinlines']);
    peek('peek_filefunctions', '.', ['-filefunctions']);
    p.sampleType.forEach((t, i) => {
      if (i !== p.sampleType.length - 1) peek(`peek_si_${t.type}`, '.', [`-sample_index=${t.type}`]);
    });
    if (p.sampleType.length > 1) peek('peek_mean', '.', ['-mean']);
    peek('peek_unit_auto', '.', ['-unit=auto']);
    dot('dot_files', ['-files']);
    dot('dot_addresses', ['-addresses']);
    dot('dot_noinlines', ['-noinlines']);
    dot('dot_lines_noinlines', ['-lines', '-noinlines']);
    dot('dot_nodecount5', ['-nodecount=5']);
    dot('dot_nodecount0', ['-nodecount=0']);
    dot('dot_ef0', ['-edgefraction=0']);
    dot('dot_ef05', ['-edgefraction=0.05']);
    dot('dot_lines_nf0', ['-lines', '-nodefraction=0', '-nodecount=30']);
    dot('dot_trim_false', ['-trim=false']);
    dot('dot_unit_auto', ['-unit=auto']);
    if (p.sampleType.length > 1) dot('dot_mean', ['-mean']);
    if (names.some((n) => /^main\./.test(n))) {
      peek('peek_focus_main', '.', ['-focus=main\\.']);
      dot('dot_focus_main', ['-focus=main\\.']);
      dot('dot_focus_main_lines', ['-focus=main\\.', '-lines']);
    }
    if (names.some((n) => /^runtime\./.test(n))) {
      peek('peek_hide_runtime', '.', ['-hide=^runtime\\.']);
      dot('dot_hide_runtime', ['-hide=^runtime\\.']);
      dot('dot_ignore_runtime', ['-ignore=^runtime\\.']);
    }
  }
  return out;
}

/** `-tags` reports and `-tagroot`/`-tagleaf` tops, for profiles whose samples carry labels. */
function labelCases(slug: string, input: string, p: Profile): Case[] {
  const strLabels = new Map<string, string>();
  const numKeys = new Set<string>();
  for (const s of p.sample) {
    if (s.label) for (const [k, v] of Object.entries(s.label)) if (!strLabels.has(k) && v.length) strLabels.set(k, v[0]);
    if (s.numLabel) for (const k of Object.keys(s.numLabel)) numKeys.add(k);
  }
  const keys = [...strLabels.keys()];
  const numKey = numKeys.has('bytes') ? 'bytes' : '';
  if (keys.length === 0 && numKeys.size === 0) return [];
  const out: Case[] = [];
  const tags = (name: string, args: string[]): void => void out.push({ slug, name, mode: 'tags', input, args });
  const top = (name: string, args: string[]): void => void out.push({ slug, name, mode: 'top', input, args });
  tags('tags', []);
  p.sampleType.forEach((t) => tags(`tags_si_${t.type}`, [`-sample_index=${t.type}`]));
  tags('tags_unit_kb', ['-unit=kb']);
  tags('tags_unit_auto', ['-unit=auto']);
  const allKeys = [...keys, ...numKeys];
  tags('tags_tagshow', [`-tagshow=^${quoteMeta(allKeys[0])}$`]);
  tags('tags_taghide', [`-taghide=^${quoteMeta(allKeys[0])}$`]);
  tags('tags_tagshow_nomatch', ['-tagshow=zzz_no_such_key']);
  if (keys.length) {
    const [k, v] = [...strLabels.entries()][0];
    tags('tags_tagfocus_kv', [`-tagfocus=${k}=${quoteMeta(v)}`]);
    tags('tags_tagignore_kv', [`-tagignore=${k}=${quoteMeta(v)}`]);
  }
  if (numKey) tags('tags_tagfocus_range', [`-tagfocus=${numKey}=1kb:`]);
  if (funcNames(p).size && [...funcNames(p)].some((n) => /main\./.test(n))) tags('tags_focus_main', ['-focus=main\\.']);
  const first = allKeys[0];
  top('tagroot', [`-tagroot=${first}`]);
  top('tagleaf', [`-tagleaf=${first}`, '-cum']);
  top('tagroot_lines', [`-tagroot=${first}`, '-lines']);
  if (allKeys.length > 1) {
    top('tagroot_two', [`-tagroot=${allKeys.slice(0, 2).join(',')}`, '-cum']);
    top('tagleaf_two', [`-tagleaf=${allKeys.slice(0, 2).join(',')}`, '-cum']);
    top('tagroot_leaf', [`-tagroot=${allKeys[0]}`, `-tagleaf=${allKeys[1]}`, '-nodefraction=0']);
  }
  if (numKeys.size) top('tagleaf_num_unit', [`-tagleaf=${[...numKeys][0]}`, '-unit=kb']);
  top('tagroot_nomatch', ['-tagroot=zzz_no_such_key']);
  // the pseudo-frames' file name is the key, so focus can select them
  top('tagroot_focus', [`-tagroot=${first}`, `-focus=^${quoteMeta(first)}$`]);
  // Go heap/allocs samples carry only `bytes`: a core subset keeps the run short.
  if (keys.length === 0 && !input.startsWith('tests/fixtures/')) {
    const core = /^(tags|tags_si_(alloc_space|inuse_space)|tags_unit_kb|tags_tagfocus_range|tagroot|tagleaf_num_unit)$/;
    return out.filter((c) => core.test(c.name));
  }
  return out;
}

const inputs = process.argv.slice(2);
for (const input of inputs) {
  let p: Profile;
  try {
    p = decodeProfile(readFileSync(input));
  } catch (e) {
    process.stderr.write(`skip ${input}: ${(e as Error).message}\n`);
    continue;
  }
  const slug = input
    .replace(/^tests\/fixtures\/corpus\//, 'corpus/')
    .replace(/^tests\/\.references\/inputs\//, 'engine/')
    .replace(/^tests\/fixtures\/graph\//, 'graph/')
    .replace(/^tests\/fixtures\//, 'fixtures/')
    .replace(/\.pb\.gz$/, '')
    .replace(/[^A-Za-z0-9._-]+/g, '-');
  const isSample = input.startsWith('samples/');
  const graphFixture = input.startsWith('tests/fixtures/graph/');
  const heavy = /large\.cpu|largeheap/.test(input);
  // tests/fixtures/tags/ holds label-carrying copies of corpus profiles: only their label cases;
  // tests/fixtures/graph/ only peek and graph cases.
  const cases = input.startsWith('tests/fixtures/tags/')
    ? labelCases(slug, input, p)
    : graphFixture
      ? []
      : casesFor(slug, input, p, { list: isSample && !input.startsWith('samples/node'), heavy });
  // Peek and graph cases read only inputs inside the repository (samples and tests/fixtures/graph).
  if (isSample || graphFixture) cases.push(...graphCasesFor(slug, input, p, heavy));
  for (const c of cases) {
    process.stdout.write(JSON.stringify(c) + '\n');
  }
}
