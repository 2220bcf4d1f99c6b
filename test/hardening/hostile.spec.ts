/**
 * A corpus of hostile requests: every one must be refused with a clear error
 * before any resolver runs (an Apollo plugin counts every field resolution
 * and every execution), and production must not echo the limits.
 */
import { DEMO_PASSWORD } from '../../src/db/seed';
import { startHardenedApp, STRONG_SECRET, USERS, type HardenedApp, type Response } from './support';

interface Case {
  category: string;
  name: string;
  send(app: HardenedApp, token: string): Promise<Response>;
  statuses: number[];
  codes: string[];
}

const cases: Case[] = [];
const VALIDATION = ['GRAPHQL_VALIDATION_FAILED', 'GRAPHQL_PARSE_FAILED'];

function doc(category: string, name: string, query: string, codes = VALIDATION, variables?: Record<string, unknown>, statuses = [400]): void {
  cases.push({ category, name, statuses, codes, send: (app, token) => app.gql(query, variables, token) });
}

// --- deep nesting -----------------------------------------------------------
function deepProjects(levels: number): string {
  let inner = 'id';
  for (let i = 0; i < levels; i++) inner = `milestones { nodes { project { ${inner} } } }`;
  return `{ projects { nodes { ${inner} } } }`;
}
for (const levels of [4, 5, 6, 8, 10, 15, 20, 30, 50]) doc('deep nesting', `project/milestone cycle x${levels}`, deepProjects(levels));
function deepContracts(levels: number): string {
  let inner = 'id';
  for (let i = 0; i < levels; i++) inner = `deliverables { nodes { contract { project { contracts { nodes { ${inner} } } } } } }`;
  return `{ projects { nodes { contracts { nodes { ${inner} } } } } }`;
}
for (const levels of [2, 3, 5, 8]) doc('deep nesting', `contract/deliverable cycle x${levels}`, deepContracts(levels));
function deepNode(levels: number): string {
  let inner = 'id';
  for (let i = 0; i < levels; i++) inner = `... on Milestone { project { milestones { nodes { ${inner} } } } }`;
  return `query Q($id: ID!) { node(id: $id) { ${inner} } }`;
}
for (const levels of [4, 6, 10, 20]) {
  cases.push({
    category: 'deep nesting', name: `node() inline fragments x${levels}`, statuses: [400], codes: VALIDATION,
    send: (app, token) => app.gql(deepNode(levels), { id: 'TWlsZXN0b25lOjA=' }, token),
  });
}
for (const levels of [13, 20, 40, 100]) {
  let inner = 'viewer { role }';
  for (let i = 0; i < levels; i++) inner = `... on Query { ${inner} }`;
  doc('deep nesting', `nested inline fragments x${levels}`, `{ ${inner} }`);
}
for (const levels of [15, 60, 300, 2000]) doc('deep nesting', `unknown fields nested x${levels}`, `{ ${'a { '.repeat(levels)}b${' }'.repeat(levels)} }`);
doc('deep nesting', 'viewer apiTokens via managers', `{ projects { nodes { managers { organization { id } } milestones { nodes { deliverables { nodes { contract { counterparty { id } project { risks { nodes { contract { deliverables { nodes { milestone { id } } } } } } } } } } } } } } }`);

