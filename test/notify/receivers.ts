/**
 * Real receivers for the notification tests: an SMTP server (smtp-server,
 * messages parsed with mailparser) and HTTP webhook receivers that verify
 * signatures with the standardwebhooks package, as a customer's would.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { simpleParser } from 'mailparser';
import { Webhook } from 'standardwebhooks';

/** Resolves when `check` returns a truthy value; polls every 25 ms, fails after `timeoutMs`. */
export async function waitFor<T>(check: () => T | Promise<T>, timeoutMs = 10_000, what = 'condition'): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

export interface ReceivedMail { to: string[]; subject: string; text: string }

export interface SmtpReceiver {
  url: string;
  mails: ReceivedMail[];
  close(): Promise<void>;
}

export async function startSmtpReceiver(): Promise<SmtpReceiver> {
  const mails: ReceivedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      simpleParser(stream).then((parsed) => {
        mails.push({
          to: session.envelope.rcptTo.map((r) => r.address),
          subject: parsed.subject ?? '',
          text: parsed.text ?? '',
        });
        callback();
      }, callback);
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return {
    url: `smtp://127.0.0.1:${port}`,
    mails,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

export interface ReceivedHook {
  path: string;
  webhookId: string;
  body: any;
  verified: boolean;
  at: number;
}

export interface HookReceiver {
  base: string;
  received: ReceivedHook[];
  /** The secret that verifies requests to `path`. */
  secrets: Map<string, string>;
  /** Answer delay (ms) and status for the next requests. */
  behaviour: { delayMs: number; status: number };
  /** Requests whose answer has not been sent yet (arrived, waiting for the delay). */
  inFlight: number;
  /** Per path: how many of the next requests get a 503 (then the usual status). */
  failNext: Map<string, number>;
  close(): Promise<void>;
}

export async function startHookReceiver(): Promise<HookReceiver> {
  const received: ReceivedHook[] = [];
  const secrets = new Map<string, string>();
  const behaviour = { delayMs: 0, status: 204 };
  const state = { inFlight: 0 };
  const failNext = new Map<string, number>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const path = req.url ?? '/';
      let verified = false;
      const secret = secrets.get(path);
      try {
        if (secret) {
          new Webhook(secret).verify(text, req.headers as Record<string, string>);
          verified = true;
        }
      } catch {
        verified = false;
      }
      received.push({ path, webhookId: String(req.headers['webhook-id']), body: JSON.parse(text), verified, at: Date.now() });
      state.inFlight += 1;
      const failing = failNext.get(path) ?? 0;
      if (failing > 0) failNext.set(path, failing - 1);
      setTimeout(() => {
        state.inFlight -= 1;
        res.statusCode = failing > 0 ? 503 : behaviour.status;
        res.end();
      }, behaviour.delayMs);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    base: `http://127.0.0.1:${port}`,
    received,
    secrets,
    behaviour,
    failNext,
    get inFlight() {
      return state.inFlight;
    },
    close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  } as HookReceiver;
}

import type { TestApp } from '../support/app';

const BOREALIS_REPORTS = `
  query { projects(first: 1, filter: { search: "Borealis" }) { nodes { id financialReports(first: 50) { nodes { id status version revision } } } } }`;

async function ok(app: TestApp, token: string, query: string, variables: Record<string, unknown>, field: string): Promise<any> {
  const res = await app.gql(query, variables, token);
  if (res.errors || res.data?.[field]?.userErrors?.length) throw new Error(`${field} failed: ${JSON.stringify(res.errors ?? res.data[field].userErrors)}`);
  return res.data[field];
}

/** The Borealis project's global id. */
export async function borealisId(app: TestApp, token: string): Promise<string> {
  const res = await app.gql(BOREALIS_REPORTS, {}, token);
  return res.data.projects.nodes[0].id;
}

/** Restates a PUBLISHED Borealis report and publishes the restatement (as the operator's `token`); the new revision's id. */
export async function restateBorealis(app: TestApp, token: string): Promise<string> {
  const res = await app.gql(BOREALIS_REPORTS, {}, token);
  const published = res.data.projects.nodes[0].financialReports.nodes.find((r: any) => r.status === 'PUBLISHED');
  if (!published) throw new Error('no PUBLISHED Borealis report to restate');
  const draft = await ok(app, token, 'mutation($input: RestateFinancialReportInput!) { restateFinancialReport(input: $input) { financialReport { id version } userErrors { code message } } }',
    { input: { id: published.id, version: published.version } }, 'restateFinancialReport');
  const report = draft.financialReport;
  await ok(app, token, 'mutation($input: PublishFinancialReportInput!) { publishFinancialReport(input: $input) { financialReport { id } userErrors { code message } } }',
    { input: { id: report.id, version: report.version, confirmMissingCategories: true } }, 'publishFinancialReport');
  return report.id;
}

/** Posts a project update (as the operator's `token`). */
export async function postUpdate(app: TestApp, token: string, projectId: string, title: string, audience = 'STAKEHOLDERS'): Promise<string> {
  const payload = await ok(app, token, 'mutation($input: PostProjectUpdateInput!) { postProjectUpdate(input: $input) { projectUpdate { id } userErrors { code message } } }',
    { input: { projectId, title, body: `${title}.`, audience } }, 'postProjectUpdate');
  return payload.projectUpdate.id;
}

/** Jobs still queued or running in graphile-worker's queue. */
export async function pendingJobs(app: TestApp, tasks: string[]): Promise<number> {
  const rows = await app.orm.em.getConnection().execute(
    `select count(*)::int as n from graphile_worker.jobs where task_identifier in (?)`, [tasks]);
  return rows[0].n;
}
