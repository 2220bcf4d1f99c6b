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
  close(): Promise<void>;
}

export async function startHookReceiver(): Promise<HookReceiver> {
  const received: ReceivedHook[] = [];
  const secrets = new Map<string, string>();
  const behaviour = { delayMs: 0, status: 204 };
  const state = { inFlight: 0 };
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
      setTimeout(() => {
        state.inFlight -= 1;
        res.statusCode = behaviour.status;
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
    get inFlight() {
      return state.inFlight;
    },
    close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  } as HookReceiver;
}
