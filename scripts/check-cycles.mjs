// Fails when any import cycle exists among the project's TypeScript modules (server,
// web, contract, tests, bench, scripts), type-only imports included: a cycle means two
// modules that cannot be understood, tested or moved apart.
// Usage: node scripts/check-cycles.mjs   (exit 1 and the cycles printed when any exist)
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const DIRS = ['server/src', 'web/src', 'contract', 'tests', 'bench', 'scripts'];
const SKIP = new Set(['node_modules', 'generated', '.references', '.tmp', '.screenshots', 'corpus']);

function walk(dir, out) {
  if (!existsSync(dir)) return out;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (SKIP.has(e.name)) continue;
    const p = join(dir, e.name);
    if (e.isDirectory()) walk(p, out);
    else if (/\.(ts|mts|mjs)$/.test(e.name) && !e.name.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

// Static imports and re-exports (`import ... from`, `export ... from`, `import '...'`) and
// dynamic `import('...')` of relative paths.
const IMPORT =
  /(?:^|[\s;])(?:import|export)\s*(?:type\s+)?(?:[\w*{}\s,$]+?\s+from\s+)?['"](\.{1,2}\/[^'"]+)['"]|import\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)/gm;

function resolveImport(from, spec) {
  const base = resolve(dirname(from), spec);
  const candidates = [base, base.replace(/\.js$/, '.ts'), base.replace(/\.mjs$/, '.mts'), `${base}.ts`, join(base, 'index.ts')];
  return candidates.find((c) => existsSync(c) && statSync(c).isFile()) ?? null;
}

function stripComments(src) {
  return src.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
}

const files = DIRS.flatMap((d) => walk(join(ROOT, d), []));
const graph = new Map();
for (const f of files) {
  const deps = new Set();
  for (const m of stripComments(readFileSync(f, 'utf8')).matchAll(IMPORT)) {
    const target = resolveImport(f, m[1] ?? m[2]);
    if (target) deps.add(target);
  }
  graph.set(f, [...deps]);
}

// Tarjan's strongly connected components: every component with more than one module (or a
// module importing itself) is a cycle.
let index = 0;
const idx = new Map();
const low = new Map();
const stack = [];
const onStack = new Set();
const cycles = [];
function strong(v) {
  idx.set(v, index);
  low.set(v, index);
  index++;
  stack.push(v);
  onStack.add(v);
  for (const w of graph.get(v) ?? []) {
    if (!idx.has(w)) {
      strong(w);
      low.set(v, Math.min(low.get(v), low.get(w)));
    } else if (onStack.has(w)) {
      low.set(v, Math.min(low.get(v), idx.get(w)));
    }
  }
  if (low.get(v) === idx.get(v)) {
    const comp = [];
    let w;
    do {
      w = stack.pop();
      onStack.delete(w);
      comp.push(w);
    } while (w !== v);
    if (comp.length > 1 || (graph.get(v) ?? []).includes(v)) cycles.push(comp);
  }
}
for (const f of graph.keys()) if (!idx.has(f)) strong(f);

if (cycles.length > 0) {
  console.error(`import cycles: ${cycles.length}`);
  for (const c of cycles)
    console.error(
      '  ' +
        c
          .map((f) => relative(ROOT, f))
          .sort()
          .join(' <-> '),
    );
  process.exit(1);
}
console.log(`import cycles: none among ${graph.size} modules`);
