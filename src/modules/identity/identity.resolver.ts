import { Arg, Args, Ctx, FieldResolver, Mutation, Query, Resolver, Root } from 'type-graphql';
import { Access, RequiresScope } from '../../access/access';
import { authed, type Context } from '../../access/context';
import { decodeId } from '../../core/global-id';
import { NotFoundError } from '../../core/errors';
import { connectionOf, ConnectionArgs } from '../../core/pagination';
import { ApiToken, ApiTokenScope, Organization, User } from '../../model/identity.entity';
import { identityService } from './identity.service';
import { CreateApiTokenInput, CreateApiTokenPayload, LoginInput, LoginPayload, RevokeApiTokenInput, RevokeApiTokenPayload, Viewer } from './identity.types';

export const ApiTokenConnection = connectionOf(ApiToken, 'ApiToken');

@Resolver(() => Viewer)
export class ViewerResolver {
  @Access('authenticated')
  @Query(() => Viewer, { description: 'The authenticated user, their organization and role. Entry point for the viewer\'s own things.' })
  async viewer(@Ctx() ctx: Context): Promise<Viewer> {
    const { viewer, reader } = authed(ctx);
    const user = await reader.byId(User).load(viewer.userId);
    const organization = await reader.byId(Organization).load(viewer.orgId);
    if (!user || !organization) throw new NotFoundError('user');
    return { user, organization, role: user.role };
  }

  @FieldResolver(() => ApiTokenConnection, { description: 'The viewer\'s own API tokens, newest first (secrets are never shown again).' })
  apiTokens(@Root() _v: Viewer, @Args() args: ConnectionArgs, @Ctx() ctx: Context) {
    return authed(ctx).reader.connection(ApiToken, args, { sort: 'createdAt', desc: true });
  }

  @Access('public')
  @Mutation(() => LoginPayload, { description: 'Signs in with email and password and returns an access token. The same error for an unknown email and a wrong password.' })
  login(@Arg('input', () => LoginInput) input: LoginInput, @Ctx() ctx: Context): Promise<LoginPayload> {
    return identityService.login(ctx, input);
  }

  @Access('authenticated')
  @RequiresScope(ApiTokenScope.ADMIN)
  @Mutation(() => CreateApiTokenPayload, {
    description: 'Creates an API token for the viewer. The secret is returned once. Through an API token: it needs the ADMIN scope, the new token gets at most that token\'s scope, and revoking that token revokes this one.',
  })
  createApiToken(@Arg('input', () => CreateApiTokenInput) input: CreateApiTokenInput, @Ctx() ctx: Context): Promise<CreateApiTokenPayload> {
    return identityService.createApiToken(ctx, input);
  }

  @Access('authenticated')
  @RequiresScope(ApiTokenScope.ADMIN)
  @Mutation(() => RevokeApiTokenPayload, { description: 'Revokes one of the viewer\'s API tokens and every token created through it (transitively); they stop working at once.' })
  revokeApiToken(@Arg('input', () => RevokeApiTokenInput) input: RevokeApiTokenInput, @Ctx() ctx: Context): Promise<RevokeApiTokenPayload> {
    return identityService.revokeApiToken(ctx, decodeId(input.id, 'ApiToken', 'input.id'));
  }
}

@Resolver(() => User)
export class UserResolver {
  @FieldResolver(() => Organization, { nullable: true, description: 'The user\'s organization.' })
  organization(@Root() user: User, @Ctx() ctx: Context) {
    return authed(ctx).reader.byId(Organization).load(user.organization.id);
  }
}
