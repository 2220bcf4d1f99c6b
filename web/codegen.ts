import type { CodegenConfig } from '@graphql-codegen/cli';

/**
 * Typed documents from the committed SDL: the portal consumes only the public
 * schema, so a field that disappears or changes type breaks the build.
 */
const config: CodegenConfig = {
  schema: '../schema/schema.graphql',
  documents: ['src/graphql/**/*.graphql'],
  generates: {
    'src/gql/graphql.ts': {
      plugins: ['typescript-operations', 'typed-document-node'],
      config: {
        // Money and dates stay strings end to end: never a float.
        scalars: { Decimal: 'string', SignedDecimal: 'string', Ratio: 'string', Date: 'string', DateTime: 'string', JSONObject: 'Record<string, unknown>' },
        enumsAsTypes: true,
        avoidOptionals: { field: true, inputValue: false, object: true, defaultValue: false },
        nonOptionalTypename: false,
        skipTypename: false,
        useTypeImports: true,
        strictScalars: true,
      },
    },
  },
  hooks: {},
};
export default config;
