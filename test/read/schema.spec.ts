/**
 * The committed SDL is the running schema, and the schema documents itself:
 * every type and field has a description (docs/architecture.md).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { isInputObjectType, isInterfaceType, isObjectType, isSpecifiedScalarType, type GraphQLSchema } from 'graphql';
import { createSchema, printSortedSchema } from '../../src/schema';

let schema: GraphQLSchema;
beforeAll(async () => {
  schema = await createSchema();
});

test('schema/schema.graphql is the running schema, sorted (run `npm run schema:print` after changing a type)', () => {
  const committed = readFileSync(path.resolve(__dirname, '../../schema/schema.graphql'), 'utf8');
  expect(printSortedSchema(schema)).toBe(committed);
});

test('every type, field and input field has a description', () => {
  const missing: string[] = [];
  for (const type of Object.values(schema.getTypeMap())) {
    if (type.name.startsWith('__') || isSpecifiedScalarType(type)) continue;
    if (!type.description?.trim()) missing.push(`type ${type.name}`);
    if (isObjectType(type) || isInterfaceType(type) || isInputObjectType(type)) {
      for (const field of Object.values(type.getFields())) {
        if (!field.description?.trim()) missing.push(`field ${type.name}.${field.name}`);
      }
    }
  }
  expect(missing).toEqual([]);
});
