/**
 * A real Vantage server on a database of its own (created from the
 * migrations and loaded with the demo data), for one test file.
 */
import 'reflect-metadata';
import { MikroORM } from '@mikro-orm/postgresql';
import { randomBytes } from 'node:crypto';
import { loadConfig, type Config } from '../../src/config';
import { createLogger } from '../../src/core/logger';
import { initOrm, migrate } from '../../src/db/orm';
import { DEMO_PASSWORD, seedDemo } from '../../src/db/seed';
import { startServer, type RunningServer } from '../../src/http/server';
import { TEMPLATE_ENV } from './templates';

export interface GqlResult<T = any> {
  status: number;
  data?: T;
  errors?: { message: string; path?: (string | number)[]; extensions?: { code?: string; [k: string]: unknown } }[];
  extensions?: Record<string, unknown>;
  headers: Headers;
}

export interface TestApp {
  orm: MikroORM;
  server: RunningServer;
  config: Config;
  databaseName: string;
  /** POSTs a GraphQL operation; `token` as Bearer when given. */
  gql<T = any>(query: string, variables?: Record<string, unknown>, token?: string | null): Promise<GqlResult<T>>;
  /** Signs in a demo user (password vantage-demo) and returns the access token. */
  login(email: string): Promise<string>;
  /** SQL statements issued by the server since the last reset. */
  sql: { count: number; statements: string[]; reset(): void };
  close(): Promise<void>;
}

function adminUrl(): string {
  const url = process.env.VANTAGE_TEST_DATABASE_URL;
  if (!url) throw new Error('VANTAGE_TEST_DATABASE_URL is not set: run the tests through jest (test/global-setup.ts)');
  return url;
}

/**
 * What a new test database starts from: `empty`, `migrated` (the schema), or
 * `seeded` (the schema and the demo data). The last two are copies of the
 * run's template databases (test/global-setup.ts), so each file gets its
 * data in a fraction of a second instead of migrating and hashing the demo
 * passwords again.
 */
export type DatabaseStart = 'empty' | 'migrated' | 'seeded';

async function adminExecute(sql: string): Promise<void> {
  const admin = await MikroORM.init({ clientUrl: adminUrl(), entities: [], discovery: { warnWhenNoEntities: false }, allowGlobalContext: true });
  try {
    await admin.em.getConnection().execute(sql);
  } finally {
    await admin.close();
  }
}

export async function createTestDatabase(start: DatabaseStart = 'empty'): Promise<{ url: string; name: string }> {
  const name = `vantage_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const template = start === 'empty' ? undefined : process.env[TEMPLATE_ENV[start]];
  await adminExecute(template ? `create database "${name}" template "${template}"` : `create database "${name}"`);
  const url = new URL(adminUrl());
  url.pathname = `/${name}`;
  if (start !== 'empty' && !template) {
    // Run outside jest's global setup (no templates): prepare it here.
    const orm = await initOrm({ url: url.toString() });
    try {
      await migrate(orm);
      if (start === 'seeded') await seedDemo(orm.em.fork());
    } finally {
      await orm.close();
    }
  }
  return { url: url.toString(), name };
}

export async function dropTestDatabase(name: string): Promise<void> {
  await adminExecute(`drop database if exists "${name}" with (force)`);
}

export async function startTestApp(options: { seed?: boolean; env?: Record<string, string> } = {}): Promise<TestApp> {
  const { url, name } = await createTestDatabase(options.seed === false ? 'migrated' : 'seeded');
  const config = loadConfig({ NODE_ENV: 'test', DATABASE_URL: url, ...(options.env ?? {}) });
  const orm = await initOrm({ url });

  const sql = {
    count: 0,
    statements: [] as string[],
    reset() {
      this.count = 0;
      this.statements = [];
    },
  };
  orm.em.getKnex().on('query', (q: { sql: string }) => {
    sql.count += 1;
    sql.statements.push(q.sql);
  });

  const server = await startServer(orm, config, createLogger('silent'), 0);
  const endpoint = `http://127.0.0.1:${server.port}/graphql`;

  const gql = async <T>(query: string, variables?: Record<string, unknown>, token?: string | null): Promise<GqlResult<T>> => {
    const res = await fetch(endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await res.json()) as Omit<GqlResult<T>, 'status' | 'headers'>;
    return { ...body, status: res.status, headers: res.headers };
  };

  const tokens = new Map<string, string>();
  const login = async (email: string): Promise<string> => {
    const cached = tokens.get(email);
    if (cached) return cached;
    const res = await gql<{ login: { token: string | null } }>(
      'mutation Login($input: LoginInput!) { login(input: $input) { token userErrors { code message } } }',
      { input: { email, password: DEMO_PASSWORD } },
    );
    const token = res.data?.login.token;
    if (!token) throw new Error(`login failed for ${email}: ${JSON.stringify(res)}`);
    tokens.set(email, token);
    return token;
  };

  return {
    orm,
    server,
    config,
    databaseName: name,
    gql,
    login,
    sql,
    async close() {
      await server.stop();
      await new Promise((resolve) => server.httpServer.close(resolve));
      await orm.close();
      await dropTestDatabase(name);
    },
  };
}

/** Demo users by short name. */
export const USERS = {
  admin: 'admin@northwind.example',
  pm: 'pm@northwind.example',
  aurora: 'ir@aurora.example',
  beacon: 'analyst@beacon.example',
  cobalt: 'lead@cobalt.example',
  delta: 'qa@delta.example',
} as const;
export type DemoUser = keyof typeof USERS;
