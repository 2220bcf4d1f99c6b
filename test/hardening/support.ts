/**
 * A real server for the hardening tests: like test/support/app.ts, plus a
 * resolver-call counter (an Apollo plugin), captured JSON logs, raw HTTP
 * access and configuration overrides.
 */
import 'reflect-metadata';
import type { ApolloServerPlugin } from '@apollo/server';
import type { MikroORM } from '@mikro-orm/postgresql';
import { loadConfig, type Config } from '../../src/config';
import type { Context } from '../../src/access/context';
import { createLogger } from '../../src/core/logger';
import { initOrm, migrate } from '../../src/db/orm';
import { DEMO_PASSWORD, seedDemo } from '../../src/db/seed';
import { startServer, type RunningServer } from '../../src/http/server';
import { createTestDatabase, dropTestDatabase, USERS } from '../support/app';

export { USERS };

export const STRONG_SECRET = 'b4f1c9e27a6d3850f2e9c41b7a0d6e58c3f9a1b2d4e6f8091a2b3c4d5e6f7a8b';

export interface Response<T = any> {
  status: number;
  headers: Headers;
  text: string;
  body: { data?: T; errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, any> }[]; extensions?: Record<string, any> } | null;
}

export interface HardenedApp {
  url: string;
  base: string;
  orm: MikroORM;
  server: RunningServer;
  config: Config;
  databaseUrl: string;
  /** Field resolutions and executions since the last reset (every field, including default resolvers). */
  resolvers: { calls: number; executions: number; reset(): void };
  /** Every log line written by the server, parsed. */
  logs: Record<string, any>[];
  logText(): string;
  gql<T = any>(query: string, variables?: Record<string, unknown>, token?: string | null, headers?: Record<string, string>): Promise<Response<T>>;
  raw(init: { method?: string; path?: string; headers?: Record<string, string>; body?: string | Buffer }): Promise<Response>;
  login(email: string, password?: string): Promise<string>;
  close(): Promise<void>;
}

export function resolverCounter() {
  const counter = {
    calls: 0,
    executions: 0,
    reset() {
      this.calls = 0;
      this.executions = 0;
    },
  };
  const plugin: ApolloServerPlugin<Context> = {
    async requestDidStart() {
      return {
        async executionDidStart() {
          counter.executions += 1;
          return {
            willResolveField() {
              counter.calls += 1;
            },
          };
        },
      };
    },
  };
  return { counter, plugin };
}

async function parse(res: globalThis.Response): Promise<Response> {
  const text = await res.text();
  let body: Response['body'] = null;
  try {
    body = JSON.parse(text);
  } catch {
    body = null;
  }
  return { status: res.status, headers: res.headers, text, body };
}

export interface StartOptions {
  env?: Record<string, string>;
  seed?: boolean;
  /** Use this database instead of a fresh one (not dropped at close). */
  databaseUrl?: string;
  logLevel?: string;
  plugins?: ApolloServerPlugin<Context>[];
  /** ORM pool size. */
  poolMax?: number;
  /** Run the migrations and load the demo data (default: only on a fresh database). */
  prepare?: boolean;
}

export async function startHardenedApp(options: StartOptions = {}): Promise<HardenedApp> {
  const own = options.databaseUrl ? null : await createTestDatabase(options.prepare === false ? 'empty' : options.seed === false ? 'migrated' : 'seeded');
  const databaseUrl = options.databaseUrl ?? own!.url;
  const config = loadConfig({ NODE_ENV: 'test', DATABASE_URL: databaseUrl, ...(options.env ?? {}) });
  const orm = await initOrm({ url: databaseUrl, poolMax: options.poolMax });
  if (options.prepare && !own) {
    await migrate(orm);
    if (options.seed !== false) await seedDemo(orm.em.fork());
  }
  const logs: Record<string, any>[] = [];
  const rawLines: string[] = [];
  const destination = {
    write(line: string) {
      rawLines.push(line);
      try {
        logs.push(JSON.parse(line));
      } catch {
        logs.push({ unparsable: line });
      }
    },
  };
  const { counter, plugin } = resolverCounter();
  const server = await startServer(orm, config, createLogger(options.logLevel ?? 'info', destination), 0, {
    plugins: [plugin, ...(options.plugins ?? [])],
  });
  const base = `http://127.0.0.1:${server.port}`;
  const url = `${base}/graphql`;

  const raw: HardenedApp['raw'] = async (init) => {
    const res = await fetch(`${base}${init.path ?? '/graphql'}`, {
      method: init.method ?? 'POST',
      headers: init.headers,
      body: init.body as any,
    });
    return parse(res);
  };

  const gql: HardenedApp['gql'] = async (query, variables, token, headers = {}) => {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
      body: JSON.stringify({ query, variables }),
    });
    return parse(res) as Promise<Response<any>>;
  };

  const tokens = new Map<string, string>();
  const login = async (email: string, password = DEMO_PASSWORD) => {
    const key = `${email}\u0000${password}`;
    const cached = tokens.get(key);
    if (cached) return cached;
    const res = await gql('mutation L($input: LoginInput!) { login(input: $input) { token } }', { input: { email, password } });
    const token = res.body?.data?.login?.token;
    if (!token) throw new Error(`login failed for ${email}: ${res.text}`);
    tokens.set(key, token);
    return token as string;
  };

  let closed = false;
  return {
    url,
    base,
    orm,
    server,
    config,
    databaseUrl,
    resolvers: counter,
    logs,
    logText: () => rawLines.join(''),
    gql,
    raw,
    login,
    async close() {
      if (closed) return;
      closed = true;
      await server.stop().catch(() => undefined);
      await new Promise((resolve) => server.httpServer.close(resolve));
      await orm.close().catch(() => undefined);
      if (own) await dropTestDatabase(own.name);
    },
  };
}

/** What must never reach a client: SQL, addresses, stack frames, schema suggestions. */
export function leaksIn(text: string): string[] {
  const patterns: [string, RegExp][] = [
    ['SQL', /\b(select|insert|update|delete)\b[\s\S]{0,120}\b(from|into|set|where)\b/i],
    ['SQL', /relation "|violates|constraint|syntax error at|column "|duplicate key|pg_|::uuid/i],
    ['address', /\b\d{1,3}(\.\d{1,3}){3}\b|localhost|:\d{4,5}\b/i],
    ['driver', /ECONN|postgres|knex|mikro|driver/i],
    ['stack', /\n\s+at |\bat \S+ \(|\.(ts|js):\d+/],
    ['suggestion', /Did you mean/],
  ];
  return patterns.filter(([, re]) => re.test(text)).map(([name]) => name);
}

/** Percentile of sorted numbers. */
export function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i];
}
