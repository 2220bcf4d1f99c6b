/**
 * The operator's directory: every organization and user, for operator staff
 * only; filters narrow it, and a disabled user stays listed with disabledAt.
 */
import { startTestApp, USERS, type TestApp } from '../support/app';

describe('organizations and users', () => {
  let app: TestApp;
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    app = await startTestApp();
    for (const who of ['admin', 'pm', 'aurora', 'cobalt'] as const) tokens[who] = await app.login(USERS[who]);
  }, 120_000);
  afterAll(async () => {
    await app?.close();
  });

  const ORGS = '{ organizations(first: 100) { totalCount nodes { name kind } } }';
  const USERS_Q = '{ users(first: 100) { totalCount nodes { email role organization { name } disabledAt } } }';

  test('operator staff list every organization by name and every user by email', async () => {
    for (const who of ['admin', 'pm']) {
      const orgs = await app.gql(ORGS, {}, tokens[who]);
      expect(orgs.errors).toBeUndefined();
      expect(orgs.data.organizations).toEqual({
        totalCount: 5,
        nodes: [
          { name: 'Aurora Capital', kind: 'INVESTOR' },
          { name: 'Beacon Ventures', kind: 'INVESTOR' },
          { name: 'Cobalt Cloud', kind: 'VENDOR' },
          { name: 'Delta QA', kind: 'SUBCONTRACTOR' },
          { name: 'Northwind Digital', kind: 'OPERATOR' },
        ],
      });
      const users = await app.gql(USERS_Q, {}, tokens[who]);
      expect(users.errors).toBeUndefined();
      expect(users.data.users.nodes.map((u: { email: string; role: string; organization: { name: string } }) => `${u.email} ${u.role} ${u.organization.name}`)).toEqual([
        'admin@northwind.example ADMIN Northwind Digital',
        'analyst@beacon.example VIEWER Beacon Ventures',
        'ir@aurora.example VIEWER Aurora Capital',
        'lead@cobalt.example MEMBER Cobalt Cloud',
        'pm@northwind.example MANAGER Northwind Digital',
        'qa@delta.example MEMBER Delta QA',
      ]);
    }
  });

  test('filters: kinds of organizations; users of one organization and roles', async () => {
    const partners = await app.gql('{ organizations(filter: { kind: [VENDOR, SUBCONTRACTOR] }) { nodes { id name } } }', {}, tokens.admin);
    expect(partners.data.organizations.nodes.map((o: { name: string }) => o.name)).toEqual(['Cobalt Cloud', 'Delta QA']);
    const [northwind] = (await app.gql('{ organizations(filter: { kind: [OPERATOR] }) { nodes { id } } }', {}, tokens.admin)).data.organizations.nodes;
    const staff = await app.gql('query ($org: ID!) { users(filter: { organizationId: $org, role: [MANAGER] }) { nodes { email } } }', { org: northwind.id }, tokens.admin);
    expect(staff.data.users.nodes).toEqual([{ email: 'pm@northwind.example' }]);
    const wrong = await app.gql('query ($org: ID!) { users(filter: { organizationId: $org }) { totalCount } }', { org: partners.data.organizations.nodes[0].id.replace(/.$/, '') }, tokens.admin);
    expect(wrong.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  test('investors and partners are refused both lists', async () => {
    for (const who of ['aurora', 'cobalt']) {
      for (const q of [ORGS, USERS_Q]) {
        const res = await app.gql(q, {}, tokens[who]);
        expect(res.data).toBeNull();
        expect(res.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
      }
    }
  });
});
