/**
 * Authentication: argon2id password hashes, short-lived signed access tokens
 * (JWT, HS256 only), and long-lived API tokens stored as SHA-256 hashes.
 * Both kinds arrive as `Authorization: Bearer …`. The viewer of a credential
 * comes from the viewer cache when it is live (viewer-cache.ts: a change is
 * announced by the database and drops the entry on every instance), from the
 * database otherwise; the JWT's signature and expiry and the API token's
 * expiry are checked on every request either way.
 */
import argon2 from 'argon2';
import { createHash, randomBytes } from 'node:crypto';
import { errors as joseErrors, jwtVerify, SignJWT } from 'jose';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Config } from '../config';
import { ApiToken, ApiTokenScope, User } from '../model/identity.entity';
import { ViewerVersion } from '../model/viewer-version.entity';
import type { ViewerCache } from './viewer-cache';
import { buildViewer, type Viewer } from './viewer';

export const API_TOKEN_PREFIX = 'vnt_';

/**
 * argon2id at the library's defaults (64 MiB, 3 passes, 4 lanes: above the
 * usual recommendations). Under NODE_ENV=test, at a nominal cost (4 MiB, one
 * pass, one lane): the test suite signs in thousands of times and tests the
 * flow, not the cost, which would otherwise be a fifth of its CPU. A hash
 * records its parameters, so verifying follows whichever wrote it; only the
 * test environment writes cheap ones.
 */
function hashOptions() {
  return process.env.NODE_ENV === 'test'
    ? { type: argon2.argon2id, memoryCost: 4096, timeCost: 1, parallelism: 1 }
    : { type: argon2.argon2id };
}

export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, hashOptions());
}

export function verifyPassword(hash: string, password: string): Promise<boolean> {
  return argon2.verify(hash, password).catch(() => false);
}

/** A hash to verify against when the email is unknown, so both failures cost the same time. */
let decoyHash: Promise<string> | null = null;
export function decoyPasswordHash(): Promise<string> {
  decoyHash ??= hashPassword(randomBytes(16).toString('hex'));
  return decoyHash;
}

export async function signAccessToken(config: Config, userId: string): Promise<{ token: string; expiresAt: Date }> {
  const now = Math.floor(Date.now() / 1000);
  const exp = now + config.jwt.ttlSeconds;
  const token = await new SignJWT({})
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(userId)
    .setIssuer(config.jwt.issuer)
    .setAudience(config.jwt.audience)
    .setIssuedAt(now)
    .setExpirationTime(exp)
    .sign(config.jwt.secret);
  return { token, expiresAt: new Date(exp * 1000) };
}

export function hashApiSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

export function newApiSecret(): { secret: string; hash: string; prefix: string } {
  const secret = API_TOKEN_PREFIX + randomBytes(32).toString('base64url');
  return { secret, hash: hashApiSecret(secret), prefix: secret.slice(0, 12) };
}

export type Authentication =
  | { kind: 'anonymous' }
  | { kind: 'invalid'; reason: string }
  | { kind: 'user'; user: User; apiTokenId: string | null; scope: ApiTokenScope; allowsAnyDocument: boolean };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const INVALID = (reason: string): { kind: 'invalid'; reason: string } => ({ kind: 'invalid', reason });

async function loadActiveUser(em: EntityManager, id: string): Promise<User | null> {
  const [user] = await em.find(User, { id, disabledAt: null }, { populate: ['organization'] });
  return user ?? null;
}

const TOUCH_EVERY_MS = 60_000;

/** Touch lastUsedAt at most once a minute; a plain UPDATE outside the unit of work, version untouched. */
function stale(lastUsedAt: number | null | undefined, now: number): boolean {
  return lastUsedAt == null || now - lastUsedAt > TOUCH_EVERY_MS;
}

/** The user's viewer_version; read BEFORE what the viewer is built from, so the pair never claims fresher data than it holds. */
async function viewerVersion(em: EntityManager, userId: string): Promise<number> {
  const [row] = await em.find(ViewerVersion, { userId });
  return row ? Number(row.version) : 0;
}

export type ViewerResolution =
  | { kind: 'anonymous' }
  | { kind: 'invalid'; reason: string }
  | { kind: 'viewer'; viewer: Viewer };

/**
 * The viewer of the request's bearer token: from the cache when it holds the
 * credential, else read (and stored for the next request). Never throws for
 * a bad token: the access check decides.
 */
