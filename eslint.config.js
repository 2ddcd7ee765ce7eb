// @ts-check
// ESLint (flat config): typescript-eslint's strictTypeChecked set, type information from the
// project's tsconfig.json. Every rule turned off or loosened below says why; the rest of the set
// is on as shipped. Style (spacing, quotes, wrapping) is Prettier's job, not ESLint's.
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';

export default defineConfig(
  { ignores: ['dist/', 'dist-bench/', 'dist-release/', 'node_modules/', '.tmp/', 'coverage/'] },
  {
    files: ['**/*.ts'],
    extends: [js.configs.recommended, tseslint.configs.strictTypeChecked],
    languageOptions: {
      parserOptions: {
        projectService: { allowDefaultProject: ['vitest.config.ts'] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      // tsconfig has noUncheckedIndexedAccess: every `a[i]` is `T | undefined`, and `a[i]!` after
      // a bounds check or a loop over the indices is how this code says "checked". Banning `!`
      // would turn each of those into a throw or a cast that says less.
      '@typescript-eslint/no-non-null-assertion': 'off',
      // Numbers (counts, byte sizes, exit codes, ports) in messages are the point of most template
      // literals here (allowNumber covers bigints: nanosecond clocks); booleans print as expected too. Nullish,
      // objects and `any` stay errors: "undefined" or "[object Object]" in a message is a bug.
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true, allowBoolean: true }],
      // `(r) => setTimeout(r, ms)`, `() => lines.push(x)`: a callback's return value is ignored
      // by its caller's type; braces around each of these would add lines and no safety. And
      // `return this.end();` in a void method is this code's early exit: nothing is returned.
      // Still an error: using a void call's value (`const x = f()`, `log(f())`).
      '@typescript-eslint/no-confusing-void-expression': ['error', { ignoreArrowShorthand: true, ignoreVoidReturningFunctions: true }],
      // @kubernetes/client-node declares its API objects (V1Pod, V1ObjectMeta, ...) as classes with
      // no behaviour; what arrives from the wire is JSON.parse output typed as those classes, never
      // an instance. Spreading one, or writing one as an object literal, loses nothing.
      '@typescript-eslint/no-misused-spread': 'off',
      '@typescript-eslint/no-unsafe-class-instance-assignment': 'off',
      // Labels, annotations, kubeconfig and config-file maps are JSON objects, typed as records,
      // and stay JSON objects on the wire: `delete labels[key]` is the plain way to drop a key.
      // A Map would have to be converted back for every response.
      '@typescript-eslint/no-dynamic-delete': 'off',
      // `_`-prefixed parameters and destructured leftovers are deliberate (callback signatures,
      // `const { a, ...rest }` to drop a key).
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true }],
    },
  },
  {
    // Tests read API responses and JSON output as `any` and let expect() check their shape:
    // typing every response body in every test would duplicate src/'s types for no gain.
    files: ['test/**/*.ts', 'bench/**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
    },
  },
  {
    // bin/, scripts/, tools/, test fixtures: plain ESM for Node, no type information.
    files: ['**/*.js', '**/*.mjs'],
    extends: [js.configs.recommended],
    languageOptions: {
      sourceType: 'module',
      globals: {
        process: 'readonly',
        console: 'readonly',
        Buffer: 'readonly',
        URL: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
        setImmediate: 'readonly',
      },
    },
  },
  {
    rules: {
      // Stripping and matching terminal escape sequences is part of this tool's job (terminal
      // safety, colour): a control character in a regex here is meant, not a typo.
      'no-control-regex': 'off',
    },
  },
);
