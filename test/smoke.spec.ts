import { startTestApp, USERS, type TestApp } from './support/app';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => {
  await app?.close();
});

test('each demo user sees exactly their projects', async () => {
  const expected: Record<keyof typeof USERS, string[]> = {
    admin: ['Atlas', 'Borealis', 'Cirrus'],
    pm: ['Atlas', 'Borealis'],
    aurora: ['Atlas', 'Borealis'],
    beacon: ['Borealis', 'Cirrus'],
    cobalt: ['Atlas'],
    delta: ['Borealis'],
  };
  for (const [user, names] of Object.entries(expected) as [keyof typeof USERS, string[]][]) {
    const token = await app.login(USERS[user]);
    const res = await app.gql('{ projects { totalCount nodes { name } } }', {}, token);
    expect(res.errors).toBeUndefined();
    expect(res.data.projects.nodes.map((p: { name: string }) => p.name)).toEqual(names);
    expect(res.data.projects.totalCount).toBe(names.length);
  }
});

test('anonymous requests are refused with UNAUTHENTICATED', async () => {
  const res = await app.gql('{ projects { totalCount } }');
  expect(res.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  expect(res.data).toBeNull();
});
