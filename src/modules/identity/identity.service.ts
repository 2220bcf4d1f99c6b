import { LockMode } from '@mikro-orm/core';
import { recordVisit } from '../../write/visits';
import type { Context } from '../../access/context';
import { decoyPasswordHash, newApiSecret, signAccessToken, verifyPassword } from '../../access/auth';
import { mutate } from '../../write/transaction';
import { Checks } from '../../write/checks';
import { AuditAction, created } from '../../write/audit';
import { Reader } from '../../access/reader';
import { buildViewer } from '../../access/viewer';
import { ApiToken, ApiTokenScope, scopeIncludes, User } from '../../model/identity.entity';
import { type CreateApiTokenInput, type CreateApiTokenPayload, type LoginInput, type LoginPayload, type RevokeApiTokenPayload } from './identity.types';
import { UserErrorCode } from '../../core/user-error';

const BAD_CREDENTIALS: LoginPayload = {
  token: null,
  expiresAt: null,
  viewer: null,
  userErrors: [{ field: null, message: 'Email or password is incorrect', code: UserErrorCode.INVALID_CREDENTIALS }],
};

export const identityService = {
  async login(ctx: Context, input: LoginInput): Promise<LoginPayload> {
    const email = input.email.trim().toLowerCase();
    // Login runs before there is a viewer: this lookup is by the unique email only, and reveals nothing but the payload below.
    const [user] = await ctx.em.find(User, { email }, { populate: ['organization', 'passwordHash'] });
    const hash = user?.passwordHash ?? (await decoyPasswordHash());
    const ok = await verifyPassword(hash, input.password);
    if (!user || !ok || user.disabledAt) return BAD_CREDENTIALS;
    const { token, expiresAt } = await signAccessToken(ctx.config, user.id);
    await recordVisit(ctx.em, user.id);
    // The rest of this request (the payload's fields, later fields of the same document) acts as the
    // signed-in user: viewer and reader switch together, so no field ever reads with one identity's scope
    // while acting as another.
    const viewer = await buildViewer(ctx.em, user, null);
    ctx.viewer = viewer;
    ctx.reader = new Reader(ctx.em, viewer, ctx.config.preparedReads);
    return { token, expiresAt, viewer: { user, organization: user.organization, role: user.role }, userErrors: [] };
  },

  /** One audited transaction, like every mutation; the audit event never carries the secret or its hash. */
  async createApiToken(ctx: Context, input: CreateApiTokenInput): Promise<CreateApiTokenPayload> {
    const { secret, hash, prefix } = newApiSecret();
    const result = await mutate(ctx, async (tx) => {
      const checks = new Checks();
      const name = checks.text('name', input.name, 1, 100);
      if (input.expiresAt && input.expiresAt.getTime() <= Date.now()) checks.add('expiresAt', 'expiresAt must be in the future');
      // A credential hands out at most what it holds; without a scope, exactly what it holds.
      const held = tx.viewer.tokenScope ?? ApiTokenScope.ADMIN;
      const scope = input.scope ?? held;
      if (!scopeIncludes(held, scope)) checks.add('scope', `scope ${scope} is more than this API token's own scope (${held})`);
      // Secure by default: any document only when asked for, and only by a session or a token that has it itself.
      const allowsAnyDocument = input.allowAnyDocument ?? false;
      if (allowsAnyDocument && tx.viewer.apiTokenId && !tx.viewer.tokenAllowsAnyDocument) {
        checks.add('allowAnyDocument', 'allowAnyDocument is more than this API token may do: it does not allow any document itself');
      }
      checks.done();
      const token = tx.em.create(ApiToken, {
        user: tx.viewer.userId,
        name,
        secretHash: hash,
        prefix,
        expiresAt: input.expiresAt ?? null,
        scope,
        allowsAnyDocument,
        createdByToken: tx.viewer.apiTokenId,
      } as never);
      // A narrowed scope and the creating token are recorded when they differ from a full-scope token made in a
      // session; whether it may send any document is recorded always, like its name and expiry.
      tx.audit(AuditAction.ApiTokenCreate, token, null, created({
        name, prefix, expiresAt: input.expiresAt ?? null, allowsAnyDocument,
        ...(scope !== ApiTokenScope.ADMIN ? { scope } : {}),
        ...(tx.viewer.apiTokenId ? { createdByToken: tx.viewer.apiTokenId } : {}),
      }));
      return token;
    });
    return { apiToken: result.object, secret: result.object ? secret : null, userErrors: result.userErrors };
  },

  async revokeApiToken(ctx: Context, id: string): Promise<RevokeApiTokenPayload> {
    const result = await mutate(ctx, async (tx) => {
      const token = await tx.target(ApiToken, id);
      const now = new Date();
      if (!token.revokedAt) {
        const changes = tx.apply(token, { revokedAt: now });
        tx.audit(AuditAction.ApiTokenRevoke, token, null, changes);
      }
      // The tokens minted through this one, and theirs, at any depth: a token must not outlive the one that
      // created it (otherwise a leaked token could mint a successor before being revoked).
      const seen = new Set([token.id]);
      let frontier = [token.id];
      while (frontier.length) {
        const children = await tx.find(ApiToken, { createdByToken: { $in: frontier } }, { lockMode: LockMode.PESSIMISTIC_WRITE });
        frontier = [];
        for (const child of children) {
          if (seen.has(child.id)) continue;
          seen.add(child.id);
          frontier.push(child.id);
          if (!child.revokedAt) tx.audit(AuditAction.ApiTokenRevoke, child, null, tx.apply(child, { revokedAt: now }));
        }
      }
      return token;
    });
    return { apiToken: result.object, userErrors: result.userErrors };
  },
};
