/**
 * A measurement, not a guard (it asserts nothing about speed): what
 * `recipientsOf` reads per event on the benchmark's generated data, at the
 * bench's S scale and at a wider one with a few hundred users. Off unless
 * NOTIFY_MEASURE=1 (it generates its own data, which takes a while):
 *
 *   NOTIFY_MEASURE=1 npx jest test/notify/recipients.measure.spec.ts
 *
 * Per event it prints the SQL statements issued (and how many of them are the
 * policy's visibility counts, one per group of equal viewers), the rows they returned, the
 * `app_user` rows among them, the mean time of one call and the CPU time of
 * the test's PostgreSQL server (from /proc; Linux only); beside it the
 * same figures for reading every enabled user and building all their viewers
 * (what delivery read per event before it was narrowed to the project).
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { readdirSync, readFileSync } from 'node:fs';
import type { Db } from '../../bench/scenarios/db';
import type { Scale } from '../../bench/scenarios/generate';
import { hashPassword, signAccessToken } from '../../src/access/auth';
import { recipientsOf } from '../../src/access/recipients';
import { buildViewers } from '../../src/access/viewer';
import { monthStart, today } from '../../src/core/dates';
import { createLogger } from '../../src/core/logger';
// The task registry first: src/jobs/deliver-event.ts is one of its tasks and imports the queue, which imports the registry.
import '../../src/jobs/tasks';
import { deliverEventIn } from '../../src/jobs/deliver-event';
import { User } from '../../src/model/identity.entity';
import { startTestApp, type TestApp } from '../support/app';

const measure = process.env.NOTIFY_MEASURE === '1' ? describe : describe.skip;
const EVENTS = Number(process.env.NOTIFY_MEASURE_EVENTS ?? 200);

/** The bench's S, and S's shape with 60 projects and 312 users. */
const MEASURED: Record<string, (s: Scale) => Scale> = {
  S: (s) => s,
  'S-312-users': (s) => ({ ...s, name: 'S-312-users', projects: 60, vendors: 100, investors: 200, managers: 10, admins: 2 }),
};

/** The bench's generator, loaded only when measuring (a skipped run of this file does not depend on bench/). */
const bench = () => import('../../bench/scenarios/generate');

interface Reads { statements: number; counts: number; rows: number; userRows: number }

/** Fields 3… of /proc/<pid>/stat (state, ppid, …), or null when the process is gone. */
function procStat(pid: number | string): string[] | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return null;
  }
}

/**
 * CPU time (ms) so far of the test's PostgreSQL server — its postmaster and every child (backends, background
 * workers) — from /proc (Linux; 0 elsewhere). A backend that ends takes its time with it: the pool keeps its
 * connections while the events run.
 */
function postgresCpuMs(postmaster: number): number {
  let ticks = 0;
  try {
    for (const pid of readdirSync('/proc')) {
      if (!/^\d+$/.test(pid)) continue;
      const fields = procStat(pid);
      if (!fields || (Number(pid) !== postmaster && Number(fields[1]) !== postmaster)) continue;
      ticks += Number(fields[11]) + Number(fields[12]); // utime, stime (fields 14 and 15 of proc(5))
    }
  } catch {
    return 0;
  }
  return ticks * 10; // USER_HZ = 100
}

