import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'test/golden/**', 'templates/**', 'coverage/**', '**/.tmp/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', Buffer: 'readonly', performance: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['src/engine/**/*.ts', 'src/knowledge/**/*.ts'],
    rules: {
      // The engine and knowledge are pure: no I/O, no colour, no clock (DESIGN.md).
      'no-restricted-imports': ['error', { patterns: ['node:*', 'fs', 'path', 'chalk', 'ejs', '@inquirer/*', 'commander', '*/cli/*', '*/io/*'] }],
      'no-restricted-globals': ['error', 'process', 'Date'],
    },
  },
);
