/**
 * One webhook attempt: sign, POST, read the status (docs/webhooks.md#signing).
 */
import http from 'node:http';
import https from 'node:https';
import { isIP } from 'node:net';
import { createHash, randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { checkUrlForm, checkedLookup, isPrivateAddress, RefusedAddressError, type AddressRules } from './webhook.address';

/** A new signing secret as the Standard Webhooks spec writes it: `whsec_` + base64 of 32 random bytes. */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

/** The `webhook-id`: stable per (event, endpoint), so every attempt of one delivery carries the same one. */
export function webhookIdOf(eventId: string, endpointId: string): string {
  return `msg_${createHash('sha256').update(`${eventId}:${endpointId}`).digest('base64url').slice(0, 32)}`;
}

/** The three signature headers of the spec for one attempt. */
export function signatureHeaders(secret: string, webhookId: string, body: string, at = new Date()): Record<string, string> {
  const signature = new Webhook(secret).sign(webhookId, at, body);
  return {
    'webhook-id': webhookId,
    'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
    'webhook-signature': signature,
  };
}

export interface AttemptResult {
  /** HTTP status, or null when no answer came. */
  status: number | null;
  /** Why it failed; null on 2xx. */
  error: string | null;
  /** The address was refused: not retried. */
  refused: boolean;
}

/** POSTs `body` signed with `secret`; never throws. Redirects are not followed (a 3xx is a failure). */
export function sendWebhook(urlText: string, secret: string, webhookId: string, body: string, options: AddressRules & { timeoutMs: number }): Promise<AttemptResult> {
  const form = checkUrlForm(urlText, options);
  if (!form.ok) return Promise.resolve({ status: null, error: form.message, refused: true });
  const url = form.url;
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  // An IP literal never goes through `lookup`: check it here.
  if (isIP(host) && !options.allowPrivate && isPrivateAddress(host)) {
    return Promise.resolve({ status: null, error: `url host ${host} is a private, loopback or link-local address`, refused: true });
  }
  const headers = {
    'content-type': 'application/json',
    'user-agent': 'Vantage-Webhooks/1',
    'content-length': String(Buffer.byteLength(body)),
    ...signatureHeaders(secret, webhookId, body),
  };
  const client = url.protocol === 'https:' ? https : http;
  return new Promise((resolve) => {
    let settled = false;
    const finish = (r: AttemptResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(r);
    };
    const req = client.request(url, { method: 'POST', headers, lookup: checkedLookup(options), agent: false }, (res) => {
      res.resume();
      res.on('end', () => {
        const status = res.statusCode ?? 0;
        finish(status >= 200 && status < 300 ? { status, error: null, refused: false } : { status, error: `HTTP ${status}`, refused: false });
      });
      res.on('error', (err) => finish({ status: res.statusCode ?? null, error: err.message, refused: false }));
    });
    const timer = setTimeout(() => {
      req.destroy(new Error(`no answer within ${options.timeoutMs} ms`));
    }, options.timeoutMs);
    req.on('error', (err) => finish({
      status: null,
      error: (err instanceof RefusedAddressError ? err.message : `${(err as NodeJS.ErrnoException).code ?? ''} ${err.message}`.trim()).slice(0, 500),
      refused: err instanceof RefusedAddressError,
    }));
    req.end(body);
  });
}
