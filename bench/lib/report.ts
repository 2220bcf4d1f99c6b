/** Medians, ratios from the same round, and the files under bench/results/: markdown, JSON, SVG chart (and optionally the README summary). */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Scenario } from '../scenarios/types';
import type { Measurement } from './load';
import type { ProfileSummary } from './profile';

export interface CheckResult { scenario: string; engine: string; checked: number; mismatches: string[]; statements: number[] }

export interface RunInfo {
  date: string; commit: string; scale: string; rows: Record<string, string>; anchor: string; machine: string; node: string; postgres: string;
  loadBefore: string; loadAfter: string; rounds: number; duration: number; connections: number[]; elapsedSeconds: number;
  vantageSettings: Record<string, string>; postgraphile: string | null;
}

const ENGINES = ['vantage', 'vantage-before', 'vantage-default-gc', 'vantage-qb-reads', 'postgraphile', 'raw-json', 'raw-flat'];
const LABEL: Record<string, string> = {
  vantage: 'Vantage', 'vantage-before': 'Vantage with per-field wrappers, as before (exp.)', 'vantage-default-gc': 'Vantage, default young generation (exp.)', 'vantage-qb-reads': 'Vantage, reads built per call (exp.)',
  postgraphile: 'PostGraphile 5', 'raw-json': 'raw SQL (json_agg)', 'raw-flat': 'raw SQL (flat)',
};
const COLOR: Record<string, string> = {
  vantage: '#2563eb', 'vantage-before': '#93c5fd', 'vantage-default-gc': '#bfdbfe', 'vantage-qb-reads': '#a5b4fc',
  postgraphile: '#9333ea', 'raw-json': '#16a34a', 'raw-flat': '#65a30d',
};

export function median(values: number[]): number {
  const v = values.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (!v.length) return NaN;
  const mid = Math.floor(v.length / 2);
  return v.length % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
}

export interface Aggregate {
  scenario: string; engine: string; connections: number; rounds: number;
  rps: number; p50: number; p90: number; p99: number; serverCpuMsPerReq: number; pgCpuMsPerReq: number | null;
  statementsPerReq: number; peakRssMb: number | null; errors: number; responseBytes: number | null;
}
/** An engine's throughput over the best raw SQL and over PostGraphile, medians of per-round ratios. */
export interface Ratio { scenario: string; connections: number; engine: string; toRaw: number; toPostgraphile: number | null; rawBest: string }

