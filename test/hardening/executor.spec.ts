/**
 * The compiled executor (src/http/executor.ts, GRAPHQL_JIT): one server
 * compiles (each document at its second sighting, as in production), another
 * on the same database runs graphql-js only (GRAPHQL_JIT=off). Every
 * response — data, errors with their paths, locations and codes, null
 * bubbling, abstract types, variables that do not coerce, introspection, a
 * refused mutation — is the same from both, on the first (interpreted) and
 * second (compiled) sighting alike; the metrics show which path ran.
 */
import { ConfigError, loadConfig } from '../../src/config';
import { createLogger } from '../../src/core/logger';
import { startServer, type RunningServer } from '../../src/http/server';
import { startTestApp, USERS, type TestApp } from '../support/app';

jest.setTimeout(60_000);

let app: TestApp;
let off: RunningServer;
beforeAll(async () => {
  app = await startTestApp({ env: { GRAPHQL_JIT_COMPILE_AT: '2' } });
  const offConfig = loadConfig({ NODE_ENV: 'test', GRAPHQL_JIT: 'off' });
  off = await startServer(app.orm, { ...app.config, jit: offConfig.jit }, createLogger('silent'), 0);
});
afterAll(async () => {
  await off?.stop();
  await new Promise((resolve) => off?.httpServer.close(resolve));
  await app?.close();
});

interface Answer { status: number; body: any }

async function post(url: string, query: string, variables: Record<string, unknown>, token: string | null): Promise<Answer> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const body = await res.json() as any;
  // The remaining budget moves with every request (both servers spend from the same store); the rest is compared.
  if (body.extensions?.cost) body.extensions.cost = { ...body.extensions.cost, throttleStatus: 'compared elsewhere' };
  return { status: res.status, body };
}