export async function resolveViewer(em: EntityManager, config: Config, header: string | undefined, cache: ViewerCache | undefined): Promise<ViewerResolution> {
  if (!cache) {
    const auth = await authenticate(em, config, header);
    if (auth.kind === 'anonymous' || auth.kind === 'invalid') return auth;
    return { kind: 'viewer', viewer: await buildViewer(em, auth.user, auth.apiTokenId, auth.scope, auth.allowsAnyDocument) };
  }
  const credential = await parseCredential(config, header);
  if (credential.kind === 'anonymous' || credential.kind === 'invalid') return credential;
  const now = Date.now();

  if (credential.kind === 'token') {
    const key = `tok:${credential.hash}`;
    const hit = cache.get(key);
    if (hit) {
      if (hit.tokenExpiresAt != null && hit.tokenExpiresAt <= now) return INVALID('This API token has expired');
      if (stale(hit.tokenLastUsedAt, now)) {
        cache.touch(key, now);
        await em.nativeUpdate(ApiToken, { id: hit.viewer.apiTokenId! }, { lastUsedAt: new Date(now) });
      }
      return { kind: 'viewer', viewer: hit.viewer };
    }
    const ticket = cache.ticket();
    const auth = await apiTokenUser(em, credential.hash);
    if (auth.kind !== 'user') return auth;
    const version = ticket ? await viewerVersion(em, auth.user.id) : 0;
    // The cached viewer carries the token's scope and document permission: a change to either drops it (viewer-cache.ts).
    const viewer = await buildViewer(em, auth.user, auth.apiTokenId, auth.scope, auth.allowsAnyDocument);
    cache.set(key, { viewer, userId: auth.user.id, version, tokenExpiresAt: auth.expiresAt, tokenLastUsedAt: auth.lastUsedAt }, ticket);
    return { kind: 'viewer', viewer };
  }

  const key = `jwt:${credential.userId}`;
  const hit = cache.get(key);
  if (hit) return { kind: 'viewer', viewer: hit.viewer };
  const ticket = cache.ticket();
  const version = ticket ? await viewerVersion(em, credential.userId) : 0;
  const user = await loadActiveUser(em, credential.userId);
  if (!user) return INVALID('This token\'s user no longer exists or is disabled');
  const viewer = await buildViewer(em, user, null, ApiTokenScope.ADMIN);
  cache.set(key, { viewer, userId: user.id, version }, ticket);
  return { kind: 'viewer', viewer };
}

type Credential =
  | { kind: 'anonymous' }
  | { kind: 'invalid'; reason: string }
  | { kind: 'token'; hash: string }
  | { kind: 'jwt'; userId: string };

/** What the header presents, checked as far as it can be without the database: the JWT's signature, claims and expiry. */
async function parseCredential(config: Config, header: string | undefined): Promise<Credential> {
  if (!header) return { kind: 'anonymous' };
  const match = /^Bearer\s+(\S+)$/i.exec(header.trim());
  if (!match) return INVALID('The Authorization header must be `Bearer <token>`');
  const token = match[1];
  if (token.startsWith(API_TOKEN_PREFIX)) return { kind: 'token', hash: hashApiSecret(token) };
  try {
    const { payload } = await jwtVerify(token, config.jwt.secret, {
      algorithms: ['HS256'],
      issuer: config.jwt.issuer,
      audience: config.jwt.audience,
      clockTolerance: config.jwt.clockToleranceSeconds,
      requiredClaims: ['sub', 'exp', 'iat'],
      // Also refuses an `iat` in the future, and caps a token's age at the lifetime this server issues.
      maxTokenAge: config.jwt.ttlSeconds,
    });
    // A subject that is not a UUID would reach PostgreSQL as a uuid cast error (a 500), not a refusal.
    if (!UUID.test(String(payload.sub))) return INVALID('The access token is not valid');
    return { kind: 'jwt', userId: String(payload.sub).toLowerCase() };
  } catch (err) {
    if (err instanceof joseErrors.JWTExpired) return INVALID('The access token has expired: sign in again');
    if (err instanceof joseErrors.JOSEError) return INVALID('The access token is not valid');
    throw err;
  }
}

/** The API token's row and user, refused when unknown, revoked, expired or its user disabled; touches lastUsedAt. */
type Refusal = { kind: 'invalid'; reason: string };
interface TokenUser {
  kind: 'user'; user: User; apiTokenId: string; scope: ApiTokenScope; allowsAnyDocument: boolean; expiresAt: number | null; lastUsedAt: number | null;
}

async function apiTokenUser(em: EntityManager, hash: string): Promise<Refusal | TokenUser> {
  const [row] = await em.find(ApiToken, { secretHash: hash }, { populate: ['user', 'user.organization'] });
  if (!row || row.revokedAt) return INVALID('This API token is not valid (unknown or revoked)');
  if (row.expiresAt && row.expiresAt.getTime() <= Date.now()) return INVALID('This API token has expired');
  if (row.user.disabledAt) return INVALID('This user is disabled');
  let lastUsedAt = row.lastUsedAt?.getTime() ?? null;
  if (stale(lastUsedAt, Date.now())) {
    lastUsedAt = Date.now();
    await em.nativeUpdate(ApiToken, { id: row.id }, { lastUsedAt: new Date(lastUsedAt) });
  }
  return {
    kind: 'user', user: row.user, apiTokenId: row.id, scope: row.scope, allowsAnyDocument: row.allowsAnyDocument,
    expiresAt: row.expiresAt?.getTime() ?? null, lastUsedAt,
  };
}

/** Resolves the bearer token of a request to its user, reading the database. Never throws for a bad token: the access check decides. */
export async function authenticate(em: EntityManager, config: Config, header: string | undefined): Promise<Authentication> {
  const credential = await parseCredential(config, header);
  if (credential.kind === 'token') {
    const auth = await apiTokenUser(em, credential.hash);
    return auth.kind === 'user' ? { kind: 'user', user: auth.user, apiTokenId: auth.apiTokenId, scope: auth.scope, allowsAnyDocument: auth.allowsAnyDocument } : auth;
  }
  if (credential.kind === 'jwt') {
    const user = await loadActiveUser(em, credential.userId);
    if (!user) return INVALID('This token\'s user no longer exists or is disabled');
    return { kind: 'user', user, apiTokenId: null, scope: ApiTokenScope.ADMIN, allowsAnyDocument: false };
  }
  return credential;
}
