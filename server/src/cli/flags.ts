// pprof-style flag parsing shared by `top` and `list`: -flag=value, -flag value,
// --flag, and bare booleans, exactly the subset of go tool pprof's flags we support.
import type { Granularity, Query, TopOptions } from '../../../contract/query.js';

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

const STRING_FLAGS: Record<string, keyof Query | 'unit' | 'source_path' | 'trim_path' | 'list' | 'peek'> = {
  sample_index: 'sampleIndex',
  focus: 'focus',
  ignore: 'ignore',
  hide: 'hide',
  show: 'show',
  show_from: 'showFrom',
  prune_from: 'pruneFrom',
  tagfocus: 'tagFocus',
  tagignore: 'tagIgnore',
  tagshow: 'tagShow',
  taghide: 'tagHide',
  tagroot: 'tagRoot',
  tagleaf: 'tagLeaf',
  unit: 'unit',
  source_path: 'source_path',
  trim_path: 'trim_path',
  list: 'list',
  peek: 'peek',
};
const NUMBER_FLAGS = ['nodecount', 'nodefraction', 'edgefraction'];
/** pprof's legacy sample-type flags and the -sample_index value each selects. */
const LEGACY_SI: Record<string, string> = {
  inuse_space: 'inuse_space',
  inuse_objects: 'inuse_objects',
  alloc_space: 'alloc_space',
  alloc_objects: 'alloc_objects',
  total_delay: 'delay',
  contentions: 'contentions',
};
const GRANS: Granularity[] = ['functions', 'filefunctions', 'files', 'lines', 'addresses'];
const BOOL_FLAGS = [
  'cum',
  'flat',
  'noinlines',
  'trim',
  'relative_percentages',
  'compact_labels',
  'mean',
  'mean_delay',
  'top',
  'text',
  ...GRANS,
  ...Object.keys(LEGACY_SI),
];
/** Accepted and ignored: they do not change text output here. */
const IGNORED_STRING = ['symbolize', 'output'];

/** Help text listing the flags `top` and `list` accept (pprof's names and meanings). */
export const FLAGS_HELP = `flags (as go tool pprof; -flag=value, -flag value and --flag all work):
  -sample_index=NAME|N   sample type (default: default_sample_type, else the last)
  -inuse_space -inuse_objects -alloc_space -alloc_objects -total_delay -contentions
  -functions -filefunctions -files -lines -addresses   granularity (default functions)
  -noinlines             attribute inlined frames to their caller
  -flat | -cum           sort order (default flat)
  -nodecount=N -nodefraction=F -edgefraction=F -trim=false
  -unit=minimum|auto|UNIT  output unit (default minimum)
  -focus -ignore -hide -show -show_from -prune_from=REGEXP
  -tagfocus -tagignore=[KEY=]VALUE|RANGE   -tagshow -taghide=REGEXP
  -tagroot -tagleaf=KEY[,KEY]   label values as root / leaf pseudo-frames
  -relative_percentages  percentages of the filtered total
  -mean, -mean_delay     values divided by the first sample value (count)
  -compact_labels        leave out the profile header lines
  -source_path=DIRS -trim_path=PREFIXES   (list) where to find source files
`;

export class HelpRequested extends Error {
  constructor() {
    super('help');
    this.name = 'HelpRequested';
  }
}

export interface ParsedFlags {
  query: Query;
  top: TopOptions;
  sourcePath?: string;
  trimPath?: string;
  list?: string;
  peek?: string;
  positional: string[];
}

function parseBool(v: string, name: string): boolean {
  if (['true', 't', '1', 'T', 'TRUE', 'True'].includes(v)) return true;
  if (['false', 'f', '0', 'F', 'FALSE', 'False'].includes(v)) return false;
  throw new UsageError(`invalid boolean value ${JSON.stringify(v)} for -${name}`);
}

export function parseFlags(args: string[]): ParsedFlags {
  const out: ParsedFlags = { query: {}, top: {}, positional: [] };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--') {
      out.positional.push(...args.slice(i + 1));
      break;
    }
    if (!a.startsWith('-') || a === '-') {
      out.positional.push(a);
      continue;
    }
    if (a === '-h' || a === '-help' || a === '--help') throw new HelpRequested();
    const body = a.replace(/^--?/, '');
    const eq = body.indexOf('=');
    const name = eq >= 0 ? body.slice(0, eq) : body;
    const value: string | undefined = eq >= 0 ? body.slice(eq + 1) : undefined;
    const takeValue = (): string => {
      if (value !== undefined) return value;
      if (i + 1 >= args.length) throw new UsageError(`flag needs an argument: -${name}`);
      return args[++i];
    };
    if (name in STRING_FLAGS) {
      const v = takeValue();
      const key = STRING_FLAGS[name];
      if (key === 'unit') {
        out.top.unit = v;
        out.query.labelUnit = v;
      } else if (key === 'source_path') out.sourcePath = v;
      else if (key === 'trim_path') out.trimPath = v;
      else if (key === 'list') out.list = v;
      else if (key === 'peek') out.peek = v;
      else (out.query as Record<string, unknown>)[key] = v;
    } else if (NUMBER_FLAGS.includes(name)) {
      const v = takeValue();
      const n = Number(v);
      if (v.trim() === '' || !Number.isFinite(n)) throw new UsageError(`invalid value ${JSON.stringify(v)} for -${name}`);
      if (name === 'nodecount') {
        if (!Number.isInteger(n)) throw new UsageError(`invalid value ${JSON.stringify(v)} for -${name}`);
        out.top.nodeCount = n;
      } else if (name === 'edgefraction') out.top.edgeFraction = n;
      else out.top.nodeFraction = n;
    } else if (BOOL_FLAGS.includes(name)) {
      const b = value === undefined ? true : parseBool(value, name);
      if ((GRANS as string[]).includes(name)) {
        if (b) out.query.granularity = name as Granularity;
      } else if (name === 'cum') {
        if (b) out.top.sort = 'cum';
      } else if (name === 'flat') {
        if (b) out.top.sort = 'flat';
      } else if (name === 'noinlines') out.query.noInlines = b;
      else if (name === 'trim') out.top.trim = b;
      else if (name === 'compact_labels') out.top.compactLabels = b;
      else if (name === 'mean') out.query.mean = b;
      else if (name === 'mean_delay') {
        // pprof's legacy flag: -mean with the delay sample type
        if (b) {
          out.query.mean = true;
          out.query.sampleIndex = 'delay';
        }
      } else if (name in LEGACY_SI) {
        if (b) out.query.sampleIndex = LEGACY_SI[name];
      } else if (name === 'relative_percentages') out.query.relativePercentages = b;
    } else if (IGNORED_STRING.includes(name)) {
      takeValue();
    } else {
      throw new UsageError(`flag provided but not defined: -${name}`);
    }
  }
  return out;
}
