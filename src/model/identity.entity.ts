import { Entity, Enum, Index, ManyToOne, Property, Unique } from '@mikro-orm/core';
import { Field, ObjectType, registerEnumType } from 'type-graphql';
import { BaseEntity, Node } from './node';
import { DateTimeScalar } from '../core/scalars';

export enum OrganizationKind {
  OPERATOR = 'OPERATOR',
  INVESTOR = 'INVESTOR',
  VENDOR = 'VENDOR',
  SUBCONTRACTOR = 'SUBCONTRACTOR',
}
registerEnumType(OrganizationKind, {
  name: 'OrganizationKind',
  description: 'What an organization is to the projects: the operator runs them, investors fund them, vendors and subcontractors (partners) deliver parts of them.',
  valuesConfig: {
    OPERATOR: { description: 'The IT delivery company that runs the projects.' },
    INVESTOR: { description: 'Funds projects.' },
    VENDOR: { description: 'A partner delivering under contracts.' },
    SUBCONTRACTOR: { description: 'A partner delivering under contracts.' },
  },
});

export enum UserRole {
  ADMIN = 'ADMIN',
  MANAGER = 'MANAGER',
  VIEWER = 'VIEWER',
  MEMBER = 'MEMBER',
}
registerEnumType(UserRole, {
  name: 'UserRole',
  description: 'A user\'s role within their organization.',
  valuesConfig: {
    ADMIN: { description: 'Operator administrator: reads and writes everything.' },
    MANAGER: { description: 'Operator project manager: reads and writes the projects they manage.' },
    VIEWER: { description: 'Investor or partner user with read-only access to their slice.' },
    MEMBER: { description: 'Partner user who can start and submit their own deliverables and raise risks.' },
  },
});

/**
 * What an API token may do, each including the one before. A token never
 * holds more than the user it belongs to: the scope narrows the user's
 * permissions, it never adds to them.
 */
export enum ApiTokenScope {
  READ = 'READ',
  WRITE = 'WRITE',
  ADMIN = 'ADMIN',
}
registerEnumType(ApiTokenScope, {
  name: 'ApiTokenScope',
  description: 'What an API token may do (each scope includes the ones before); within what its user may do. A session from `login` has full scope.',
  valuesConfig: {
    READ: { description: 'Queries only.' },
    WRITE: { description: 'Queries and mutations, except administering API tokens, users and organizations.' },
    ADMIN: { description: 'Everything the user may do, including creating and revoking API tokens.' },
  },
});

const SCOPE_RANK: Record<ApiTokenScope, number> = { READ: 0, WRITE: 1, ADMIN: 2 };

/** Whether `held` includes `needed`. */
export function scopeIncludes(held: ApiTokenScope, needed: ApiTokenScope): boolean {
  return SCOPE_RANK[held] >= SCOPE_RANK[needed];
}

export const PARTNER_KINDS: readonly OrganizationKind[] = [OrganizationKind.VENDOR, OrganizationKind.SUBCONTRACTOR];

/** docs/visibility.md: which roles exist for which kind of organization. */
export function isValidRole(kind: OrganizationKind, role: UserRole): boolean {
  if (kind === OrganizationKind.OPERATOR) return role === UserRole.ADMIN || role === UserRole.MANAGER;
  if (kind === OrganizationKind.INVESTOR) return role === UserRole.VIEWER;
  return role === UserRole.MEMBER || role === UserRole.VIEWER;
}

@ObjectType({ implements: Node, description: 'A party of the projects: the operator, an investor, a vendor or a subcontractor.' })
@Entity({ tableName: 'organization' })
export class Organization extends BaseEntity {
  @Field({ description: 'Display name.' })
  @Property({ length: 200 })
  name!: string;

  @Field(() => OrganizationKind, { description: 'What this organization is to the projects.' })
  @Enum({ items: () => OrganizationKind, nativeEnumName: 'organization_kind' })
  kind!: OrganizationKind;
}

@ObjectType({ implements: Node, description: 'A person who signs in to Vantage on behalf of an organization.' })
@Entity({ tableName: 'app_user' })
export class User extends BaseEntity {
  @Field({ description: 'Sign-in email address (unique).' })
  @Unique({ name: 'app_user_email_unique' })
  @Property({ length: 320 })
  email!: string;

  @Field({ description: 'Display name.' })
  @Property({ length: 200 })
  name!: string;

  @Property({ length: 200, hidden: true, lazy: true })
  passwordHash!: string;

  @Field(() => UserRole, { description: 'Role within the organization.' })
  @Enum({ items: () => UserRole, nativeEnumName: 'user_role' })
  role!: UserRole;

  @Index()
  @ManyToOne(() => Organization, { deleteRule: 'restrict' })
  organization!: Organization;

  @Field(() => DateTimeScalar, { nullable: true, description: 'When the user was disabled; a disabled user cannot sign in and their tokens stop working.' })
  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  disabledAt?: Date | null;
}

@ObjectType({ implements: Node, description: 'A long-lived API token of a user, for integrations. The secret is shown once, at creation.' })
@Entity({ tableName: 'api_token' })
export class ApiToken extends BaseEntity {
  @Index()
  @ManyToOne(() => User, { deleteRule: 'cascade' })
  user!: User;

  @Field({ description: 'A name that says what the token is for.' })
  @Property({ length: 100 })
  name!: string;

  /** SHA-256 of the secret: the secret has 256 random bits, so a fast hash is enough. */
  @Unique({ name: 'api_token_secret_hash_unique' })
  @Property({ length: 64, hidden: true })
  secretHash!: string;

  @Field({ description: 'The first characters of the secret, to recognize it.' })
  @Property({ length: 16 })
  prefix!: string;

  @Field(() => DateTimeScalar, { nullable: true, description: 'When the token was last used (updated at most once a minute).' })
  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  lastUsedAt?: Date | null;

  @Field(() => DateTimeScalar, { nullable: true, description: 'When the token expires; null: never.' })
  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  expiresAt?: Date | null;

  @Field(() => DateTimeScalar, { nullable: true, description: 'When the token was revoked; a revoked token is rejected at once, and so are the tokens it created.' })
  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  revokedAt?: Date | null;

  @Field(() => ApiTokenScope, { description: 'What the token may do.' })
  @Enum({ items: () => ApiTokenScope, nativeEnumName: 'api_token_scope', default: ApiTokenScope.ADMIN })
  scope: ApiTokenScope = ApiTokenScope.ADMIN;

  @Field({
    description: 'May send any GraphQL document; without it the token runs only the portal\'s own operations where trusted documents are on (production).',
  })
  @Property({ default: false })
  allowsAnyDocument: boolean = false;

  /** The token whose request created this one (null: created in a session); revoking it revokes this one. */
  @Index()
  @ManyToOne(() => ApiToken, { nullable: true, deleteRule: 'set null', hidden: true })
  createdByToken?: ApiToken | null;
}
