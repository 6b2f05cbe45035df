import type { CodegenConfig } from '@graphql-codegen/cli';

// Typed documents for the SPA, generated from the printed schema (api/schema.graphql), never from a running server.
const config: CodegenConfig = {
  schema: 'api/schema.graphql',
  documents: ['web/src/**/*.{ts,tsx}', '!web/src/gql/**/*'],
  ignoreNoDocuments: true,
  generates: {
    'web/src/gql/': {
      preset: 'client',
      config: {
        useTypeImports: true,
        enumsAsTypes: true,
        scalars: { DateTime: 'string', ID: 'string' },
      },
      presetConfig: { fragmentMasking: { unmaskFunctionName: 'getFragmentData' } },
    },
    // Minified introspection (object, interface and union types only) so graphcache matches fragments on
    // interfaces and unions exactly instead of guessing.
    'web/src/gql/introspection.ts': {
      plugins: ['urql-introspection'],
      config: { module: 'es2015', useTypeImports: true },
    },
  },
  hooks: {},
};

export default config;
