// ESLint for the TypeScript (typescript-eslint) and the GraphQL (@graphql-eslint): subgraph
// schemas and the apps' operations. Formatting is Prettier's (eslint-config-prettier turns off
// the rules it owns). `npm run lint` runs both; a test runs them too, so CI does.
import js from '@eslint/js';
import graphql from '@graphql-eslint/eslint-plugin';
import prettier from 'eslint-config-prettier';
import tseslint from 'typescript-eslint';

export default [
  {
    ignores: [
      '**/node_modules/**',
      '**/generated/**',
      'tools/bench/results/**',
      'tools/bench/field-gateways/**',
      '.data/**',
      '.ci/results/**',
      'coverage/**',
      'apps/web/dist/**',
      'packages/client/dist/**',
      // The production build (npm run build)
      'dist/**',
      'artifacts/**',
    ],
  },
  ...tseslint.config({
    files: ['**/*.ts', '**/*.tsx'],
    extends: [js.configs.recommended, ...tseslint.configs.recommended],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/no-explicit-any': 'error',
      // A handler declared before the value it stops exists (Ctrl+C during start) reads it later.
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
    },
  }),
  {
    files: ['scripts/**/*.js', '.ci/**/*.js', 'jest.config.js'],
    ...js.configs.recommended,
    languageOptions: {
      sourceType: 'commonjs',
      globals: { require: 'readonly', module: 'writable', process: 'readonly', __dirname: 'readonly', console: 'readonly' },
    },
  },
  // Subgraph schemas: Federation 2 SDL, each on its own (types of other subgraphs are entity stubs).
  {
    files: ['subgraphs/*/schema.graphql'],
    languageOptions: { parser: graphql.parser },
    plugins: { '@graphql-eslint': graphql },
    rules: {
      '@graphql-eslint/naming-convention': [
        'error',
        {
          types: 'PascalCase',
          FieldDefinition: 'camelCase',
          InputValueDefinition: 'camelCase',
          EnumValueDefinition: 'UPPER_CASE',
          Argument: 'camelCase',
        },
      ],
      '@graphql-eslint/no-hashtag-description': 'off',
      '@graphql-eslint/no-typename-prefix': 'error',
      '@graphql-eslint/require-deprecation-reason': 'error',
      '@graphql-eslint/unique-enum-value-names': 'error',
    },
  },
  // The apps' operations, checked against the composed API (supergraph.graphql).
  {
    files: ['packages/client-operations/documents/*.graphql'],
    languageOptions: {
      parser: graphql.parser,
      parserOptions: { graphQLConfig: { schema: './supergraph.graphql', documents: './packages/client-operations/documents/*.graphql' } },
    },
    plugins: { '@graphql-eslint': graphql },
    rules: {
      ...graphql.configs['flat/operations-recommended'].rules,
      // Selecting every id is for normalizing client caches; the SDK's issue decides what its cache needs.
      '@graphql-eslint/require-selections': 'off',
    },
  },
  prettier,
];
