// Import boundaries from docs/architecture.md: app/ and worker/ never import each other;
// shared/ imports neither, except shared/cli, the composition root that wires the roles.
import tseslint from 'typescript-eslint';

const noImport = (group, message) => ({
  'no-restricted-imports': ['error', { patterns: [{ group, message }] }],
});

export default tseslint.config(
  { ignores: ['node_modules/**', 'coverage/**', 'test-output/**', '.shelfwise/**', 'extensions/**/assets/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'off',
    },
  },
  { files: ['app/**/*.ts'], rules: noImport(['**/worker', '**/worker/**'], 'app/ never imports worker/') },
  { files: ['worker/**/*.ts'], rules: noImport(['**/app', '**/app/**'], 'worker/ never imports app/') },
  {
    files: ['shared/**/*.ts'],
    ignores: ['shared/cli/**'],
    rules: noImport(['**/app', '**/app/**', '**/worker', '**/worker/**'], 'shared/ imports neither app/ nor worker/'),
  },
  { files: ['**/*.cjs'], rules: { '@typescript-eslint/no-require-imports': 'off' } },
);
