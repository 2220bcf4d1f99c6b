/**
 * Organizations and users, administered by ADMINs only (docs/visibility.md).
 * A role must fit the organization's kind (isValidRole). Administrators cannot
 * change or disable themselves, so the last one cannot lock everyone out.
 */
import { hashPassword } from '../../access/auth';
import type { Context } from '../../access/context';
import { mutate, type Tx } from '../../write/transaction';
import { Checks, fail, withArticle, LIMITS, userError } from '../../write/checks';
import { AuditAction, created } from '../../write/audit';
import { idOf } from '../../write/ids';
import type { Viewer } from '../../access/viewer';
import { isValidRole, Organization, OrganizationKind, User, UserRole } from '../../model/identity.entity';
import type { ChangeUserRoleInput, CreateOrganizationInput, CreateUserInput, DisableUserInput } from './identity.mutation-inputs';
import { UserErrorCode } from '../../core/user-error';

const PASSWORD_MIN = 12;
const PASSWORD_MAX = 200;

const VALID_ROLES: Record<OrganizationKind, string> = {
  [OrganizationKind.OPERATOR]: 'ADMIN or MANAGER',
  [OrganizationKind.INVESTOR]: 'VIEWER',
  [OrganizationKind.VENDOR]: 'MEMBER or VIEWER',
  [OrganizationKind.SUBCONTRACTOR]: 'MEMBER or VIEWER',
};

function checkRole(kind: OrganizationKind, role: UserRole): void {
  if (!isValidRole(kind, role)) fail(UserErrorCode.VALIDATION, `role ${role} is not valid in ${withArticle(kind)} organization (valid: ${VALID_ROLES[kind]})`, 'role');
}

/** The user (locked) with their organization, at the version the client read; never the viewer. */
async function targetUser(tx: Tx, id: string, version: number, what: string): Promise<{ user: User; organization: Organization }> {
  const user = await tx.target(User, id, { version });
  if (user.id === tx.viewer.userId) fail(UserErrorCode.VALIDATION, `You cannot ${what} yourself: ask another administrator`, 'id');
  return { user, organization: await tx.linked(Organization, user.organization.id) };
}

export const identityAdminService = {
  async createOrganization(ctx: Context, viewer: Viewer, input: CreateOrganizationInput) {
    return mutate(ctx, async (tx) => {
      const checks = new Checks();
      const name = checks.text('name', input.name, 1, LIMITS.name);
      checks.done();
      const fields = { name, kind: input.kind };
      const organization = tx.em.create(Organization, fields as never);
      tx.audit(AuditAction.OrganizationCreate, organization, null, created(fields));
      return organization;
    });
  },

  async createUser(ctx: Context, viewer: Viewer, input: CreateUserInput) {
    const organizationId = idOf(input.organizationId, 'Organization', 'organizationId');
    const taken = userError(UserErrorCode.ALREADY_EXISTS, 'A user with this email already exists', 'email');
    const passwordOk = input.password.length >= PASSWORD_MIN && input.password.length <= PASSWORD_MAX;
    // Hashing is slow on purpose: do it before the transaction holds a connection.
    const passwordHash = passwordOk ? await hashPassword(input.password) : null;
    return mutate(ctx, async (tx) => {
      const checks = new Checks();
      const email = checks.email('email', input.email);
      const name = checks.text('name', input.name, 1, LIMITS.name);
      if (!passwordHash) {
        checks.add('password', `password must be ${PASSWORD_MIN}–${PASSWORD_MAX} characters`);
      }
      checks.done();
      const organization = await tx.linked(Organization, organizationId);
      checkRole(organization.kind, input.role);
      if ((await tx.count(User, { email })) > 0) fail(taken.code, taken.message, 'email');
      const fields = { organization, email, name, role: input.role };
      const user = tx.em.create(User, { ...fields, passwordHash } as never);
      // The password (even hashed) never goes into the audit trail.
      tx.audit(AuditAction.UserCreate, user, null, created(fields));
      return user;
    }, { unique: { app_user_email_unique: taken } });
  },

  async changeRole(ctx: Context, viewer: Viewer, input: ChangeUserRoleInput) {
    const id = idOf(input.id, 'User', 'id');
    return mutate(ctx, async (tx) => {
      const { user, organization } = await targetUser(tx, id, input.version, 'change the role of');
      checkRole(organization.kind, input.role);
      const changes = tx.apply(user, { role: input.role });
      if (Object.keys(changes).length) tx.audit(AuditAction.UserChangeRole, user, null, changes);
      return user;
    });
  },

  async disable(ctx: Context, viewer: Viewer, input: DisableUserInput) {
    const id = idOf(input.id, 'User', 'id');
    return mutate(ctx, async (tx) => {
      const { user } = await targetUser(tx, id, input.version, 'disable');
      if (user.disabledAt) fail(UserErrorCode.INVALID_TRANSITION, `User is already disabled (since ${user.disabledAt.toISOString()})`);
      tx.audit(AuditAction.UserDisable, user, null, tx.apply(user, { disabledAt: new Date() }));
      return user;
    });
  },
};
