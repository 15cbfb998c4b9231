// ESLint: typescript-eslint's recommended rules for all TypeScript, plus Lit's and the web
// components plugin's recommended rules for the widget (after Shoelace and Material Web).
import js from '@eslint/js';
import lit from 'eslint-plugin-lit';
import wc from 'eslint-plugin-wc';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/',
      '**/dist/',
      'data/',
      'drizzle/',
      'custom-elements.json',
      'server/payments/test-gateway-page.js',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
      '@typescript-eslint/consistent-type-imports': [
        'error',
        { fixStyle: 'inline-type-imports', disallowTypeAnnotations: false },
      ],
      'no-duplicate-imports': 'off',
      eqeqeq: ['error', 'always', { null: 'ignore' }],
    },
  },
  {
    files: ['server/**/*.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          // Hono's `c.var` builds an object of every variable on each read: on a request's hot path it adds up.
          selector: "MemberExpression[object.name='c'][property.name='var']",
          message: "Read a request variable with c.get('name'): c.var copies all of them on every read.",
        },
      ],
    },
  },
  {
    // The data layer is asynchronous: a database call that is not awaited runs outside its
    // transaction, or after it. Type-aware, so only over the server side's TypeScript.
    files: [
      'server/**/*.ts',
      'test/server/**/*.ts',
      'test/helpers/**/*.ts',
      'test/e2e/**/*.ts',
      'bench/**/*.ts',
      'scripts/**/*.ts',
      'demo/**/*.ts',
      'test/widget/support/server.ts',
    ],
    ignores: ['demo/site/**'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': [
        'error',
        // node:test runs what test() and describe() register; their promises are its own.
        {
          allowForKnownSafeCalls: [
            { from: 'package', package: 'node:test', name: ['test', 'describe', 'it', 'suite'] },
          ],
        },
      ],
      '@typescript-eslint/no-misused-promises': [
        'error',
        { checksVoidReturn: { arguments: false, attributes: false } },
      ],
    },
  },
  {
    files: ['widget/**/*.ts', 'test/widget/**/*.ts', 'demo/site/**/*.{ts,js}'],
    ...lit.configs['flat/recommended'],
    ...wc.configs['flat/recommended'],
    plugins: { ...lit.configs['flat/recommended'].plugins, ...wc.configs['flat/recommended'].plugins },
    rules: { ...lit.configs['flat/recommended'].rules, ...wc.configs['flat/recommended'].rules },
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    // Scripts the server sends to the browser as they are.
    files: [
      'server/payments/stripe/setup-page.js',
      'scripts/fake-stripe/stripe-js.js',
      'server/dev/theme-editor/editor.js',
    ],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    files: ['test/**/*.ts'],
    languageOptions: { globals: { ...globals.mocha } },
    // Tests read untyped JSON bodies and use chai's property assertions (`expect(x).to.be.true`).
    rules: { '@typescript-eslint/no-explicit-any': 'off', '@typescript-eslint/no-unused-expressions': 'off' },
  },
);
