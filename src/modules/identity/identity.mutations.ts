import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import { Access } from '../../access/access';
import { can } from '../../access/policy';
import { authed, type Context } from '../../access/context';
import { identityAdminService } from './identity-admin.service';
import {
  ChangeUserRoleInput, ChangeUserRolePayload, CreateOrganizationInput, CreateOrganizationPayload, CreateUserInput, CreateUserPayload, DisableUserInput,
  DisableUserPayload,
} from './identity.mutation-inputs';

/** FORBIDDEN messages of the role gates below. */
const ADMINISTER = 'Only administrators can manage organizations and users';

@Resolver()
export class IdentityMutations {
  @Access(can.administer, ADMINISTER)
  @Mutation(() => CreateOrganizationPayload, { description: 'Creates an organization (ADMIN).' })
  createOrganization(@Arg('input', () => CreateOrganizationInput) input: CreateOrganizationInput, @Ctx() ctx: Context) {
    return identityAdminService.createOrganization(ctx, authed(ctx).viewer, input);
  }

  @Access(can.administer, ADMINISTER)
  @Mutation(() => CreateUserPayload, { description: 'Creates a user in an organization with a role valid for its kind (ADMIN).' })
  createUser(@Arg('input', () => CreateUserInput) input: CreateUserInput, @Ctx() ctx: Context) {
    return identityAdminService.createUser(ctx, authed(ctx).viewer, input);
  }

  @Access(can.administer, ADMINISTER)
  @Mutation(() => ChangeUserRolePayload, { description: 'Changes a user\'s role (ADMIN); effective from their next request.' })
  changeUserRole(@Arg('input', () => ChangeUserRoleInput) input: ChangeUserRoleInput, @Ctx() ctx: Context) {
    return identityAdminService.changeRole(ctx, authed(ctx).viewer, input);
  }

  @Access(can.administer, ADMINISTER)
  @Mutation(() => DisableUserPayload, { description: 'Disables a user (ADMIN); every token of theirs stops working at once.' })
  disableUser(@Arg('input', () => DisableUserInput) input: DisableUserInput, @Ctx() ctx: Context) {
    return identityAdminService.disable(ctx, authed(ctx).viewer, input);
  }
}