// --- alias floods -------------------------------------------------------------
function aliases(n: number, field: string): string {
  return Array.from({ length: n }, (_, i) => `a${i}: ${field}`).join(' ');
}
for (const n of [31, 50, 100, 500, 900]) doc('alias flood', `__typename x${n}`, `{ ${aliases(n, '__typename')} }`);
for (const n of [31, 64, 200, 700]) doc('alias flood', `viewer x${n}`, `{ ${aliases(n, 'viewer { role }')} }`);
for (const n of [31, 100, 400]) doc('alias flood', `projects totalCount x${n}`, `{ ${aliases(n, 'projects { totalCount }')} }`);
for (const n of [31, 60, 150]) doc('alias flood', `node x${n}`, `{ ${aliases(n, 'node(id: "UHJvamVjdDow") { id }')} }`);
for (const n of [31, 40, 100, 250]) {
  doc('alias flood', `login x${n}`, `mutation { ${aliases(n, `login(input: { email: "${USERS.cobalt}", password: "guess" }) { token }`)} }`);
}
for (const n of [16, 31, 50]) doc('alias flood', `nested aliases x${n} per level`, `{ projects { nodes { ${aliases(n, 'name')} milestones { nodes { ${aliases(n, 'title')} } } } } }`);
doc('alias flood', 'aliases spread over fragments', `{ ...F ...G } fragment F on Query { ${aliases(20, 'viewer { role }')} } fragment G on Query { ${aliases(20, '__typename').replace(/a(\d+):/g, 'b$1:')} }`);
doc('alias flood', 'aliases in a mutation with variables', `mutation M($p: String!) { ${aliases(35, `login(input: { email: "${USERS.admin}", password: $p }) { token }`)} }`, VALIDATION, { p: 'x' });

// --- token floods -------------------------------------------------------------
for (const n of [3001, 5000, 20000]) doc('token flood', `repeated field x${n}`, `{ viewer { ${'role '.repeat(n)} } }`);
for (const n of [1600, 4000]) doc('token flood', `repeated __typename x${n}`, `{ ${'__typename '.repeat(n)} }`);
for (const n of [1000, 3000]) doc('token flood', `variable definitions x${n}`, `query Q(${Array.from({ length: n }, (_, i) => `$v${i}: Int`).join(' ')}) { viewer { role } }`);
for (const n of [800, 2000]) doc('token flood', `operations x${n}`, Array.from({ length: n }, (_, i) => `query Q${i} { __typename }`).join(' '));
for (const n of [600, 1500]) doc('token flood', `fragments x${n}`, `{ viewer { ...F0 } } ${Array.from({ length: n }, (_, i) => `fragment F${i} on Viewer { role }`).join(' ')}`);
doc('token flood', 'huge list argument', `{ nodes(ids: [${Array.from({ length: 3100 }, (_, i) => `"id${i}"`).join(',')}]) { id } }`);
doc('token flood', 'huge input object', `{ projects(filter: { status: [${Array.from({ length: 3100 }, () => 'ACTIVE').join(',')}] }) { totalCount } }`);
doc('token flood', 'punctuation flood', `{ viewer { role } } ${'{'.repeat(4000)}`);
doc('token flood', 'many empty selection braces', `${'query { __typename } '.repeat(700)}`);
doc('token flood', 'many directives arguments', `{ viewer { role ${Array.from({ length: 800 }, () => '@skip(if: false)').join(' ')} } }`);
doc('token flood', 'many arguments', `{ projects(${Array.from({ length: 1200 }, (_, i) => `first: ${i}`).join(', ')}) { totalCount } }`);
doc('token flood', 'many aliases of login in variables-free mutation', `mutation { ${aliases(1100, 'login(input: {email: "a", password: "b"}) { token }')} }`);
doc('token flood', 'many node ids in nested query', `{ ${aliases(3000, '__typename')} }`);

