import { Field, InputType, ObjectType, registerEnumType } from 'type-graphql';
import { MaxLength } from 'class-validator';
import { DateTimeScalar } from '../../core/scalars';
import { ApiToken, Organization, User, UserRole } from './identity.entity';

export enum UserErrorCode {
  VALIDATION = 'VALIDATION',
  INVALID_CREDENTIALS = 'INVALID_CREDENTIALS',
  INVALID_TRANSITION = 'INVALID_TRANSITION',
  VERSION_CONFLICT = 'VERSION_CONFLICT',
  ALREADY_EXISTS = 'ALREADY_EXISTS',
}
registerEnumType(UserErrorCode, {
  name: 'UserErrorCode',
  description: 'Why a mutation refused an expected case.',
  valuesConfig: {
    VALIDATION: { description: 'An input value is not acceptable; see field and message.' },
    INVALID_CREDENTIALS: { description: 'Email or password is wrong (deliberately not saying which).' },
    INVALID_TRANSITION: { description: 'The object\'s current state does not allow this action.' },
    VERSION_CONFLICT: { description: 'The object changed since the version you sent; reload and retry.' },
    ALREADY_EXISTS: { description: 'A unique value is already taken.' },
  },
});

@ObjectType({ description: 'An expected failure of a mutation, to show to the user.' })
export class UserError {
  @Field(() => [String], { nullable: true, description: 'Path of the input field at fault, if any.' })
  field?: string[] | null;

  @Field({ description: 'What went wrong and how to fix it.' })
  message!: string;

  @Field(() => UserErrorCode, { description: 'Stable code for programs.' })
  code!: UserErrorCode;
}

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
