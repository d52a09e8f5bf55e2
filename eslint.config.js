// ESLint (npm run lint): typescript-eslint's recommended rules plus the project's import
// boundaries (docs: contract/README.md):
//   engine (decode, model, analysis, report, insights) never imports http, store, cli,
//   service, workers or live; web/ imports only web/ and contract/; contract/ imports
//   nothing outside itself; nothing in server/ imports web/.
//
// typescript-eslint reads sources with the TypeScript compiler's JavaScript API, which
// TypeScript 7 (our type checker, package "typescript") does not have. It gets the
// TypeScript 6 API instead, installed as "typescript6": the resolve hook below hands it
// that package when it asks for "typescript". Nothing else is affected: tsc stays 7.
import Module from 'node:module';

const resolveFilename = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  return resolveFilename.call(this, request === 'typescript' ? 'typescript6' : request, ...rest);
};
const { default: js } = await import('@eslint/js');
const { default: tseslint } = await import('typescript-eslint');

const ENGINE = ['decode', 'model', 'analysis', 'report', 'insights'].map((d) => `server/src/${d}/**`);

/** no-restricted-imports patterns: each forbids imports whose path matches `group`. */
function forbid(...rules) {
  return { 'no-restricted-imports': ['error', { patterns: rules.map(([group, message]) => ({ group, message })) }] };
}

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      'data/**',
      'samples/**',
      'tests/.references/**',
      'tests/.tmp/**',
      'tests/**/generated/**',
      'bench/.tmp/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        // Node and the browser: each part's tsconfig.json decides which globals it may use.
        console: 'readonly',
        process: 'readonly',
        Buffer: 'readonly',
        URL: 'readonly',
        URLSearchParams: 'readonly',
        TextDecoder: 'readonly',
        TextEncoder: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
        setImmediate: 'readonly',
        queueMicrotask: 'readonly',
        structuredClone: 'readonly',
        fetch: 'readonly',
        AbortController: 'readonly',
        AbortSignal: 'readonly',
        performance: 'readonly',
        window: 'readonly',
        document: 'readonly',
        location: 'readonly',
        history: 'readonly',
        navigator: 'readonly',
        requestAnimationFrame: 'readonly',
      },
    },
    rules: {
      // Types are checked by tsc (npm run typecheck); these overlap with it.
      'no-undef': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      // `let x = fallback; try { x = ... } catch {}` reads best as it is.
      'no-useless-assignment': 'off',
      // Our errors carry the cause's message for the user; the stack is not theirs to read.
      'preserve-caught-error': 'off',
    },
  },
  {
    files: ENGINE,
    rules: forbid(
      [
        ['**/http/**', '**/store/**', '**/cli/**', '**/service/**', '**/workers/**', '**/live/**'],
        'the engine is pure: it never imports http, store, cli, service, workers or live',
      ],
      [['**/web/**'], 'server code never imports web/'],
    ),
  },
  {
    files: ['server/src/store/**'],
    rules: forbid([
      ['**/http/**', '**/cli/**', '**/service/**', '**/workers/**', '**/web/**'],
      'the store knows nothing of the layers above it',
    ]),
  },
  {
    files: ['server/src/service/**', 'server/src/workers/**'],
    rules: forbid([['**/http/**', '**/cli/**', '**/web/**'], 'the service and its workers know nothing of HTTP or the CLI']),
  },
  {
    files: ['server/src/**'],
    ignores: [...ENGINE, 'server/src/store/**', 'server/src/service/**', 'server/src/workers/**'],
    rules: forbid([['**/web/**'], 'server code never imports web/']),
  },
  {
    files: ['web/src/**'],
    rules: forbid([['**/server/**', '**/tests/**', '**/scripts/**', '**/bench/**'], 'web/ imports only web/ and contract/']),
  },
  {
    files: ['contract/**'],
    rules: forbid([
      ['../server/**', '../web/**', '../tests/**', 'node:*', 'express', 'fs', 'path'],
      'contract/ imports nothing outside itself',
    ]),
  },
);