measure('recipientsOf per event (measurement)', () => {
  let app: TestApp;
  let db: Db;
  let release: () => void;
  let postmaster = 0;
  let reads: Reads = { statements: 0, counts: 0, rows: 0, userRows: 0 };

  beforeAll(async () => {
    app = await startTestApp({ seed: false, env: { JOBS: 'off' } });
    const knex = app.orm.em.getConnection().getKnex();
    const conn = await knex.client.acquireConnection();
    release = () => knex.client.releaseConnection(conn);
    db = { query: async (text, params) => (await conn.query(text, params)).rows };
    const [{ pid }] = await db.query<{ pid: number }>('select pg_backend_pid() as pid');
    postmaster = Number(procStat(pid)?.[1] ?? 0);
    knex.on('query-response', (response: unknown, q: { sql?: string }) => {
      const n = Array.isArray(response) ? response.length : Number((response as any)?.rows?.length ?? 0);
      reads.statements += 1;
      if (/^select count\(/.test(q.sql ?? '')) reads.counts += 1;
      reads.rows += n;
      if (/\bfrom "app_user"/.test(q.sql ?? '')) reads.userRows += n;
    });
  }, 300_000);
  afterAll(async () => {
    release?.();
    await app?.close();
  });

  for (const [name, scaleOf] of Object.entries(MEASURED)) {
    test(`scale ${name}`, async () => {
      const { generate, SCALES, truncateAll } = await bench();
      const scale = scaleOf(SCALES.S);
      await truncateAll(db);
      await generate(db, scale, monthStart(today()), await hashPassword('vantage-bench'));
      const [counts] = await db.query<{ users: string; projects: string }>('select (select count(*) from app_user) as users, (select count(*) from project) as projects');
      // One deliverable per project, round robin, as the submissions of the bench spread over projects.
      const subjects = await db.query<{ id: string; project_id: string }>(
        `select distinct on (project_id) id, project_id from deliverable order by project_id, id`);
      const events = Array.from({ length: EVENTS }, (_, i) => subjects[i % subjects.length]);

      /** Runs `what` once to warm up, then `times` times (default: once per event), and returns the means. */
      const run = async (what: (em: EntityManager, e: { id: string; project_id: string }) => Promise<number>, times = events.length) => {
        await what(app.orm.em.fork() as EntityManager, events[0]); // warm-up
        reads = { statements: 0, counts: 0, rows: 0, userRows: 0 };
        let recipients = 0;
        const cpu = postgresCpuMs(postmaster);
        const started = process.hrtime.bigint();
        for (let k = 0; k < times; k++) recipients += await what(app.orm.em.fork() as EntityManager, events[k % events.length]);
        const ms = Number(process.hrtime.bigint() - started) / 1e6;
        const per = (n: number) => Math.round((n / times) * 10) / 10;
        return {
          statements: per(reads.statements), counts: per(reads.counts), rows: per(reads.rows), userRows: per(reads.userRows), recipients: per(recipients),
          ms: Math.round((ms / times) * 100) / 100, pgCpuMs: per(postgresCpuMs(postmaster) - cpu),
        };
      };
      const delivered = await run(async (em, e) => (await recipientsOf(em, { subjectType: 'Deliverable', subjectId: e.id, project: { id: e.project_id } })).length);
      const everyone = await run(async (em) => {
        const users = await em.find(User, { disabledAt: null }, { populate: ['organization'], orderBy: { email: 'asc' } });
        return (await buildViewers(em, users)).size;
      });

      // The bench's write: vendors submit deliverables of their ACTIVE contracts; then each event's whole delivery job.
      const submits = (await db.query<{ id: string; user_id: string }>(
        `select d.id, u.id as user_id from deliverable d join contract c on c.id = d.contract_id
           join app_user u on u.organization_id = c.counterparty_id and u.role = 'MEMBER'
          where d.status = 'IN_PROGRESS' and c.status = 'ACTIVE' order by d.id limit $1`, [Math.min(EVENTS, 100)]));
      const SUBMIT = 'mutation S($input: SubmitDeliverableInput!) { submitDeliverable(input: $input) { deliverable { status } userErrors { code } } }';
      const tokens = new Map<string, string>();
      for (const r of submits) if (!tokens.has(r.user_id)) tokens.set(r.user_id, (await signAccessToken(app.config, r.user_id)).token);
      const [{ since }] = await db.query<{ since: string | null }>('select max(id::text) as since from domain_event');
      let i = 0;
      const requests = await run(async () => {
        const r = submits[i++];
        if (!r) return 0;
        const res = await app.gql(SUBMIT, { input: { id: Buffer.from(`Deliverable:${r.id}`).toString('base64url'), version: 1, note: 'Ready.' } }, tokens.get(r.user_id)!);
        expect(res.data?.submitDeliverable?.deliverable?.status).toBe('SUBMITTED');
        return 0;
      }, submits.length - 1);
      const eventIds = (await db.query<{ id: string }>('select id from domain_event where ($1::uuid is null or id > $1::uuid) order by id', [since])).map((e) => e.id);
      expect(eventIds.length).toBe(submits.length);
      let j = 0;
      const logger = createLogger('silent');
      const deliveries = await run(async () => {
        const id = eventIds[j++];
        return app.orm.em.fork().transactional((tx) => deliverEventIn(tx as EntityManager, id, logger));
      }, eventIds.length - 1);

      console.log(`recipientsOf at ${scale.name} (${counts.users} users, ${counts.projects} projects), per event over ${events.length} events:\n`
        + `  recipientsOf:                          ${JSON.stringify(delivered)}\n`
        + `  all enabled users + all their viewers: ${JSON.stringify(everyone)}\n`
        + `submitDeliverable (the request), per request over ${submits.length - 1}: ${JSON.stringify(requests)}\n`
        + `deliverEventIn (the whole delivery job), per event over ${eventIds.length - 1}: ${JSON.stringify(deliveries)}`);
      expect(delivered.recipients).toBeGreaterThan(0);
    }, 600_000);
  }
});
