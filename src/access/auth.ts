/**
 * Authentication: argon2id password hashes, short-lived signed access tokens
 * (JWT, HS256 only), and long-lived API tokens stored as SHA-256 hashes.
 * Both kinds arrive as `Authorization: Bearer …`; the user is re-read on every
 * request, so disabling a user or revoking a token takes effect at once.
 */
import argon2 from 'argon2';
import { createHash, randomBytes } from 'node:crypto';
import { errors as joseErrors, jwtVerify, SignJWT } from 'jose';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Config } from '../config';
import { ApiToken, ApiTokenScope, User } from '../model/identity.entity';

export const API_TOKEN_PREFIX = 'vnt_';

export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, { type: argon2.argon2id });
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
  | { kind: 'user'; user: User; apiTokenId: string | null; scope: ApiTokenScope };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const INVALID = (reason: string): Authentication => ({ kind: 'invalid', reason });

async function loadActiveUser(em: EntityManager, id: string): Promise<User | null> {
  const [user] = await em.find(User, { id, disabledAt: null }, { populate: ['organization'] });
  return user ?? null;
}

/** Resolves the bearer token of a request. Never throws for a bad token: the access check decides. */
export async function authenticate(em: EntityManager, config: Config, header: string | undefined): Promise<Authentication> {
  if (!header) return { kind: 'anonymous' };
  const match = /^Bearer\s+(\S+)$/i.exec(header.trim());
  if (!match) return INVALID('The Authorization header must be `Bearer <token>`');
  const token = match[1];

  if (token.startsWith(API_TOKEN_PREFIX)) {
    const [row] = await em.find(ApiToken, { secretHash: hashApiSecret(token) }, { populate: ['user', 'user.organization'] });
    if (!row || row.revokedAt) return INVALID('This API token is not valid (unknown or revoked)');
    if (row.expiresAt && row.expiresAt.getTime() <= Date.now()) return INVALID('This API token has expired');
    if (row.user.disabledAt) return INVALID('This user is disabled');
    // Touch lastUsedAt at most once a minute; a plain UPDATE outside the unit of work, version untouched.
    if (!row.lastUsedAt || Date.now() - row.lastUsedAt.getTime() > 60_000) {
      await em.nativeUpdate(ApiToken, { id: row.id }, { lastUsedAt: new Date() });
    }
    return { kind: 'user', user: row.user, apiTokenId: row.id, scope: row.scope };
  }

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
    const user = await loadActiveUser(em, String(payload.sub));
    if (!user) return INVALID('This token\'s user no longer exists or is disabled');
    return { kind: 'user', user, apiTokenId: null, scope: ApiTokenScope.ADMIN };
  } catch (err) {
    if (err instanceof joseErrors.JWTExpired) return INVALID('The access token has expired: sign in again');
    if (err instanceof joseErrors.JOSEError) return INVALID('The access token is not valid');
    throw err;
  }
}