export function aggregate(measurements: Measurement[], bytes: Map<string, number>): { rows: Aggregate[]; ratios: Ratio[] } {
  const groups = new Map<string, Measurement[]>();
  for (const m of measurements) {
    const k = `${m.scenario}|${m.engine}|${m.connections}`;
    groups.set(k, [...(groups.get(k) ?? []), m]);
  }
  const rows: Aggregate[] = [...groups.values()].map((ms) => {
    const pg = ms.map((m) => m.pgCpuMsPerReq).filter((x): x is number => x !== null);
    const rss = ms.map((m) => m.peakRssMb).filter((x): x is number => x !== null);
    return {
      scenario: ms[0].scenario, engine: ms[0].engine, connections: ms[0].connections, rounds: ms.length,
      rps: median(ms.map((m) => m.rps)), p50: median(ms.map((m) => m.p50)), p90: median(ms.map((m) => m.p90)), p99: median(ms.map((m) => m.p99)),
      serverCpuMsPerReq: median(ms.map((m) => m.serverCpuMsPerReq)), pgCpuMsPerReq: pg.length ? median(pg) : null,
      statementsPerReq: median(ms.map((m) => m.statementsPerReq)), peakRssMb: rss.length ? Math.max(...rss) : null,
      errors: ms.reduce((a, m) => a + m.errors, 0), responseBytes: bytes.get(`${ms[0].scenario}/${ms[0].engine}`) ?? null,
    };
  });
  const ratios: Ratio[] = [];
  const scenarios = [...new Set(measurements.map((m) => m.scenario))];
  const conns = [...new Set(measurements.map((m) => m.connections))];
  for (const s of scenarios) {
    for (const c of conns) {
      const at = (engine: string, round: number) => measurements.find((m) => m.scenario === s && m.engine === engine && m.connections === c && m.round === round);
      const rounds = [...new Set(measurements.filter((m) => m.scenario === s && m.connections === c).map((m) => m.round))];
      const engines = [...new Set(measurements.filter((m) => m.scenario === s && m.connections === c && !m.engine.startsWith('raw')).map((m) => m.engine))];
      for (const engine of engines) {
        const toRaw: number[] = []; const toPg: number[] = []; const best: string[] = [];
        for (const r of rounds) {
          const raws = ['raw-json', 'raw-flat'].map((e) => at(e, r)).filter((m): m is Measurement => !!m);
          const mine = at(engine, r);
          if (!raws.length || !mine) continue;
          const rawBest = raws.reduce((a, b) => (b.rps > a.rps ? b : a));
          best.push(rawBest.engine);
          toRaw.push(mine.rps / rawBest.rps);
          const pg = at('postgraphile', r);
          if (pg) toPg.push(mine.rps / pg.rps);
        }
        if (!toRaw.length) continue;
        const mostly = [...best].sort((a, b) => best.filter((x) => x === b).length - best.filter((x) => x === a).length)[0];
        ratios.push({ scenario: s, connections: c, engine, toRaw: median(toRaw), toPostgraphile: toPg.length ? median(toPg) : null, rawBest: mostly });
      }
    }
  }
  return { rows, ratios };
}

const f = (x: number | null | undefined, digits = 1) => (x === null || x === undefined || !Number.isFinite(x) ? '–' : x.toFixed(digits));
const ratio = (x: number | null | undefined) => (x === null || x === undefined || !Number.isFinite(x) ? '–' : `${x.toFixed(2)}×`);