async function series(name: string): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${app.server.port}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${name} `) || l.startsWith(`${name}{`));
  return Number(line?.split(' ').pop());
}

const PROJECT_IDS = '{ projects(first: 10) { nodes { id milestones(first: 1) { nodes { id } } } } }';

test('every response is the same compiled and interpreted; the second sighting runs compiled', async () => {
  const [admin, cobalt] = [await app.login(USERS.admin), await app.login(USERS.cobalt)];
  const ids = (await app.gql(PROJECT_IDS, {}, admin)).data.projects.nodes as { id: string; milestones: { nodes: { id: string }[] } }[];
  expect(ids.length).toBe(3);
  const missing = Buffer.from('Project:00000000-0000-7000-8000-000000000000').toString('base64url');

  const cases: { name: string; query: string; variables?: Record<string, unknown>; token: string | null; kind?: 'introspection' | 'refused before execution' }[] = [
    { name: 'floor', query: '{ __typename }', token: null },
    { name: 'viewer', query: '{ viewer { role user { name email role organization { name kind } } organization { __typename name } } }', token: cobalt },
    {
      name: 'connection with variables',
      query: 'query P($first: Int) { projects(first: $first) { totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { cursor node { id code name status budget startDate targetEndDate } } } }',
      variables: { first: 2 },
      token: admin,
    },
    { name: 'hidden fields: null with FORBIDDEN at their paths', query: '{ projects { nodes { code budget commitments { __typename } milestones(first: 2) { nodes { title plannedValue } } } } }', token: cobalt },
    {
      name: 'abstract type, fragments, invisible and missing ids',
      query: 'query N($ids: [ID!]!) { nodes(ids: $ids) { __typename id ... on Project { code projectStatus: status milestones(first: 3) { nodes { ...M } } } ...M } } fragment M on Milestone { title dueDate status progress overdue }',
      variables: { ids: [...ids.map((p) => p.id), ids[0].milestones.nodes[0].id, missing] },
      token: cobalt,
    },
    { name: 'non-null root refused: data null', query: '{ projects { totalCount } viewer { role } }', token: null },
    { name: 'malformed id', query: '{ node(id: "not-an-id") { id } }', token: admin },
    // The protection layer coerces the variables to measure the cost: refused before execution.
    { name: 'variables that do not coerce', query: 'query B($s: [ProjectStatus!]) { projects(filter: { status: $s }) { totalCount } }', variables: { s: ['NOPE'] }, token: admin, kind: 'refused before execution' },
    { name: 'introspection', query: '{ __type(name: "Milestone") { name kind interfaces { name } fields { name type { kind name ofType { name } } } } }', token: admin, kind: 'introspection' },
    {
      name: 'aliases, skip and include',
      query: 'query S($yes: Boolean!) { a: projects(first: 1) { nodes { code name @include(if: $yes) status @skip(if: $yes) } } b: projects(first: 1, filter: { search: "zzz" }) { totalCount } }',
      variables: { yes: true },
      token: cobalt,
    },
    {
      name: 'refused mutation',
      query: 'mutation C($input: ChangeProjectStatusInput!) { changeProjectStatus(input: $input) { project { id } userErrors { code message } } }',
      variables: { input: { id: ids[0].id, status: 'ON_HOLD', version: 1 } },
      token: cobalt,
    },
    {
      name: 'mutation with user errors (a stale version), nothing changed',
      query: 'mutation V($input: ChangeProjectStatusInput!) { changeProjectStatus(input: $input) { project { id status version } userErrors { code message field } } }',
      variables: { input: { id: ids[0].id, status: 'ON_HOLD', version: 999 } },
      token: admin,
    },
  ];

  const compiledBefore = await series('vantage_graphql_executions_total{executor="compiled"}');
  const interpretedBefore = await series('vantage_graphql_executions_total{executor="interpreted"}');
  const cachedBefore = await series('vantage_graphql_compiled_operations');

  const differences: string[] = [];
  for (const c of cases) {
    const reference = await post(off.url, c.query, c.variables ?? {}, c.token);
    const first = await post(app.server.url, c.query, c.variables ?? {}, c.token);
    const second = await post(app.server.url, c.query, c.variables ?? {}, c.token);
    for (const [label, answer] of [['first', first], ['second', second]] as const) {
      if (JSON.stringify(answer) !== JSON.stringify(reference)) differences.push(`${c.name} (${label}): ${JSON.stringify(answer)} vs ${JSON.stringify(reference)}`);
    }
  }
  expect(differences).toEqual([]);

  // Each executed document: interpreted at its first sighting, compiled at its second, except introspection (interpreted twice).
  const executed = cases.filter((c) => c.kind !== 'refused before execution').length;
  const introspection = cases.filter((c) => c.kind === 'introspection').length;
  expect(await series('vantage_graphql_executions_total{executor="compiled"}') - compiledBefore).toBe(executed - introspection);
  expect(await series('vantage_graphql_executions_total{executor="interpreted"}') - interpretedBefore).toBe(executed + introspection);
  expect(await series('vantage_graphql_compiled_operations') - cachedBefore).toBe(executed - introspection);
});

test('the answers above hold real data, so the comparison cannot pass on empty responses', async () => {
  const admin = await app.login(USERS.admin);
  const res = await post(app.server.url, '{ projects(first: 2) { totalCount nodes { code budget } } }', {}, admin);
  expect(res.body.data.projects.totalCount).toBe(3);
  expect(res.body.data.projects.nodes.map((p: { code: string }) => p.code).length).toBe(2);
  expect(typeof res.body.data.projects.nodes[0].budget).toBe('string');
});

test('GRAPHQL_JIT and its settings are validated', () => {
  expect(loadConfig({ NODE_ENV: 'test' }).jit).toEqual({ enabled: true, cacheSize: 1000, compileAt: 1 });
  expect(loadConfig({ NODE_ENV: 'development' }).jit).toEqual({ enabled: true, cacheSize: 1000, compileAt: 2 });
  expect(loadConfig({ NODE_ENV: 'test', GRAPHQL_JIT: 'off' }).jit.enabled).toBe(false);
  let problems: string[] = [];
  try {
    loadConfig({ NODE_ENV: 'test', GRAPHQL_JIT: 'fast', GRAPHQL_JIT_CACHE_SIZE: '0' });
  } catch (err) {
    problems = (err as ConfigError).problems;
  }
  expect(problems).toEqual([
    'GRAPHQL_JIT must be 1/true/yes/on or 0/false/no/off (got "fast")',
    'GRAPHQL_JIT_CACHE_SIZE must be an integer between 1 and 100000 (got "0")',
  ]);
});
