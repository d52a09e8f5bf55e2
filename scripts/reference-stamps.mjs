// Makes the `go tool pprof` reference steps incremental (scripts/make-references.sh and
// scripts/make-diff-references.sh, which it calls). A case's output is kept
// when its key (a sha256 of the Go version, the pprof arguments, the input path and the
// input's bytes, plus the source files and the checkout's path for -list cases) equals the key stored beside the
// output in tests/.references (git-ignored); anything else is regenerated. A fresh clone has
// no keys, so every case is made.
//
//   node scripts/reference-stamps.mjs plan OUT GOVERSION
//     reads OUT/cases.jsonl; writes OUT/jobs.tsv with only the cases to (re)make
//     (key, slug, name, then the pprof arguments), deletes outputs of cases that no longer
//     exist, prints a one-line summary on stderr.
//   node scripts/reference-stamps.mjs key GOVERSION [FILE | --text STRING]...
//     prints one key over the Go version, the named files' bytes and the given strings
//     (for steps stamped as a whole; pass the paths that matter as --text).
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';

// Case folders make-references.sh owns (others in tests/.references belong to other scripts;
// engine-tz is its time-zone step, stamped as a whole).
const OWNED = /^(samples|corpus|engine|graph|fixtures)-(?!tz$)/;
const OUTPUT_SUFFIXES = ['.txt', '.stderr', '.rc', '.key'];

const fileHashes = new Map();
function hashFile(file) {
  let h = fileHashes.get(file);
  if (h === undefined) {
    h = existsSync(file) ? createHash('sha256').update(readFileSync(file)).digest('hex') : 'missing';
    fileHashes.set(file, h);
  }
  return h;
}

/** Source files `-list` reads (through -source_path=samples or -source_path=. with a trimmed prefix). */
function sourcesHash() {
  const h = createHash('sha256');
  const walk = (dir) => {
    for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (!e.name.endsWith('.pb.gz')) h.update(p + '\0' + hashFile(p) + '\0');
    }
  };
  if (existsSync('samples')) walk('samples');
  return h.digest('hex');
}

function pprofArgs(c) {
  const mode = c.mode === 'list' ? '-list=' + c.list : c.mode === 'peek' ? '-peek=' + c.peek : '-' + c.mode;
  return [mode, '-symbolize=none', ...c.args, c.input];
}

function plan(out, goVersion) {
  const cases = readFileSync(path.join(out, 'cases.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l));
  let sources;
  const wanted = new Map(); // slug -> Set of case names
  const jobs = [];
  for (const c of cases) {
    if (!wanted.has(c.slug)) wanted.set(c.slug, new Set());
    wanted.get(c.slug).add(c.name);
    const args = pprofArgs(c);
    const parts = [goVersion, 'TZ=UTC', ...args, hashFile(c.input)];
    // -list prints the search path it tried when a source is missing: the checkout's own.
    if (c.mode === 'list') parts.push((sources ??= sourcesHash()), process.cwd());
    const key = createHash('sha256').update(parts.join('\0')).digest('hex');
    const base = path.join(out, c.slug, c.name);
    const fresh =
      existsSync(base + '.key') &&
      readFileSync(base + '.key', 'utf8').trim() === key &&
      existsSync(base + '.txt') &&
      existsSync(base + '.rc') &&
      existsSync(base + '.stderr');
    if (!fresh) jobs.push([key, c.slug, c.name, ...args].join('\t'));
  }
  // Outputs of cases no longer in the matrix (an input or a flag set went away).
  let pruned = 0;
  for (const d of existsSync(out) ? readdirSync(out) : []) {
    if (!OWNED.test(d) || !statSync(path.join(out, d)).isDirectory()) continue;
    const names = wanted.get(d);
    if (!names) {
      rmSync(path.join(out, d), { recursive: true, force: true });
      pruned++;
      continue;
    }
    for (const f of readdirSync(path.join(out, d))) {
      const suffix = OUTPUT_SUFFIXES.find((s) => f.endsWith(s));
      if (suffix && !names.has(f.slice(0, -suffix.length))) {
        rmSync(path.join(out, d, f), { force: true });
        pruned++;
      }
    }
  }
  writeFileSync(path.join(out, 'jobs.tsv'), jobs.map((j) => j + '\n').join(''));
  process.stderr.write(
    `references: ${cases.length - jobs.length} of ${cases.length} cases unchanged, ${jobs.length} to run` +
      (pruned ? `, ${pruned} stale outputs removed` : '') +
      '\n',
  );
}

function key(goVersion, args) {
  const h = createHash('sha256').update(goVersion + '\0');
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--text') h.update('text\0' + (args[++i] ?? '') + '\0');
    else h.update('file\0' + hashFile(args[i]) + '\0');
  }
  process.stdout.write(h.digest('hex') + '\n');
}

const [cmd, ...rest] = process.argv.slice(2);
if (cmd === 'plan' && rest.length === 2) plan(rest[0], rest[1]);
else if (cmd === 'key' && rest.length >= 1) key(rest[0], rest.slice(1));
else {
  process.stderr.write('usage: reference-stamps.mjs plan OUT GOVERSION | key GOVERSION [FILE | --text STRING]...\n');
  process.exit(2);
}