// --- directive floods -----------------------------------------------------------
for (const n of [21, 50, 200]) doc('directive flood', `@skip on ${n} fields`, `{ viewer { ${Array.from({ length: n }, (_, i) => `r${i}: role @skip(if: false)`).join(' ')} } }`);
for (const n of [21, 60, 300]) doc('directive flood', `@include x${n} on one field`, `{ viewer { role ${'@include(if: true) '.repeat(n)} } }`);
for (const n of [21, 100]) doc('directive flood', `unknown directive x${n}`, `{ viewer { role ${'@cached '.repeat(n)} } }`);
for (const n of [25, 80]) doc('directive flood', `@skip on fragments x${n}`, `{ viewer { ${Array.from({ length: n }, () => '...F @skip(if: false)').join(' ')} } } fragment F on Viewer { role }`);
for (const n of [25, 90]) doc('directive flood', `@include on inline fragments x${n}`, `{ viewer { ${Array.from({ length: n }, () => '... @include(if: true) { role }').join(' ')} } }`);
doc('directive flood', 'directives on the operation', `query Q ${'@skip(if: false) '.repeat(30)} { viewer { role } }`);
doc('directive flood', 'directives in variables', `query Q($b: Boolean!) { viewer { ${Array.from({ length: 30 }, (_, i) => `r${i}: role @include(if: $b)`).join(' ')} } }`, VALIDATION, { b: true });
doc('directive flood', '@deprecated on a query field', `{ viewer { ${Array.from({ length: 25 }, () => 'role @deprecated').join(' ')} } }`);
doc('directive flood', 'directives across fragments', `{ viewer { ...A ...B } } fragment A on Viewer { ${Array.from({ length: 12 }, (_, i) => `a${i}: role @skip(if: false)`).join(' ')} } fragment B on Viewer { ${Array.from({ length: 12 }, (_, i) => `b${i}: role @skip(if: false)`).join(' ')} }`);
doc('directive flood', 'directives in a mutation', `mutation { login(input: {email: "a", password: "b"}) ${'@skip(if: false) '.repeat(25)} { token } }`);

// --- fragment cycles ------------------------------------------------------------
doc('fragment cycle', 'self', `{ projects { nodes { ...A } } } fragment A on Project { name ...A }`);
for (const n of [2, 3, 5, 10, 25, 60]) {
  const frags = Array.from({ length: n }, (_, i) => `fragment F${i} on Project { name ...F${(i + 1) % n} }`).join(' ');
  doc('fragment cycle', `cycle of ${n}`, `{ projects { nodes { ...F0 } } } ${frags}`);
}
doc('fragment cycle', 'cycle through a nested field', `{ projects { nodes { ...A } } } fragment A on Project { milestones { nodes { project { ...A } } } }`);
doc('fragment cycle', 'cycle through inline fragments', `{ projects { nodes { ...A } } } fragment A on Project { ... on Project { ... on Project { ...A } } }`);
doc('fragment cycle', 'cycle on Query', `{ ...Q } fragment Q on Query { viewer { role } ...Q }`);
doc('fragment cycle', 'cycle on Mutation', `mutation { ...M } fragment M on Mutation { login(input: {email: "a", password: "b"}) { token } ...M }`);
doc('fragment cycle', 'cycle in an unused operation', `query A { __typename } query B { ...X } fragment X on Query { ...Y } fragment Y on Query { ...X }`);
doc('fragment cycle', 'two independent cycles', `{ ...A ...C } fragment A on Query { ...B } fragment B on Query { ...A } fragment C on Query { ...D } fragment D on Query { ...C }`);
doc('fragment cycle', 'cycle via node interface', `{ node(id: "x") { ...N } } fragment N on Node { ... on Project { milestones { nodes { ...N } } } }`);
doc('fragment cycle', 'cycle with aliases', `{ projects { nodes { a: name ...A } } } fragment A on Project { b: name ...B } fragment B on Project { c: name ...A }`);
doc('fragment cycle', 'cycle with directives', `{ projects { nodes { ...A } } } fragment A on Project { name ...B @include(if: true) } fragment B on Project { ...A @skip(if: false) }`);
doc('fragment cycle', 'undefined fragment', `{ projects { nodes { ...Nowhere } } }`);
doc('fragment cycle', 'unused fragments', `{ __typename } fragment U on Query { __typename }`);

