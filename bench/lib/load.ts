/** One measured run: autocannon against one engine with a rotation of requests, plus CPU, statements and memory around it. */
import type { EngineProcess } from './engines';
import { peakRssMb, postgresCpuMs, resetPeakRss } from './procstat';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const autocannon = require('autocannon');

export interface HttpRequest { method: 'POST'; path: string; headers: Record<string, string>; body: string }

export interface Measurement {
  scenario: string;
  engine: string;
  connections: number;
  round: number;
  requests: number;
  seconds: number;
  rps: number;
  p50: number;
  p90: number;
  p99: number;
  serverCpuMsPerReq: number;
  pgCpuMsPerReq: number | null;
  statementsPerReq: number;
  peakRssMb: number | null;
  errors: number;
}

export async function measure(
  target: { scenario: string; engine: string; process: EngineProcess; requests: HttpRequest[] },
  options: { connections: number; duration?: number; amount?: number; round: number; postmaster: number | null },
): Promise<Measurement> {
  const { process: engine, requests } = target;
  resetPeakRss(engine.pid);
  let next = 0;
  const s0 = await engine.stats();
  const pg0 = options.postmaster ? postgresCpuMs(options.postmaster) : null;
  // autocannon notices the end of a fixed-amount run only at its next one-second tick, so its own duration is
  // quantized to seconds: the run's time is taken here, from the start to the last response.
  const started = process.hrtime.bigint();
  let last = started;
  const run = autocannon({
    url: `http://127.0.0.1:${engine.port}`,
    connections: options.connections,
    ...(options.amount ? { amount: options.amount } : { duration: options.duration }),
    timeout: 120,
    requests: [{
      setupRequest: (req: Record<string, unknown>) => {
        const r = requests[next++ % requests.length];
        return { ...req, method: r.method, path: r.path, headers: r.headers, body: r.body };
      },
    }],
  });
  run.on('response', () => {
    last = process.hrtime.bigint();
  });
  const result = await run;
  const s1 = await engine.stats();
  const pg1 = options.postmaster ? postgresCpuMs(options.postmaster) : null;
  const n = Math.max(1, result.requests.total as number);
  const seconds = Math.max(1e-3, Number(last - started) / 1e9);
  return {
    scenario: target.scenario,
    engine: target.engine,
    connections: options.connections,
    round: options.round,
    requests: result.requests.total,
    seconds,
    rps: result.requests.total / seconds,
    p50: result.latency.p50,
    p90: result.latency.p90,
    p99: result.latency.p99,
    serverCpuMsPerReq: (s1.cpuUser + s1.cpuSystem - s0.cpuUser - s0.cpuSystem) / 1000 / n,
    pgCpuMsPerReq: pg0 === null || pg1 === null ? null : (pg1 - pg0) / n,
    statementsPerReq: (s1.statements - s0.statements) / n,
    peakRssMb: peakRssMb(engine.pid),
    errors: (result.errors as number) + (result.non2xx as number) + (result.timeouts as number),
  };
}