function chart(scenarios: Scenario[], rows: Aggregate[], connections: number): string {
  const barH = 16; const gap = 6; const groupGap = 22; const left = 250; const width = 820; const plotW = width - left - 160;
  let y = 50;
  const parts: string[] = [];
  for (const s of scenarios) {
    const rs = ENGINES.map((e) => rows.find((r) => r.scenario === s.key && r.engine === e && r.connections === connections)).filter((r): r is Aggregate => !!r);
    if (!rs.length) continue;
    const rawBest = Math.max(...rs.filter((r) => r.engine.startsWith('raw')).map((r) => r.rps), 1e-9);
    parts.push(`<text x="10" y="${y + 12}" font-weight="bold">${s.number}. ${escapeXml(s.key)}</text>`);
    y += 18;
    const pg = rs.find((r) => r.engine === 'postgraphile');
    for (const r of rs) {
      const rel = r.rps / rawBest;
      const w = Math.max(1, Math.min(1.2, rel) * plotW);
      parts.push(`<text x="${left - 8}" y="${y + 12}" text-anchor="end">${LABEL[r.engine]}</text>`);
      parts.push(`<rect x="${left}" y="${y}" width="${w.toFixed(1)}" height="${barH}" fill="${COLOR[r.engine]}"/>`);
      parts.push(`<text x="${left + w + 6}" y="${y + 12}">${f(r.rps, r.rps < 10 ? 2 : 0)} req/s (${(rel * 100).toFixed(0)}%)</text>`);
      y += barH + gap;
    }
    if (pg) {
      const x = left + Math.min(1.2, (1.5 * pg.rps) / rawBest) * plotW;
      parts.push(`<line x1="${x.toFixed(1)}" x2="${x.toFixed(1)}" y1="${y - rs.length * (barH + gap)}" y2="${y - gap}" stroke="#dc2626" stroke-dasharray="4 3"/>`);
    }
    y += groupGap;
  }
  const height = y + 30;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="12">
<rect width="100%" height="100%" fill="white"/>
<text x="10" y="20" font-size="14" font-weight="bold">Throughput relative to the best raw SQL (${connections} connections, median of rounds)</text>
<text x="10" y="38" fill="#555">Bar length: share of raw SQL's req/s. Dashed red line: the target, 1.5 × PostGraphile.</text>
<line x1="${left + plotW}" x2="${left + plotW}" y1="45" y2="${height - 25}" stroke="#999"/>
<text x="${left + plotW}" y="${height - 10}" text-anchor="middle" fill="#555">raw SQL = 100%</text>
${parts.join('\n')}
</svg>
`;
}

function escapeXml(s: string): string {
  return s.replace(/[<>&"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;' })[c]!);
}

/** The targets each scenario is held to, and whether this run meets them. */
export const TARGETS = {
  /** Read scenarios with a PostGraphile peer: Vantage's req/s over PostGraphile's, at every connection count. */
  peer: 1.5,
  /** Read scenarios without a peer: over the best raw SQL, at every connection count. */
  raw: 0.5,
  /** The floor: over PostGraphile's floor, at every connection count. */
  floor: 0.5,
  /** Tail latency at the highest connection count: p99 over p50. */
  tail: 3,
  /** Peak RSS of the server at scale M, MB. */
  rssMb: 400,
};

export interface Verdict { scenario: string; target: string; met: boolean | null; detail: string }

/** One verdict per scenario and target; `met` is null where no target applies. */
export function verdicts(scenarios: Scenario[], rows: Aggregate[], ratios: Ratio[], connections: number[], scale: string): Verdict[] {
  const hi = Math.max(...connections);
  const out: Verdict[] = [];
  for (const s of scenarios) {
    const get = (e: string, c: number) => rows.find((r) => r.scenario === s.key && r.engine === e && r.connections === c);
    const ratioOf = (c: number) => ratios.find((r) => r.scenario === s.key && r.engine === 'vantage' && r.connections === c);
    const toPg = connections.map((c) => ratioOf(c)?.toPostgraphile ?? null);
    const toRaw = connections.map((c) => ratioOf(c)?.toRaw ?? null);
    const all = (xs: (number | null)[], min: number) => xs.every((x) => x !== null && x >= min);
    if (s.kind === 'write') {
      out.push({ scenario: s.key, target: 'write: no throughput target', met: null, detail: `${toRaw.map(ratio).join(' / ')} raw SQL` });
    } else if (s.reference) {
      const hasPg = toPg.some((x) => x !== null);
      out.push({ scenario: s.key, target: `≥ ${TARGETS.floor}× PostGraphile's floor`, met: hasPg ? all(toPg, TARGETS.floor) : null, detail: toPg.map(ratio).join(' / ') });
    } else if (s.postgraphile) {
      out.push({ scenario: s.key, target: `≥ ${TARGETS.peer}× PostGraphile`, met: all(toPg, TARGETS.peer), detail: toPg.map(ratio).join(' / ') });
    } else {
      out.push({ scenario: s.key, target: `≥ ${TARGETS.raw}× best raw SQL`, met: all(toRaw, TARGETS.raw), detail: toRaw.map(ratio).join(' / ') });
    }
    const top = get('vantage', hi);
    if (top) {
      const tail = top.p99 / Math.max(top.p50, 1);
      out.push({ scenario: s.key, target: `p99 ≤ ${TARGETS.tail}× p50 (${hi} conn.)`, met: tail <= TARGETS.tail, detail: `${f(top.p50, 0)} / ${f(top.p99, 0)} ms` });
    }
    const rss = Math.max(...connections.map((c) => get('vantage', c)?.peakRssMb ?? 0));
    if (rss > 0) out.push({ scenario: s.key, target: `peak RSS ≤ ${TARGETS.rssMb} MB at M`, met: scale === 'M' ? rss <= TARGETS.rssMb : null, detail: `${f(rss, 0)} MB` });
  }
  return out;
}