// --- fragment-based depth tricks ------------------------------------------------
for (const n of [7, 10, 15, 30]) {
  const frags = Array.from({ length: n }, (_, i) =>
    i === n - 1 ? `fragment D${i} on Project { id }` : `fragment D${i} on Project { milestones { nodes { project { ...D${i + 1} } } } }`,
  ).join(' ');
  doc('fragment depth', `chain of ${n} fragments`, `{ projects { nodes { ...D0 } } } ${frags}`);
}
for (const n of [6, 9]) {
  const frags = Array.from({ length: n }, (_, i) =>
    i === n - 1 ? `fragment E${i} on Milestone { id }` : `fragment E${i} on Milestone { project { milestones { nodes { ...E${i + 1} } } } }`,
  ).join(' ');
  doc('fragment depth', `fragments via node() x${n}`, `{ node(id: "x") { ...E0 } } ${frags}`);
}
for (const [width, levels] of [[8, 5], [10, 6], [4, 12]]) {
  // "Billion laughs": each fragment spreads the next one `width` times.
  const frags = Array.from({ length: levels }, (_, i) =>
    i === levels - 1
      ? `fragment L${i} on Project { name }`
      : `fragment L${i} on Project { milestones { nodes { project { ${Array.from({ length: width }, () => `...L${i + 1}`).join(' ')} } } } }`,
  ).join(' ');
  doc('fragment depth', `fragment explosion ${width}^${levels}`, `{ projects { nodes { ...L0 } } } ${frags}`, [...VALIDATION, 'MAX_COST_EXCEEDED']);
}
doc('fragment depth', 'fragment hides depth inside inline fragments', `{ projects { nodes { ...H } } } fragment H on Project { ... on Project { milestones { nodes { ... on Milestone { project { ... on Project { milestones { nodes { ... on Milestone { project { ... on Project { milestones { nodes { id } } } } } } } } } } } } } }`);
doc('fragment depth', 'fragment spread at depth', `{ projects { nodes { milestones { nodes { project { milestones { nodes { project { ...P } } } } } } } } } fragment P on Project { milestones { nodes { project { milestones { nodes { id } } } } } }`);
doc('fragment depth', 'same fragment at several depths', `{ projects { nodes { ...P milestones { nodes { project { ...P milestones { nodes { project { ...P } } } } } } } } } fragment P on Project { milestones { nodes { project { milestones { nodes { project { id } } } } } } }`);

// --- first/last as literals and variables --------------------------------------
const sizes = [101, 150, 1000, 10000, 100000, 1000000];
for (const n of sizes) {
  for (const arg of ['first', 'last']) {
    doc('page size', `${arg}: ${n} literal`, `{ projects(${arg}: ${n}) { nodes { name } } }`, ['BAD_USER_INPUT', 'MAX_COST_EXCEEDED']);
    doc('page size', `${arg}: $n = ${n}`, `query Q($n: Int) { projects(${arg}: $n) { nodes { name } } }`, ['BAD_USER_INPUT', 'MAX_COST_EXCEEDED'], { n });
  }
  doc('page size', `nested first: $n = ${n}`, `query Q($n: Int) { projects(first: 1) { nodes { milestones(first: $n) { nodes { id } } } } }`, ['BAD_USER_INPUT', 'MAX_COST_EXCEEDED'], { n });
}
for (const n of [-1, -100]) {
  doc('page size', `first: ${n} literal`, `{ projects(first: ${n}) { totalCount } }`, ['BAD_USER_INPUT']);
  doc('page size', `first: $n = ${n}`, `query Q($n: Int) { projects(first: $n) { totalCount } }`, ['BAD_USER_INPUT'], { n });
}
doc('page size', 'first beyond Int', `query Q($n: Int) { projects(first: $n) { totalCount } }`, ['BAD_USER_INPUT'], { n: 1e12 });
doc('page size', 'first as a string', `query Q($n: Int) { projects(first: $n) { totalCount } }`, ['BAD_USER_INPUT'], { n: '1000000' });
doc('page size', '100 x 100 x 100 literal', `{ projects(first: 100) { nodes { milestones(first: 100) { nodes { deliverables(first: 100) { nodes { id } } } } } } }`, ['MAX_COST_EXCEEDED']);
doc('page size', '100 x 100 x 100 variables', `query Q($a: Int, $b: Int, $c: Int) { projects(first: $a) { nodes { milestones(first: $b) { nodes { deliverables(first: $c) { nodes { id } } } } } } }`, ['MAX_COST_EXCEEDED'], { a: 100, b: 100, c: 100 });
doc('page size', '100 x 100 with last', `query Q($n: Int) { projects(last: $n) { nodes { contracts(last: $n) { nodes { deliverables(last: $n) { nodes { id } } } } } } }`, ['MAX_COST_EXCEEDED'], { n: 100 });
doc('page size', 'default page sizes nested four deep', `{ projects { nodes { contracts { nodes { deliverables { nodes { milestone { deliverables { nodes { id } } } } } } } } } }`, ['MAX_COST_EXCEEDED']);
doc('page size', 'variable default value', `query Q($n: Int = 1000000) { projects(first: $n) { totalCount } }`, ['BAD_USER_INPUT', 'MAX_COST_EXCEEDED']);
doc('page size', 'nodes(ids:) with 101 ids', `query Q($ids: [ID!]!) { nodes(ids: $ids) { id } }`, ['BAD_USER_INPUT'], { ids: Array.from({ length: 101 }, (_, i) => `id${i}`) });
doc('page size', 'nodes(ids:) with 5000 ids', `query Q($ids: [ID!]!) { nodes(ids: $ids) { id } }`, ['BAD_USER_INPUT', 'MAX_COST_EXCEEDED'], { ids: Array.from({ length: 5000 }, (_, i) => `id${i}`) });

