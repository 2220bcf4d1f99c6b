/**
 * The portal's GraphQL documents (web/src/graphql/*.graphql) against the
 * committed SDL: a field the API drops or retypes fails here (and in the
 * portal's own build, which generates its types from the same file). Each
 * query must also stay inside the server's per-operation cost limit, or the
 * page would be refused at run time.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { buildSchema, Kind, parse, Source, validate, type DefinitionNode, type DocumentNode, type GraphQLError } from 'graphql';
import { loadConfig } from '../../src/config';
import { operationCost } from '../../src/http/limits/cost';

const ROOT = path.resolve(__dirname, '../..');
const DOCS = path.join(ROOT, 'web', 'src', 'graphql');
const schema = buildSchema(readFileSync(path.join(ROOT, 'schema', 'schema.graphql'), 'utf8'));

function webDocument(): DocumentNode {
  const definitions: DefinitionNode[] = [];
  for (const file of readdirSync(DOCS).filter((f) => f.endsWith('.graphql')).sort()) {
    definitions.push(...parse(new Source(readFileSync(path.join(DOCS, file), 'utf8'), `web/src/graphql/${file}`)).definitions);
  }
  return { kind: Kind.DOCUMENT, definitions };
}

function describeErrors(errors: readonly GraphQLError[]): string[] {
  return errors.map((e) => `${e.source?.name ?? '?'}:${e.locations?.[0]?.line ?? '?'} ${e.message}`);
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === 'gql' ? [] : sourceFiles(full);
    return /\.(ts|tsx)$/.test(e.name) ? [full] : [];
  });
}

describe('web documents', () => {
  const document = webDocument();
  const operations = document.definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION);

  it('are all in web/src/graphql: no query text is hidden in the components', () => {
    expect(operations.length).toBeGreaterThanOrEqual(15);
    const inline = sourceFiles(path.join(ROOT, 'web', 'src')).filter((f) => /\bgql`|graphql\(`|\b(query|mutation)\s+\w+\s*[({]/.test(readFileSync(f, 'utf8')));
    expect(inline).toEqual([]);
  });

  it('validate against schema/schema.graphql', () => {
    expect(describeErrors(validate(schema, document))).toEqual([]);
  });

  it('would fail on a document that asks for something the schema does not have', () => {
    const broken = parse(new Source('query Broken { viewer { portfolio { noSuchFigure } } }', 'broken.graphql'));
    expect(describeErrors(validate(schema, { kind: Kind.DOCUMENT, definitions: [...document.definitions, ...broken.definitions] }))).toEqual([
      'broken.graphql:1 Cannot query field "noSuchFigure" on type "Portfolio".',
    ]);
  });

  it('have unique operation names', () => {
    const names = operations.map((o) => (o.kind === Kind.OPERATION_DEFINITION ? o.name?.value : undefined));
    expect(names.every(Boolean)).toBe(true);
    expect(new Set(names).size).toBe(names.length);
  });

  it('each query costs less than the server allows for one operation', () => {
    const { maxQueryCost } = loadConfig({ NODE_ENV: 'development' }).limits;
    const sample: Record<string, unknown> = { id: 'UHJvamVjdDox', withFinancials: true, status: null, orderBy: { metric: 'NAME', direction: 'ASC' } };
    const costs: Record<string, number> = {};
    for (const op of operations) {
      if (op.kind !== Kind.OPERATION_DEFINITION || op.operation !== 'query') continue;
      const name = op.name!.value;
      const { cost, violations } = operationCost(schema, document, sample, name);
      expect(violations).toEqual([]);
      costs[name] = cost;
    }
    const tooExpensive = Object.entries(costs).filter(([, cost]) => cost > maxQueryCost);
    expect(tooExpensive).toEqual([]);
    expect(Object.keys(costs).length).toBeGreaterThanOrEqual(10);
  });
});