export function summaryTable(scenarios: Scenario[], rows: Aggregate[], ratios: Ratio[], connections: number[], scale = 'S'): string {
  const hi = Math.max(...connections);
  const cs = connections.join(' / ');
  const mark = (v: Verdict | undefined) => (!v ? '–' : v.met === null ? `${v.detail}` : `${v.detail} ${v.met ? '**met**' : '**not met**'}`);
  const all = verdicts(scenarios, rows, ratios, connections, scale);
  const lines = [
    `| scenario | Vantage req/s (${cs} conn.) | best raw SQL (${cs}) | PostGraphile (${cs}) | Vantage ÷ PostGraphile (${cs}) | Vantage ÷ raw SQL (${cs}) | throughput target | p50 / p99 at ${hi} conn. (≤ ${TARGETS.tail}×) | peak RSS (≤ ${TARGETS.rssMb} MB at M) |`,
    '|---|---|---|---|---|---|---|---|---|',
  ];
  for (const s of scenarios) {
    const get = (e: string, c: number) => rows.find((r) => r.scenario === s.key && r.engine === e && r.connections === c);
    const rawBest = (c: number) => Math.max(...['raw-json', 'raw-flat'].map((e) => get(e, c)?.rps ?? 0));
    const ratioOf = (c: number) => ratios.find((r) => r.scenario === s.key && r.engine === 'vantage' && r.connections === c);
    const hasPg = connections.some((c) => get('postgraphile', c));
    const mine = all.filter((v) => v.scenario === s.key);
    const throughput = mine[0];
    lines.push(`| ${s.number}. ${s.key} | ${connections.map((c) => f(get('vantage', c)?.rps)).join(' / ')} | ${connections.map((c) => f(rawBest(c))).join(' / ')} | ${hasPg ? connections.map((c) => f(get('postgraphile', c)?.rps)).join(' / ') : '–'} | ${hasPg ? connections.map((c) => ratio(ratioOf(c)?.toPostgraphile)).join(' / ') : '–'} | ${connections.map((c) => ratio(ratioOf(c)?.toRaw)).join(' / ')} | ${throughput.target}: ${throughput.met === null ? 'n/a' : throughput.met ? '**met**' : '**not met**'} | ${mark(mine.find((v) => v.target.startsWith('p99')))} | ${mark(mine.find((v) => v.target.startsWith('peak')))} |`);
  }
  const counted = all.filter((v) => v.met !== null);
  const missed = counted.filter((v) => !v.met);
  lines.push('', `Targets met in this run: ${counted.length - missed.length} of ${counted.length}${missed.length ? `; not met: ${missed.map((v) => `${v.scenario} (${v.target}: ${v.detail})`).join('; ')}` : ''}.`);
  return lines.join('\n');
}