// --- batched arrays ---------------------------------------------------------------
for (const n of [1, 2, 10, 100, 1000]) {
  cases.push({
    category: 'batched array', name: `array of ${n}`, statuses: [400], codes: ['BAD_REQUEST'],
    send: (app, token) => app.raw({
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify(Array.from({ length: n }, () => ({ query: '{ viewer { role } }' }))),
    }),
  });
}
for (const [name, body] of [
  ['array of logins', JSON.stringify(Array.from({ length: 20 }, () => ({ query: 'mutation { login(input: {email: "a", password: "b"}) { token } }' })))],
  ['empty array', '[]'],
  ['nested arrays', JSON.stringify([[{ query: '{ __typename }' }], [{ query: '{ __typename }' }]])],
  ['array with variables', JSON.stringify([{ query: 'query Q($n: Int) { projects(first: $n) { totalCount } }', variables: { n: 5 } }, { query: '{ __typename }' }])],
  ['array of strings', JSON.stringify(['{ __typename }', '{ __typename }'])],
] as const) {
  cases.push({
    category: 'batched array', name, statuses: [400], codes: ['BAD_REQUEST'],
    send: (app, token) => app.raw({ headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body }),
  });
}

// --- oversized bodies -----------------------------------------------------------
for (const [name, bytes] of [['limit + 1 byte', 100 * 1024 + 1], ['200 KB', 200 * 1024], ['1 MB', 1024 * 1024], ['5 MB', 5 * 1024 * 1024], ['20 MB', 20 * 1024 * 1024]] as const) {
  cases.push({
    category: 'oversized body', name: `variables ${name}`, statuses: [413], codes: ['PAYLOAD_TOO_LARGE'],
    send: (app, token) => {
      const shell = JSON.stringify({ query: '{ viewer { role } }', variables: { pad: '' } });
      const body = shell.replace('"pad":""', `"pad":"${'x'.repeat(Math.max(0, bytes - shell.length))}"`);
      return app.raw({ headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body });
    },
  });
}
for (const [name, bytes] of [['query 150 KB', 150 * 1024], ['query 2 MB', 2 * 1024 * 1024], ['comment 300 KB', 300 * 1024]] as const) {
  cases.push({
    category: 'oversized body', name, statuses: [413], codes: ['PAYLOAD_TOO_LARGE'],
    send: (app, token) => app.raw({
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: name.startsWith('comment') ? `# ${'c'.repeat(bytes)}\n{ viewer { role } }` : `{ viewer { ${'role '.repeat(bytes / 5)} } }` }),
    }),
  });
}
cases.push({
  category: 'oversized body', name: 'extensions 500 KB', statuses: [413], codes: ['PAYLOAD_TOO_LARGE'],
  send: (app, token) => app.raw({
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query: '{ viewer { role } }', extensions: { junk: 'j'.repeat(500 * 1024) } }),
  }),
});
cases.push({
  category: 'oversized body', name: 'batched array 1 MB', statuses: [413], codes: ['PAYLOAD_TOO_LARGE'],
  send: (app, token) => app.raw({
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify(Array.from({ length: 20000 }, () => ({ query: '{ viewer { role } }' }))),
  }),
});

