import { Field, InputType, ObjectType } from 'type-graphql';
import { MaxLength } from 'class-validator';
import { UserError } from '../../core/user-error';
import { DateTimeScalar } from '../../core/scalars';
import { ApiToken, ApiTokenScope, Organization, User, UserRole } from '../../model/identity.entity';

@ObjectType({ description: 'The authenticated user: who they are, their organization and role, and their own things.' })
export class Viewer {
  @Field(() => User, { description: 'The signed-in user.' })
  user!: User;

  @Field(() => Organization, { description: 'The user\'s organization.' })
  organization!: Organization;

  @Field(() => UserRole, { description: 'The user\'s role.' })
  role!: UserRole;
}

@InputType({ description: 'Credentials to sign in with.' })
export class LoginInput {
  @Field({ description: 'Email address.' })
  @MaxLength(320)
  email!: string;

  @Field({ description: 'Password.' })
  @MaxLength(200)
  password!: string;
}

@ObjectType({ description: 'Result of login.' })
export class LoginPayload {
  @Field(() => String, { nullable: true, description: 'Access token for `Authorization: Bearer …`; null when sign-in failed.' })
  token!: string | null;

  @Field(() => DateTimeScalar, { nullable: true, description: 'When the token expires.' })
  expiresAt!: Date | null;

  @Field(() => Viewer, { nullable: true, description: 'Who signed in.' })
  viewer!: Viewer | null;

  @Field(() => [UserError], { description: 'Why sign-in failed; empty on success.' })
  userErrors!: UserError[];
}

@InputType({ description: 'A new API token.' })
export class CreateApiTokenInput {
  @Field({ description: 'What the token is for (1–100 characters).' })
  name!: string;

  @Field(() => DateTimeScalar, { nullable: true, description: 'When it expires; null: never.' })
  expiresAt?: Date | null;

  @Field(() => ApiTokenScope, {
    nullable: true,
    description: 'What the token may do. Default: the scope of the credential creating it — ADMIN (full) in a session from `login`, the creating token\'s own scope through an API token. Never more than that credential\'s scope.',
  })
  scope?: ApiTokenScope | null;

  @Field(() => Boolean, {
    nullable: true,
    description: 'Whether the token may send any GraphQL document; without it, only the portal\'s own operations where trusted documents are on (production). '
      + 'For integrations with their own queries. Default: false. An API token may ask for it only when it allows any document itself.',
  })
  allowAnyDocument?: boolean | null;
}

@ObjectType({ description: 'Result of createApiToken.' })
export class CreateApiTokenPayload {
  @Field(() => ApiToken, { nullable: true, description: 'The new token.' })
  apiToken!: ApiToken | null;

  @Field(() => String, { nullable: true, description: 'The secret, shown this once: only its hash is stored.' })
  secret!: string | null;

  @Field(() => [UserError], { description: 'Validation failures; empty on success.' })
  userErrors!: UserError[];
}

@InputType({ description: 'The API token to revoke.' })
export class RevokeApiTokenInput {
  @Field({ description: 'Id of one of your API tokens.' })
  id!: string;
}

@ObjectType({ description: 'Result of revokeApiToken.' })
export class RevokeApiTokenPayload {
  @Field(() => ApiToken, { nullable: true, description: 'The revoked token.' })
  apiToken!: ApiToken | null;

  @Field(() => [UserError], { description: 'Expected failures; empty on success.' })
  userErrors!: UserError[];
}
