// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

/** Node modules that do I/O: pure domain folders may not import them. */
const IO_MODULES = ['fs', 'node:fs', 'fs/promises', 'node:fs/promises', 'net', 'node:net', 'http', 'node:http', 'child_process', 'node:child_process'];

/** Import patterns for a folder that must not reach the named sibling folders. */
const forbid = (...folders) => folders.flatMap((f) => [`../${f}`, `../${f}/*`, `../../${f}`, `../../${f}/*`]);

const pureRule = (extraFolders = []) => ({
  'no-restricted-imports': [
    'error',
    {
      paths: IO_MODULES.map((name) => ({ name, message: 'Domain code does no I/O: take values, return values (see docs/ARCHITECTURE.md).' })),
      patterns: [
        { group: forbid('db', 'http', 'cli', 'tracker', 'app', 'config', ...extraFolders), message: 'Domain code may not depend on I/O layers (db, http, cli, tracker, app, config).' },
      ],
    },
  ],
});

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'web/dist/**', 'data/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node }, ecmaVersion: 2023, sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  { files: ['src/lib/**/*.ts'], ignores: ['**/*.test.ts'], rules: pureRule(['playbook', 'taxonomy', 'classifier', 'notes', 'reports']) },
  { files: ['src/taxonomy/**/*.ts'], ignores: ['**/*.test.ts'], rules: pureRule(['playbook', 'classifier', 'notes', 'reports']) },
  { files: ['src/playbook/**/*.ts'], ignores: ['**/*.test.ts'], rules: pureRule(['classifier', 'notes', 'reports']) },
  { files: ['src/classifier/**/*.ts'], ignores: ['**/*.test.ts'], rules: pureRule(['notes', 'reports']) },
  { files: ['src/notes/**/*.ts'], ignores: ['**/*.test.ts'], rules: pureRule(['reports']) },
  {
    files: ['src/db/**/*.ts', 'src/tracker/**/*.ts', 'src/reports/**/*.ts', 'src/app/**/*.ts', 'src/config/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: forbid('http', 'cli'), message: 'Nothing below the HTTP and CLI layers may import them.' }] }],
    },
  },
  {
    files: ['src/http/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [{ group: forbid('cli'), message: 'The HTTP layer may not import the CLI.' }] }] },
  },
  {
    files: ['web/src/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['**/src/db*', '**/src/tracker*', '**/src/cli*', '**/src/app*', 'node:*'], message: 'The web app talks to the server over HTTP only; it may import shared schemas and types.' }] }],
    },
  },
);