// --- wrong content types --------------------------------------------------------
const body = JSON.stringify({ query: '{ viewer { role } }' });
for (const type of [
  'text/plain', 'text/plain; charset=utf-8', 'text/html', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x',
  'application/graphql', 'application/xml', 'text/xml', 'application/octet-stream', 'application/javascript', 'image/png',
  'application/jsonp', 'text/json', 'application/x-json', 'application/graphql-response+json', '',
]) {
  cases.push({
    category: 'wrong content type', name: type || '(none)', statuses: [415], codes: ['UNSUPPORTED_MEDIA_TYPE'],
    send: (app, token) => app.raw({ headers: { ...(type ? { 'content-type': type } : {}), authorization: `Bearer ${token}` }, body: type === '' ? Buffer.from(body) : body }),
  });
}
cases.push({
  category: 'wrong content type', name: 'form-encoded query', statuses: [415], codes: ['UNSUPPORTED_MEDIA_TYPE'],
  send: (app, token) => app.raw({ headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Bearer ${token}` }, body: `query=${encodeURIComponent('mutation { login(input: {email: "a", password: "b"}) { token } }')}` }),
});

// --- GET mutations ----------------------------------------------------------------
function get(query: string, extra: Record<string, string> = {}, headers: Record<string, string> = {}) {
  return (app: HardenedApp, token: string) => {
    const params = new URLSearchParams({ query, ...extra });
    return app.raw({ method: 'GET', path: `/graphql?${params}`, headers: { authorization: `Bearer ${token}`, ...headers } });
  };
}
const PREFLIGHT = { 'apollo-require-preflight': 'true' };
const getMutations: [string, string, Record<string, string>][] = [
  ['login', `mutation { login(input: { email: "${USERS.admin}", password: "${DEMO_PASSWORD}" }) { token } }`, {}],
  ['createApiToken', 'mutation { createApiToken(input: { name: "via GET" }) { secret } }', {}],
  ['revokeApiToken', 'mutation { revokeApiToken(input: { id: "QXBpVG9rZW46MA==" }) { apiToken { id } } }', {}],
  ['named mutation among queries', 'query A { __typename } mutation B { createApiToken(input: { name: "x" }) { secret } }', { operationName: 'B' }],
  ['mutation with variables', 'mutation M($i: CreateApiTokenInput!) { createApiToken(input: $i) { secret } }', { variables: JSON.stringify({ i: { name: 'x' } }) }],
  ['mutation with fragments', 'mutation { ...F } fragment F on Mutation { createApiToken(input: { name: "x" }) { secret } }', {}],
];
for (const [name, query, extra] of getMutations) {
  cases.push({ category: 'GET mutation', name: `${name} (preflight header)`, statuses: [405], codes: ['BAD_REQUEST'], send: get(query, extra, PREFLIGHT) });
  cases.push({ category: 'GET mutation', name: `${name} (no preflight header)`, statuses: [400, 405], codes: ['BAD_REQUEST'], send: get(query, extra) });
}

let app: HardenedApp;
let token: string;
beforeAll(async () => {
  app = await startHardenedApp({ logLevel: 'warn' });
  token = await app.login(USERS.admin);
});
afterAll(async () => {
  await app?.close();
});

test('the corpus is large enough and covers every category of the issue', () => {
  const categories = new Map<string, number>();
  for (const c of cases) categories.set(c.category, (categories.get(c.category) ?? 0) + 1);
  expect(cases.length).toBeGreaterThanOrEqual(200);
  expect([...categories.keys()].sort()).toEqual([
    'GET mutation', 'alias flood', 'batched array', 'deep nesting', 'directive flood', 'fragment cycle', 'fragment depth',
    'oversized body', 'page size', 'token flood', 'wrong content type',
  ]);
  console.log(`hostile corpus categories: ${[...categories].map(([k, v]) => `${k} ${v}`).join(', ')}`);
});

test('every hostile request is refused with a clear error before any resolver runs', async () => {
  // The counter counts: a legitimate query resolves fields.
  app.resolvers.reset();
  const ok = await app.gql('{ viewer { role } }', {}, token);
  expect(ok.body?.data).toEqual({ viewer: { role: 'ADMIN' } });
  expect(app.resolvers.calls).toBeGreaterThan(0);

  app.resolvers.reset();
  const failures: string[] = [];
  let slowest = 0;
  for (let i = 0; i < cases.length; i += 6) {
    await Promise.all(cases.slice(i, i + 6).map(async (c) => {
      const started = Date.now();
      const res = await c.send(app, token);
      slowest = Math.max(slowest, Date.now() - started);
      const error = res.body?.errors?.[0];
      const code = error?.extensions?.code;
      const problems: string[] = [];
      if (!c.statuses.includes(res.status)) problems.push(`status ${res.status}`);
      if (!error || !error.message || error.message === 'Internal server error') problems.push('no clear error');
      if (!c.codes.includes(code)) problems.push(`code ${code}`);
      if (res.body?.data !== undefined) problems.push('has data');
      if (/Did you mean/.test(res.text)) problems.push('suggestion');
      if (problems.length) failures.push(`${c.category} / ${c.name}: ${problems.join(', ')} — ${res.text.slice(0, 200)}`);
    }));
  }
  expect(failures).toEqual([]);
  expect(app.resolvers.executions).toBe(0);
  expect(app.resolvers.calls).toBe(0);
  console.log(`hostile corpus: ${cases.length - failures.length}/${cases.length} rejected before any resolver, ${app.resolvers.calls} resolver calls, ${app.resolvers.executions} executions, slowest rejection ${slowest} ms`);
});

test('production does not echo the limits, and still says what to change', async () => {
  const prod = await startHardenedApp({
    databaseUrl: app.databaseUrl,
    env: { NODE_ENV: 'production', JWT_SECRET: STRONG_SECRET },
    logLevel: 'warn',
  });
  try {
    const t = await prod.login(USERS.admin);
    const probes: [string, () => Promise<Response>, RegExp][] = [
      ['depth', () => prod.gql(deepProjects(10), {}, t), /nested too deeply/],
      ['aliases', () => prod.gql(`{ ${aliases(40, 'viewer { role }')} }`, {}, t), /too many aliases/],
      ['directives', () => prod.gql(`{ viewer { ${Array.from({ length: 30 }, (_, i) => `r${i}: role @skip(if: false)`).join(' ')} } }`, {}, t), /too many directives/],
      ['tokens', () => prod.gql(`{ viewer { ${'role '.repeat(5000)} } }`, {}, t), /too large: send a shorter query/],
      ['cost', () => prod.gql('{ projects(first: 100) { nodes { milestones(first: 100) { nodes { deliverables(first: 100) { nodes { id } } } } } } }', {}, t), /too costly/],
      ['body', () => prod.raw({ headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ __typename }', v: 'x'.repeat(200 * 1024) }) }), /too large/],
    ];
    const leaks: string[] = [];
    for (const [name, probe, expected] of probes) {
      const res = await probe();
      const message = res.body?.errors?.[0]?.message ?? '';
      if (!expected.test(message)) leaks.push(`${name}: unexpected message "${message}"`);
      if (/\d/.test(message)) leaks.push(`${name}: states a number: "${message}"`);
    }
    expect(leaks).toEqual([]);
    console.log(`production limit messages: ${probes.length}/${probes.length} without the limit values`);
  } finally {
    await prod.close();
  }
});
