// Lint: typescript-eslint's type-aware rules over every TypeScript project (main, renderer, preload, tests).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

export default tseslint.config(
  { ignores: ['dist/', 'release/', 'node_modules/', 'renderer/public/'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: { allowDefaultProject: ['vite.config.mts'] },
        tsconfigRootDir: import.meta.dirname,
      },
      globals: { ...globals.node },
    },
    rules: {
      // `const { a: _a, ...rest } = x` is how a field is left out of a copy.
      '@typescript-eslint/no-unused-vars': ['error', { ignoreRestSiblings: true, argsIgnorePattern: '^_' }],
      // node:test's test()/describe() return promises the runner itself awaits.
      '@typescript-eslint/no-floating-promises': [
        'error',
        {
          allowForKnownSafeCalls: [
            { from: 'package', package: 'node:test', name: ['test', 'it', 'describe', 'suite'] },
          ],
        },
      ],
    },
  },
  {
    files: ['preload/**/*.ts'],
    languageOptions: { parserOptions: { projectService: false, project: './tsconfig.preload.json' } },
  },
  {
    // Tests read what real processes print (`--json`, HTTP bodies, MCP results) as untyped JSON and assert its
    // shape; typing it first would assume what the test is there to check.
    files: ['test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-explicit-any': 'off',
      // Fakes implement the Docker side's async interfaces; `async () => value` is the plain way to write one.
      '@typescript-eslint/require-await': 'off',
    },
  },
  {
    // Page scripts that bench/ui.mjs runs inside Chromium.
    files: ['bench/ui.mjs', 'test/app/**/*.ts'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    // The renderer and the preload have their own tsconfigs (DOM libs, bundler resolution).
    files: ['renderer/src/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    languageOptions: {
      globals: { ...globals.browser },
      parserOptions: { projectService: false, project: './tsconfig.renderer.json' },
    },
    rules: reactHooks.configs.recommended.rules,
  },
  {
    files: ['**/*.{js,mjs,cjs}'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    // The CLI launcher is a CommonJS script.
    files: ['bin/*.js'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // Our own modules are loaded on first use with a synchronous require() so that `axi list` and
    // `check-conflicts` load only what they run (start-up at Node's floor); `import()` would make every such
    // getter async. Packages still come in through `import`; of Node's own modules, only those few that cost a
    // short command milliseconds to load and that only some paths use (crypto, readline, http).
    files: ['main/**/*.ts'],
    rules: {
      '@typescript-eslint/no-require-imports': [
        'error',
        { allow: ['^\\.\\.?/', '^node:crypto$', '^node:readline/promises$', '^node:http$'] },
      ],
    },
  },
);
