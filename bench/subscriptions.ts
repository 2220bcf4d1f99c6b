/**
 * Subscriptions benchmark (not a test): one server process, N concurrent
 * `projectChanged` subscriptions on Borealis, one WebSocket each, spread over
 * the five demo users who may see it; then M changes, one at a time.
 *
 * Measured:
 * - latency from commit to each subscriber's message: the commit instant is
 *   when this process's own LISTEN session hears the change's `vantage_event`
 *   (PostgreSQL delivers it at commit), the end is the message's arrival on
 *   the subscriber's socket; p50/p95/p99/max over N × M messages;
 * - memory per idle subscription: the server's RSS with the subscriptions
 *   open and idle, minus its RSS before, divided by N (connection included).
 *
 * Usage: node -r @swc-node/register bench/subscriptions.ts [--subscriptions 1000] [--changes 20] [--via mutation|notify]
 * `--via notify` announces each change with pg_notify itself instead of a mutation (what the database
 * sends at commit either way), for a branch without the event outbox. DATABASE_URL: an existing server
 * (a throw-away database is created in it); otherwise an embedded PostgreSQL under .data/bench-subscriptions.
 */
import 'reflect-metadata';
import { spawn } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { createClient, type Client } from 'graphql-ws';
import pg from 'pg';
import WebSocket from 'ws';
import { freePort, startEmbeddedPostgres } from '../src/db/embedded';
import { initOrm, migrate } from '../src/db/orm';
import { DEMO_PASSWORD, seedDemo } from '../src/db/seed';

const ROOT = path.resolve(__dirname, '..');

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

const SUBSCRIPTIONS = Number(arg('subscriptions', '1000'));
const CHANGES = Number(arg('changes', '20'));
const VIA = arg('via', 'mutation');
const USERS = ['admin@northwind.example', 'pm@northwind.example', 'ir@aurora.example', 'analyst@beacon.example', 'qa@delta.example'];

function rssKb(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmRSS:'));
  return Number(/(\d+)/.exec(line ?? '')?.[1] ?? 0);
}

