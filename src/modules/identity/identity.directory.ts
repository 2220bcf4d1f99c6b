import { Arg, Args, Ctx, Field, ID, InputType, Query, Resolver } from 'type-graphql';
import { Access } from '../../access/access';
import { authed, type Context } from '../../access/context';
import { oneOf } from '../../access/listing';
import { decodeId } from '../../core/global-id';
import { connectionOf, ConnectionArgs } from '../../core/pagination';
import { Organization, OrganizationKind, User, UserRole } from '../../model/identity.entity';

export const OrganizationConnection = connectionOf(Organization, 'Organization');
export const UserConnection = connectionOf(User, 'User');

@InputType({ description: 'Organization filter; all given conditions must hold.' })
export class OrganizationFilter {
  @Field(() => [OrganizationKind], { nullable: true, description: 'Any of these kinds.' })
  kind?: OrganizationKind[] | null;
}

@InputType({ description: 'User filter; all given conditions must hold.' })
export class UserFilter {
  @Field(() => ID, { nullable: true, description: 'Users of this organization.' })
  organizationId?: string | null;

  @Field(() => [UserRole], { nullable: true, description: 'Any of these roles.' })
  role?: UserRole[] | null;
}

/**
 * The directory the operator administers: without it, the people and
 * organizations the seed or another admin created could only be reached by
 * an id someone already holds. Both lists go through the read policy like
 * any other (operator staff see every organization and user; nobody else
 * reaches these fields).
 */
@Resolver()
export class DirectoryResolver {
  @Access('operator')
  @Query(() => OrganizationConnection, { description: 'Every organization, by name (operator staff).' })
  organizations(
    @Args() args: ConnectionArgs,
    @Arg('filter', () => OrganizationFilter, { nullable: true }) filter: OrganizationFilter | null,
    @Ctx() ctx: Context,
  ) {
    return authed(ctx).reader.connection(Organization, args, { where: oneOf('kind', filter?.kind), sort: 'name' });
  }

  @Access('operator')
  @Query(() => UserConnection, { description: 'Every user, by email, disabled ones included (operator staff).' })
  users(
    @Args() args: ConnectionArgs,
    @Arg('filter', () => UserFilter, { nullable: true }) filter: UserFilter | null,
    @Ctx() ctx: Context,
  ) {
    const where = {
      ...oneOf('role', filter?.role),
      ...(filter?.organizationId ? { organization: decodeId(filter.organizationId, 'Organization', 'filter.organizationId') } : {}),
    };
    return authed(ctx).reader.connection(User, args, { where, sort: 'email' });
  }
}
