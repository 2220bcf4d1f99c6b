import { authed, type Context } from '../../core/context';
import { decoyPasswordHash, newApiSecret, signAccessToken, verifyPassword } from '../../core/auth';
import { NotFoundError } from '../../core/errors';
import { scoped } from '../../core/policy';
import { Reader } from '../../core/reader';
import { buildViewer } from '../../core/viewer';
import { ApiToken, User } from './identity.entity';
import {
  UserErrorCode, type CreateApiTokenInput, type CreateApiTokenPayload, type LoginInput, type LoginPayload, type RevokeApiTokenPayload,
} from './identity.types';

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
    // The rest of this request (the payload's fields, later fields of the same document) acts as the
    // signed-in user: viewer and reader switch together, so no field ever reads with one identity's scope
    // while acting as another.
    const viewer = await buildViewer(ctx.em, user, null);
    ctx.viewer = viewer;
    ctx.reader = new Reader(ctx.em, viewer);
    return { token, expiresAt, viewer: { user, organization: user.organization, role: user.role }, userErrors: [] };
  },

  async createApiToken(ctx: Context, input: CreateApiTokenInput): Promise<CreateApiTokenPayload> {
    const { viewer } = authed(ctx);
    const name = input.name.trim();
    if (name.length < 1 || name.length > 100) {
      return { apiToken: null, secret: null, userErrors: [{ field: ['input', 'name'], message: 'Name must be 1–100 characters', code: UserErrorCode.VALIDATION }] };
    }
    if (input.expiresAt && input.expiresAt.getTime() <= Date.now()) {
      return { apiToken: null, secret: null, userErrors: [{ field: ['input', 'expiresAt'], message: 'expiresAt must be in the future', code: UserErrorCode.VALIDATION }] };
    }
    const { secret, hash, prefix } = newApiSecret();
    const token = ctx.em.create(ApiToken, {
      user: viewer.userId,
      name,
      secretHash: hash,
      prefix,
      expiresAt: input.expiresAt ?? null,
    } as any);
    await ctx.em.flush();
    return { apiToken: token, secret, userErrors: [] };
  },

  async revokeApiToken(ctx: Context, id: string): Promise<RevokeApiTokenPayload> {
    const { viewer } = authed(ctx);
    const [token] = await ctx.em.find(ApiToken, scoped(ApiToken, viewer, { id }));
    if (!token) throw new NotFoundError('ApiToken');
    if (!token.revokedAt) {
      token.revokedAt = new Date();
      await ctx.em.flush();
    }
    return { apiToken: token, userErrors: [] };
  },
};
