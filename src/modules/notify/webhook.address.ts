/**
 * Where a webhook may be sent (docs/webhooks.md#addresses-ssrf-rules): the SSRF rules.
 *
 * - `https` only in production (`http` also in development and tests);
 * - no user name or password in the URL;
 * - the host's every address (a name is resolved) must be public: loopback,
 *   private, link-local (cloud metadata lives there), carrier-grade NAT,
 *   multicast, reserved and unspecified ranges are refused, also when written
 *   as an IPv4-mapped or NAT64 IPv6 address — unless `allowPrivate`
 *   (WEBHOOK_ALLOW_PRIVATE, development and tests only).
 *
 * Checked when an endpoint is created or changed, and again at every
 * delivery: the connection uses the very address that was checked (the
 * `lookup` of the request below), so a name that resolves to a public
 * address at the check and to a private one at the connection (DNS
 * rebinding) cannot reach the private one.
 */
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { BlockList, isIP, type LookupFunction } from 'node:net';

const BLOCKED = new BlockList();
for (const [net, bits] of [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12],
  ['192.0.0.0', 24], ['192.0.2.0', 24], ['192.88.99.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['198.51.100.0', 24],
  ['203.0.113.0', 24], ['224.0.0.0', 4], ['240.0.0.0', 4],
] as [string, number][]) BLOCKED.addSubnet(net, bits, 'ipv4');
for (const [net, bits] of [
  ['::', 128], ['::1', 128], ['fc00::', 7], ['fe80::', 10], ['fec0::', 10], ['ff00::', 8], ['2001:db8::', 32], ['100::', 64], ['2001::', 32], ['2002::', 16],
] as [string, number][]) BLOCKED.addSubnet(net, bits, 'ipv6');

/** The IPv4 address an IPv6 address embeds (IPv4-mapped `::ffff:a.b.c.d`, NAT64 `64:ff9b::/96`), if any. */
function embeddedIpv4(address: string): string | null {
  const lower = address.toLowerCase();
  const dotted = /^(?:::ffff:|64:ff9b::)(\d+\.\d+\.\d+\.\d+)$/.exec(lower);
  if (dotted) return dotted[1];
  const hex = /^(?:::ffff:|64:ff9b::)([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(lower);
  if (hex) {
    const hi = parseInt(hex[1], 16);
    const lo = parseInt(hex[2], 16);
    return `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
  }
  return null;
}

/** Whether an IP address is not a public unicast address. */
export function isPrivateAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return BLOCKED.check(address, 'ipv4');
  if (family === 6) {
    const v4 = embeddedIpv4(address);
    if (v4) return BLOCKED.check(v4, 'ipv4');
    return BLOCKED.check(address, 'ipv6');
  }
  return true;
}

export interface AddressRules {
  production: boolean;
  allowPrivate: boolean;
}

export type UrlCheck = { ok: true; url: URL } | { ok: false; message: string };

/** The URL's form alone (no DNS): scheme, credentials, host. */
export function checkUrlForm(text: string, rules: AddressRules): UrlCheck {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    return { ok: false, message: `url "${text}" is not a valid URL; write it like https://hooks.example.com/vantage` };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    return { ok: false, message: `url must use https (got ${url.protocol.replace(':', '')})` };
  }
  if (url.protocol === 'http:' && rules.production) {
    return { ok: false, message: 'url must use https: plain http is refused in production, since the payload and its signature would travel in clear' };
  }
  if (url.username || url.password) return { ok: false, message: 'url must not contain a user name or password; the signature authenticates the sender' };
  if (!url.hostname) return { ok: false, message: 'url has no host' };
  if (url.hash) return { ok: false, message: 'url must not contain a #fragment' };
  return { ok: true, url };
}

function hostOf(url: URL): string {
  return url.hostname.replace(/^\[(.*)\]$/, '$1');
}

function resolveAll(host: string): Promise<LookupAddress[]> {
  return new Promise((resolve, reject) => {
    dnsLookup(host, { all: true, verbatim: true }, (err, addresses) => (err ? reject(err) : resolve(addresses)));
  });
}

/** Why the addresses are refused, or null when they may be used. */
function refusal(host: string, addresses: LookupAddress[], rules: AddressRules): string | null {
  if (!addresses.length) return `url host ${host} has no address`;
  if (rules.allowPrivate) return null;
  const bad = addresses.find((a) => isPrivateAddress(a.address));
  if (!bad) return null;
  const what = isIP(host) ? `url host ${host}` : `url host ${host} resolves to ${bad.address}, which`;
  return `${what} is a private, loopback or link-local address; webhooks go to public addresses only`;
}

/** The whole check at creation or change: the form, then every address of the host. */
export async function checkWebhookUrl(text: string, rules: AddressRules): Promise<UrlCheck> {
  const form = checkUrlForm(text, rules);
  if (!form.ok) return form;
  const host = hostOf(form.url);
  let addresses: LookupAddress[];
  try {
    addresses = isIP(host) ? [{ address: host, family: isIP(host) }] : await resolveAll(host);
  } catch (err) {
    return { ok: false, message: `url host ${host} cannot be resolved (${(err as NodeJS.ErrnoException).code ?? 'DNS error'}); check the name` };
  }
  const why = refusal(host, addresses, rules);
  return why ? { ok: false, message: why } : form;
}

/** Thrown by the delivery's lookup when the host resolves to a refused address (the attempt is SKIPPED, not retried). */
export class RefusedAddressError extends Error {
  readonly code = 'EREFUSEDADDRESS';
}

/**
 * A `lookup` for http(s).request: resolves the name, refuses the connection
 * when any address is refused, and connects to the checked address.
 */
export function checkedLookup(rules: AddressRules): LookupFunction {
  return ((hostname: string, options: { all?: boolean }, callback: (...args: unknown[]) => void) => {
    const host = hostname.replace(/^\[(.*)\]$/, '$1');
    const done = (addresses: LookupAddress[]) => {
      const why = refusal(host, addresses, rules);
      if (why) return callback(new RefusedAddressError(why));
      if (options?.all) return callback(null, addresses);
      return callback(null, addresses[0].address, addresses[0].family);
    };
    if (isIP(host)) return done([{ address: host, family: isIP(host) }]);
    resolveAll(host).then(done, (err) => callback(err));
  }) as unknown as LookupFunction;
}