function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function database(): Promise<{ url: string; stop(): Promise<void> }> {
  if (process.env.DATABASE_URL) {
    const base = new URL(process.env.DATABASE_URL);
    const name = `vantage_bench_subs_${process.pid}`;
    const admin = new pg.Client({ connectionString: base.toString() });
    await admin.connect();
    await admin.query(`create database "${name}"`);
    await admin.end();
    const url = new URL(base.toString());
    url.pathname = `/${name}`;
    return {
      url: url.toString(),
      async stop() {
        const c = new pg.Client({ connectionString: base.toString() });
        await c.connect();
        await c.query(`drop database if exists "${name}" with (force)`);
        await c.end();
      },
    };
  }
  const dataDir = path.join(ROOT, '.data', 'bench-subscriptions', String(process.pid));
  const db = await startEmbeddedPostgres({ dataDir, postgresFlags: ['-c', 'max_connections=300'] });
  return {
    url: db.url,
    async stop() {
      await db.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function main() {
  const db = await database();
  const orm = await initOrm({ url: db.url });
  await migrate(orm);
  await seedDemo(orm.em.fork());
  await orm.close();

  const port = await freePort();
  const server = spawn(process.execPath, ['--max-semi-space-size=64', '-r', '@swc-node/register', 'src/main.ts'], {
    cwd: ROOT,
    env: {
      ...process.env, NODE_ENV: 'development', DATABASE_URL: db.url, HOST: '127.0.0.1', PORT: String(port), LOG_LEVEL: 'warn',
      SUBSCRIPTIONS_PER_VIEWER: String(SUBSCRIPTIONS), JOBS: 'off', TRUSTED_DOCUMENTS: 'off',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const base = `http://127.0.0.1:${port}`;
  try {
    for (let i = 0; ; i += 1) {
      try {
        if ((await fetch(`${base}/readyz`)).ok) break;
      } catch {
        /* starting */
      }
      if (i > 1800) throw new Error('the server did not start');
      await sleep(100);
    }
    const gql = async (query: string, variables: Record<string, unknown>, token?: string) => {
      const res = await fetch(`${base}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify({ query, variables }),
      });
      return (await res.json()) as any;
    };
    const tokens: string[] = [];
    for (const email of USERS) {
      const r = await gql('mutation($i: LoginInput!) { login(input: $i) { token } }', { i: { email, password: DEMO_PASSWORD } });
      tokens.push(r.data.login.token);
    }
    const projects = await gql('{ projects { nodes { id name } } }', {}, tokens[0]);
    const borealis = projects.data.projects.nodes.find((p: { name: string }) => p.name === 'Borealis').id as string;
    const [, borealisUuid] = Buffer.from(borealis, 'base64url').toString().split(':');

    // The commit instants, as PostgreSQL announces them.
    const listen = new pg.Client({ connectionString: db.url });
    await listen.connect();
    await listen.query('LISTEN vantage_event');
    let committedAt = 0;
    let commitSeen: (() => void) | null = null;
    listen.on('notification', (msg) => {
      if (msg.channel !== 'vantage_event' || !JSON.parse(msg.payload ?? '{}').projectId) return;
      committedAt = performance.now();
      commitSeen?.();
    });

    // The server's RSS once it has settled after start-up and the sign-ins.
    await sleep(2000);
    const rssBefore = rssKb(server.pid!);

    const clients: Client[] = [];
    const received: number[] = new Array(SUBSCRIPTIONS).fill(0);
    const arrivals: number[][] = Array.from({ length: SUBSCRIPTIONS }, () => []);
    let waiting: (() => void) | null = null;
    let round = 0;
    let pendingInRound = 0;
    const subscribed = { n: 0 };
    const opened = Date.now();
    for (let i = 0; i < SUBSCRIPTIONS; i += 1) {
      const token = tokens[i % tokens.length];
      const client = createClient({ url: `ws://127.0.0.1:${port}/graphql`, webSocketImpl: WebSocket, connectionParams: { authorization: `Bearer ${token}` }, retryAttempts: 0, lazy: false, onNonLazyError: () => undefined });
      clients.push(client);
      client.subscribe({ query: 'subscription($id: ID!) { projectChanged(id: $id) { name } }', variables: { id: borealis } }, {
        next: (value) => {
          if ((value as any).errors) {
            console.error('subscription error', JSON.stringify((value as any).errors));
            return;
          }
          const now = performance.now();
          received[i] += 1;
          arrivals[i].push(now);
          if (received[i] === round) {
            pendingInRound -= 1;
            if (pendingInRound === 0) waiting?.();
          }
        },
        error: (err) => console.error('subscription failed', err),
        complete: () => undefined,
      });
      if (i % 50 === 49) await sleep(20);
    }
    // Every subscription is registered once the server's gauge says so.
    for (;;) {
      const metrics = await (await fetch(`${base}/metrics`)).text();
      const active = Number(/^vantage_subscriptions_active (\d+)/m.exec(metrics)?.[1] ?? 0);
      subscribed.n = active;
      if (active >= SUBSCRIPTIONS) break;
      if (Date.now() - opened > 120_000) throw new Error(`only ${active} of ${SUBSCRIPTIONS} subscriptions active after 120 s`);
      await sleep(200);
    }
    const openSeconds = (Date.now() - opened) / 1000;
    await sleep(3000);
    const rssIdle = rssKb(server.pid!);

    const latencies: number[] = [];
    const roundMax: number[] = [];
    const notifier = new pg.Client({ connectionString: db.url });
    await notifier.connect();
    for (let k = 1; k <= CHANGES; k += 1) {
      round = k;
      pendingInRound = SUBSCRIPTIONS;
      const allReceived = new Promise<void>((resolve) => (waiting = resolve));
      const committed = new Promise<void>((resolve) => (commitSeen = resolve));
      if (VIA === 'notify') {
        await notifier.query('select pg_notify($1, $2)', ['vantage_event', JSON.stringify({ id: borealisUuid, type: 'update.posted', subjectType: 'Project', subjectId: borealisUuid, projectId: borealisUuid })]);
      } else {
        const r = await gql('mutation($input: PostProjectUpdateInput!) { postProjectUpdate(input: $input) { userErrors { message } } }', {
          input: { projectId: borealis, title: `Bench ${k}`, body: 'A change for the subscriptions benchmark.', audience: 'STAKEHOLDERS' },
        }, tokens[1]);
        if (r.errors || r.data.postProjectUpdate.userErrors.length) throw new Error(JSON.stringify(r));
      }
      await committed;
      const at = committedAt;
      const timeout = setTimeout(() => waiting?.(), 30_000);
      await allReceived;
      clearTimeout(timeout);
      let max = 0;
      for (let i = 0; i < SUBSCRIPTIONS; i += 1) {
        const t = arrivals[i][k - 1];
        if (t === undefined) continue;
        latencies.push(t - at);
        max = Math.max(max, t - at);
      }
      roundMax.push(max);
      await sleep(100);
    }
    const missing = SUBSCRIPTIONS * CHANGES - latencies.length;
    latencies.sort((a, b) => a - b);
    const mb = (kb: number) => (kb / 1024).toFixed(1);
    const result = {
      subscriptions: SUBSCRIPTIONS,
      changes: CHANGES,
      via: VIA,
      messages: latencies.length,
      missing,
      latencyMs: {
        p50: Number(percentile(latencies, 50).toFixed(1)),
        p95: Number(percentile(latencies, 95).toFixed(1)),
        p99: Number(percentile(latencies, 99).toFixed(1)),
        max: Number(latencies[latencies.length - 1]?.toFixed(1)),
      },
      openSeconds: Number(openSeconds.toFixed(1)),
      rssMb: { before: mb(rssBefore), idle: mb(rssIdle) },
      kbPerIdleSubscription: Number(((rssIdle - rssBefore) / SUBSCRIPTIONS).toFixed(1)),
      cores: (await import('node:os')).cpus().length,
    };
    console.log(JSON.stringify(result, null, 2));
    await Promise.all(clients.map((c) => c.dispose()));
    await notifier.end();
    await listen.end();
  } finally {
    server.kill('SIGTERM');
    await new Promise((r) => server.once('exit', r));
    await db.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
