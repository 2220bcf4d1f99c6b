import { Field, ID, InputType, Int } from 'type-graphql';
import { payloadOf, targetInputOf } from '../../write/payloads';
import { Organization, OrganizationKind, User, UserRole } from '../../model/identity.entity';

@InputType({ description: 'A new organization (ADMIN).' })
export class CreateOrganizationInput {
  @Field({ description: 'Display name, 1–200 characters.' })
  name!: string;

  @Field(() => OrganizationKind, { description: 'What it is to the projects.' })
  kind!: OrganizationKind;
}

@InputType({ description: 'A new user of an organization (ADMIN). Valid roles: OPERATOR → ADMIN or MANAGER; INVESTOR → VIEWER; VENDOR and SUBCONTRACTOR → MEMBER or VIEWER.' })
export class CreateUserInput {
  @Field(() => ID, { description: 'Id of the organization.' })
  organizationId!: string;

  @Field({ description: 'Sign-in email address (unique, case-insensitive).' })
  email!: string;

  @Field({ description: 'Display name, 1–200 characters.' })
  name!: string;

  @Field(() => UserRole, { description: 'Role within the organization.' })
  role!: UserRole;

  @Field({ description: 'Initial password, 12–200 characters (stored only as a hash).' })
  password!: string;
}

@InputType({ description: 'A user\'s new role (ADMIN); it must be valid for the user\'s kind of organization. Your own role cannot be changed.' })
export class ChangeUserRoleInput {
  @Field(() => ID, { description: 'Id of the user.' })
  id!: string;

  @Field(() => Int, { description: 'The version you read; a stale version is a VERSION_CONFLICT and nothing is written.' })
  version!: number;

  @Field(() => UserRole, { description: 'The new role.' })
  role!: UserRole;
}

export const DisableUserInput = targetInputOf(
  'DisableUserInput', 'User', 'Disables a user (ADMIN): they cannot sign in, and their access and API tokens stop working at once. You cannot disable yourself.',
);
export type DisableUserInput = InstanceType<typeof DisableUserInput>;

export const CreateOrganizationPayload = payloadOf(Organization, 'organization', 'CreateOrganizationPayload', 'Result of createOrganization.');
export const CreateUserPayload = payloadOf(User, 'user', 'CreateUserPayload', 'Result of createUser.');
export const ChangeUserRolePayload = payloadOf(User, 'user', 'ChangeUserRolePayload', 'Result of changeUserRole.');
export const DisableUserPayload = payloadOf(User, 'user', 'DisableUserPayload', 'Result of disableUser.');
