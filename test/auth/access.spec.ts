/**
 * Fail-closed access: every root field declares its rule, only `login` is
 * public, and without a valid token every other root field answers
 * UNAUTHENTICATED before any resolver runs.
 */
import 'reflect-metadata';
import {
  getNamedType, graphql, isEnumType, isInputObjectType, isLeafType, isListType, isNonNullType, isScalarType,
  type GraphQLField, type GraphQLInputType, type GraphQLObjectType, type GraphQLSchema,
} from 'graphql';
import { buildSchema, Query, Resolver } from 'type-graphql';
import { accessRuleOf, guardRootFields } from '../../src/access/access';
import { createSchema } from '../../src/schema';
import { startTestApp, USERS, type TestApp } from '../support/app';

function rootFields(schema: GraphQLSchema): [string, GraphQLField<unknown, unknown>][] {
  const roots = [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()].filter(Boolean) as GraphQLObjectType[];
  return roots.flatMap((root) => Object.values(root.getFields()).map((f) => [`${root.name}.${f.name}`, f] as [string, GraphQLField<unknown, unknown>]));
}

/** Root fields without a declared rule. */
function undeclared(schema: GraphQLSchema): string[] {
  return rootFields(schema).filter(([, f]) => !accessRuleOf(f)).map(([name]) => name);
}

describe('the built schema', () => {
  let schema: GraphQLSchema;
  beforeAll(async () => {
    schema = await createSchema();
  });

  test('every Query and Mutation field declares an access rule', () => {
    expect(rootFields(schema).length).toBeGreaterThan(5);
    expect(undeclared(schema)).toEqual([]);
  });

  test('only login is public', () => {
    const publicFields = rootFields(schema).filter(([, f]) => accessRuleOf(f) === 'public').map(([name]) => name);
    expect(publicFields).toEqual(['Mutation.login']);
  });

  test('the rules are the known ones', () => {
    for (const [name, f] of rootFields(schema)) expect([name, ['public', 'authenticated', 'operator', 'admin'].includes(accessRuleOf(f)!)]).toEqual([name, true]);
  });
});

describe('a root field without a rule', () => {
  @Resolver()
  class ForgottenResolver {
    @Query(() => String, { description: 'Someone forgot @Access here.' })
    forgotten(): string {
      return 'should never be returned';
    }
  }

  test('is listed by the schema walk and refused by the guard, even for a signed-in viewer', async () => {
    const schema = guardRootFields(await buildSchema({ resolvers: [ForgottenResolver], validate: false }));
    expect(undeclared(schema)).toEqual(['Query.forgotten']);
    const viewer = { userId: 'u', orgId: 'o', side: 'operator', role: 'ADMIN', projectIds: 'all' };
    const res = await graphql({ schema, source: '{ forgotten }', contextValue: { viewer, reader: {}, authProblem: null } });
    expect(res.data).toBeNull();
    expect(res.errors?.map((e) => [e.message, e.extensions.code])).toEqual([['Query.forgotten declares no access rule', 'FORBIDDEN']]);
  });
});

/* ---------- over HTTP, without a token ---------- */

/** A valid literal for an argument type, so the document passes validation and reaches the access check. */
function literal(type: GraphQLInputType): string {
  if (isNonNullType(type)) return literal(type.ofType);
  if (isListType(type)) return `[${literal(type.ofType)}]`;
  if (isEnumType(type)) return type.getValues()[0].name;
  if (isInputObjectType(type)) {
    const required = Object.values(type.getFields()).filter((f) => isNonNullType(f.type) && f.defaultValue === undefined);
    return `{ ${required.map((f) => `${f.name}: ${literal(f.type)}`).join(', ')} }`;
  }
  if (isScalarType(type)) {
    const samples: Record<string, string> = {
      Int: '1', Float: '1.5', Boolean: 'true', ID: '"QXBpVG9rZW46MDE5MDAwMDAtMDAwMC03MDAwLTgwMDAtMDAwMDAwMDAwMDAw"', String: '"x"',
      Decimal: '"1.00"', Date: '"2030-01-01"', DateTime: '"2030-01-01T00:00:00Z"', JSONObject: '{}',
    };
    return samples[type.name] ?? '"x"';
  }
  throw new Error(`no sample for ${String(type)}`);
}

function documentFor(kind: 'query' | 'mutation', field: GraphQLField<unknown, unknown>): string {
  const args = field.args.filter((a) => isNonNullType(a.type) && a.defaultValue === undefined).map((a) => `${a.name}: ${literal(a.type)}`);
  const selection = isLeafType(getNamedType(field.type)) ? '' : ' { __typename }';
  return `${kind} { ${field.name}${args.length ? `(${args.join(', ')})` : ''}${selection} }`;
}

describe('over HTTP', () => {
  let app: TestApp;
  let schema: GraphQLSchema;
  beforeAll(async () => {
    app = await startTestApp();
    schema = await createSchema();
  });
  afterAll(async () => {
    await app?.close();
  });

  /** `kind field: what came back` for every root field but login, and what must come back. */
  const sweep = async (token: string | null) => {
    const got: string[] = [];
    const want: string[] = [];
    for (const [kind, root] of [['query', schema.getQueryType()], ['mutation', schema.getMutationType()]] as const) {
      for (const field of Object.values(root!.getFields())) {
        if (field.name === 'login') continue;
        const res = await app.gql(documentFor(kind, field), {}, token);
        got.push(`${kind} ${field.name}: ${(res.errors ?? []).map((e) => `${e.extensions?.code} at ${(e.path ?? []).join('.')}`).join(', ') || 'answered'}`);
        want.push(`${kind} ${field.name}: UNAUTHENTICATED at ${field.name}`);
      }
    }
    return { got, want };
  };

  test('without a token, every root field but login is UNAUTHENTICATED', async () => {
    const { got, want } = await sweep(null);
    expect(got.length).toBeGreaterThan(5);
    expect(got).toEqual(want);
  });

  test('with a token that is not valid, the same', async () => {
    for (const token of ['garbage', 'vnt_not-a-real-api-token', 'eyJhbGciOiJIUzI1NiJ9.e30.c2lnbmF0dXJl']) {
      const { got, want } = await sweep(token);
      expect(got).toEqual(want);
    }
  });

  test('__typename and login need no token; login with wrong credentials is a payload, not an error', async () => {
    expect((await app.gql('{ __typename }')).data).toEqual({ __typename: 'Query' });
    expect((await app.gql('mutation { __typename }')).data).toEqual({ __typename: 'Mutation' });
    const res = await app.gql('mutation { login(input: { email: "nobody@example.com", password: "x" }) { token userErrors { code } } }');
    expect(res.errors).toBeUndefined();
    expect(res.data).toEqual({ login: { token: null, userErrors: [{ code: 'INVALID_CREDENTIALS' }] } });
  });

  test('anonymous UNAUTHENTICATED leaks nothing: no data, the same message everywhere', async () => {
    const res = await app.gql('{ projects { totalCount } viewer { role } }');
    expect(res.data).toBeNull();
    expect(new Set(res.errors!.map((e) => e.message)).size).toBe(1);
    expect(res.errors!.length).toBeGreaterThan(0);
    expect([...new Set(res.errors!.map((e) => e.extensions?.code))]).toEqual(['UNAUTHENTICATED']);
    // And a signed-in user gets through, to show the sweep above is not refusing everyone.
    const ok = await app.gql('{ projects { totalCount } viewer { role } }', {}, await app.login(USERS.cobalt));
    expect(ok.data).toEqual({ projects: { totalCount: 1 }, viewer: { role: 'MEMBER' } });
  });
});