export function writeReport(input: {
  info: RunInfo; scenarios: Scenario[]; checks: CheckResult[]; measurements: Measurement[]; bytes: Map<string, number>;
  profiles: Record<string, ProfileSummary>; readme: boolean;
}): string[] {
  const { info, scenarios, checks, measurements, bytes, profiles } = input;
  const { rows, ratios } = aggregate(measurements, bytes);
  const dir = path.resolve(__dirname, '../results');
  const base = `scale-${info.scale}`;
  const hi = Math.max(...info.connections);
  writeFileSync(path.join(dir, `${base}.json`), `${JSON.stringify({ info, checks, aggregates: rows, ratios, measurements, profiles }, null, 1)}\n`);
  writeFileSync(path.join(dir, `${base}.svg`), chart(scenarios, rows, hi));

  const md: string[] = [];
  md.push(`# Benchmark, scale ${info.scale}`, '');
  md.push(`Generated by \`npm run bench${info.scale === 'S' ? '' : ` -- --scale ${info.scale}`}\` on ${info.date} (commit ${info.commit}). Raw data: [${base}.json](${base}.json).`, '');
  md.push('## Conditions', '');
  md.push(`- Machine: ${info.machine}; Node ${info.node}; PostgreSQL ${info.postgres} (embedded, same machine, \`synchronous_commit=off\`).`);
  md.push(`- Load average (1/5/15 min) before the rounds: ${info.loadBefore}; after: ${info.loadAfter}. The machine is shared: other processes compete for the CPUs, which is why engines are interleaved and ratios are taken within a round.`);
  md.push(`- Data (deterministic generator, anchor ${info.anchor}): ${Object.entries(info.rows).map(([k, v]) => `${v} ${k}`).join(', ')}.`);
  md.push(`- ${info.rounds} interleaved rounds (A B C … then … C B A), about ${info.duration} s per measurement (a fixed number of requests derived from a 20-request warm-up, at least 2 per connection, so no request is left in flight), at ${info.connections.join(' and ')} connections (autocannon, same machine); ${Math.round(info.elapsedSeconds)} s of measurement. Figures are medians over rounds; ratios are medians of per-round ratios.`);
  md.push(`- Vantage: the real server (src/server.ts) in its own process with npm start's node flag (--max-semi-space-size=64), ${Object.entries(info.vantageSettings).map(([k, v]) => `${k}=${v}`).join(', ')} (${info.vantageSettings.REQUEST_TIMEOUT_MS ? 'the cost limits and the request deadline lifted: the documents are the issue\'s sizes, one viewer sends thousands of requests a minute, and the deep query at M takes longer than the 30 s default under 10 connections here' : 'the cost limits lifted: the documents are the issue\'s sizes and one viewer sends thousands of requests a minute'}). Authenticated with a signed access token per viewer; scoping on.`);
  md.push(`- Raw SQL: a bare node:http server per request running the hand-written SQL through pg (pool of 10), trusting a user id header (no token check). Two variants: one json_agg statement, or one flat statement per level assembled in JavaScript; ratios use the better of the two in each round.`);
  md.push(`- PostGraphile ${info.postgraphile ?? '(not run)'} with the amber preset, its own process, pool of 10, as the database superuser (operator scenarios only, no row scoping), NODE_ENV=production. Node 20 lacks Promise.withResolvers, which PostGraphile 5 needs (it declares Node ≥ 22): a polyfill is installed before it loads (bench/engines/postgraphile.ts).`);
  md.push(`- Server CPU: process.cpuUsage() of the engine process; PostgreSQL CPU: /proc of the postmaster and all its children (exited backends included); both per completed request. SQL statements per request: counted by the engine's pg client. Peak RSS: VmHWM of the engine process, reset before each measurement (max over rounds).`, '');
  md.push('## Summary', '', summaryTable(scenarios, rows, ratios, info.connections, info.scale), '');
  md.push(`![throughput relative to raw SQL](${base}.svg)`, '');
  md.push('Experimental variants (vantage-before, vantage-default-gc, vantage-qb-reads), when run, are in the figures per scenario below, not in the summary. What each change bought, where the time goes now and the next levers: [README.md, Performance](../../README.md#performance); the CPU profiles are summarized per scenario below.', '');
  md.push('## Correctness', '');
  md.push('Each engine answered the first requests of each rotation before the rounds; every response was compared with the raw-SQL reference (Vantage and raw SQL: the whole JSON response; PostGraphile: the same fields reduced to one shape, since its field names and ids differ).', '');
  md.push('| scenario | engine | responses checked | mismatches | SQL statements per request |', '|---|---|---|---|---|');
  for (const c of checks) {
    md.push(`| ${c.scenario} | ${LABEL[c.engine] ?? c.engine} | ${c.checked} | ${c.mismatches.length ? `**${c.mismatches.length}**: ${c.mismatches.slice(0, 2).join('; ')}` : '0'} | ${[...new Set(c.statements)].sort((a, b) => a - b).join(' / ')} |`);
  }
  md.push('');
  md.push('## Figures per scenario and engine', '');
  for (const s of scenarios) {
    md.push(`### ${s.number}. ${s.title}`, '');
    md.push('| engine | conn. | req/s | p50 ms | p90 ms | p99 ms | server CPU ms/req | PostgreSQL CPU ms/req | SQL/req | peak RSS MB | bytes/response | errors |');
    md.push('|---|---|---|---|---|---|---|---|---|---|---|---|');
    for (const e of ENGINES) {
      for (const c of info.connections) {
        const r = rows.find((x) => x.scenario === s.key && x.engine === e && x.connections === c);
        if (!r) continue;
        md.push(`| ${LABEL[e]} | ${c} | ${f(r.rps)} | ${f(r.p50, 0)} | ${f(r.p90, 0)} | ${f(r.p99, 0)} | ${f(r.serverCpuMsPerReq, 2)} | ${f(r.pgCpuMsPerReq, 2)} | ${f(r.statementsPerReq, 1)} | ${f(r.peakRssMb, 0)} | ${f(r.responseBytes, 0)} | ${r.errors} |`);
      }
    }
    const rs = ratios.filter((r) => r.scenario === s.key);
    if (rs.length) {
      md.push('', '| engine | conn. | ÷ best raw SQL | ÷ PostGraphile |', '|---|---|---|---|');
      for (const r of rs) md.push(`| ${LABEL[r.engine] ?? r.engine} | ${r.connections} | ${ratio(r.toRaw)} (raw best: ${r.rawBest}) | ${ratio(r.toPostgraphile)} |`);
    }
    for (const [key, p] of Object.entries(profiles).filter(([k]) => k.startsWith(`${s.key}/`))) {
      md.push('', `CPU profile of ${LABEL[key.split('/')[1]] ?? key} (10 connections, ${p.file}), self time by package: ${p.byPackage.slice(0, 8).map((x) => `${x.name} ${x.percent.toFixed(0)}%`).join(', ')}.`);
      md.push('', 'Hottest functions (self): ' + p.top.slice(0, 6).map((x) => `\`${x.name}\` ${x.percent.toFixed(1)}%`).join(', ') + '.');
      md.push('', 'Inclusive: ' + p.inclusive.filter((x) => !/processTicksAndRejections|runMicrotasks|\(anonymous\)/.test(x.name)).slice(0, 12).map((x) => `\`${x.name}\` ${x.percent.toFixed(0)}%`).join(', ') + '.');
    }
    md.push('');
  }
  writeFileSync(path.join(dir, `${base}.md`), `${md.join('\n')}\n`);

  const files = [`bench/results/${base}.md`, `bench/results/${base}.json`, `bench/results/${base}.svg`];
  if (input.readme) {
    const readme = path.resolve(__dirname, '../../README.md');
    const text = readFileSync(readme, 'utf8');
    const start = `<!-- bench-summary-${info.scale}:start -->`;
    const end = `<!-- bench-summary-${info.scale}:end -->`;
    const i = text.indexOf(start);
    const j = text.indexOf(end);
    if (i >= 0 && j > i) {
      const body = `\n_Scale ${info.scale} (${info.rows.projects} projects, ${info.rows.milestones} milestones, ${info.rows.deliverables} deliverables), ${info.date.slice(0, 10)}, commit ${info.commit}, load average ${info.loadBefore} on ${info.machine}; medians of ${info.rounds} interleaved rounds. Details: [bench/results/${base}.md](bench/results/${base}.md)._\n\n${summaryTable(scenarios, rows, ratios, info.connections, info.scale)}\n`;
      writeFileSync(readme, text.slice(0, i + start.length) + body + text.slice(j));
      files.push('README.md');
    }
  }
  return files;
}
