// One lint configuration for the whole repository. The import-direction rules below are the
// mechanical form of STYLE.md's boundaries: shared/ is platform-free, and the two Electron halves
// (main/preload vs. renderer) never reach into each other.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

// Node built-ins: `node:*` as a pattern, bare names as exact paths, because a gitignore-style
// pattern such as 'crypto' would also match our own shared/crypto folder.
const nodeBuiltins = ['node:*'];
const nodeBuiltinNames = ['fs', 'path', 'crypto', 'os', 'child_process', 'http', 'https'];

/**
 * Builds a no-restricted-imports rule from module patterns and a reason; with `builtinsMessage`
 * it also refuses the bare names of Node built-ins.
 */
function forbid(groups, builtinsMessage) {
  const paths = builtinsMessage
    ? nodeBuiltinNames.map((name) => ({ name, message: builtinsMessage }))
    : [];
  return ['error', { paths, patterns: groups.map(([group, message]) => ({ group, message })) }];
}

export default tseslint.config(
  {
    ignores: [
      'node_modules/**',
      'out/**',
      'dist/**',
      'coverage/**',
      'test-results/**',
      'tests/fixtures/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      ecmaVersion: 2023,
      sourceType: 'module',
      globals: { ...globals.node },
    },
    rules: {
      'no-console': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['shared/**/*.ts'],
    languageOptions: { globals: { ...globals['shared-node-browser'] } },
    rules: {
      'no-restricted-imports': forbid(
        [
          [['electron', 'electron/*'], 'shared/ runs everywhere: no Electron imports.'],
          [nodeBuiltins, 'shared/ runs in browsers too: no Node built-ins.'],
          [
            ['**/renderer/**', '**/electron/**', '**/server/**', '**/cli/**'],
            'shared/ imports only shared/.',
          ],
          [['react', 'react-dom', 'react-dom/*'], 'shared/ has no DOM or UI code.'],
        ],
        'shared/ runs in browsers too: no Node built-ins.',
      ),
      'no-restricted-globals': ['error', 'window', 'document', 'process', 'Buffer', 'require'],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': forbid(
        [
          [
            ['**/electron/**', 'electron', 'electron/*'],
            'renderer/ talks to Electron only through the preload bridge.',
          ],
          [nodeBuiltins, 'renderer/ is a sandboxed web page: no Node built-ins.'],
          [['**/server/**', '**/cli/**'], 'renderer/ imports only shared/ and itself.'],
        ],
        'renderer/ is a sandboxed web page: no Node built-ins.',
      ),
    },
  },
  {
    files: ['electron/**/*.ts'],
    rules: {
      'no-restricted-imports': forbid([
        [['**/renderer/**'], 'electron/ never imports the renderer.'],
        [['**/server/**', '**/cli/**'], 'electron/ imports only shared/ and itself.'],
      ]),
    },
  },
  {
    files: ['server/**/*.ts'],
    rules: {
      'no-restricted-imports': forbid([
        [
          ['**/renderer/**', '**/electron/**', '**/cli/**', 'electron'],
          'server/ imports only shared/.',
        ],
      ]),
    },
  },
  {
    files: ['cli/**/*.ts'],
    rules: {
      'no-console': 'off',
      'no-restricted-imports': forbid([
        [
          ['**/renderer/**', '**/electron/**', '**/server/**', 'electron'],
          'cli/ imports only shared/.',
        ],
      ]),
    },
  },
  {
    files: [
      'tests/**/*.{ts,tsx,mjs}',
      'bench/**/*.{ts,mjs}',
      'scripts/**/*.mjs',
      '*.config.{ts,js}',
    ],
    rules: { 'no-console': 'off' },
  },
);
