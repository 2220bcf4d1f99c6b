/**
 * The administration commands. Writes go through the same services as the
 * API's mutations (validation, role rules, password hashing, unique e-mail,
 * one transaction with its audit event):
 * - organizations and users: as the CLI's system viewer — operator ADMIN
 *   rights, no user, so it works on an empty database; its audit events have
 *   no actor and a `cli:` request id;
 * - API tokens: as their owner, exactly like `createApiToken` /
 *   `revokeApiToken`, so the audit event's actor is the token's user and its
 *   request id says it came from the CLI.
 */
import type { MikroORM } from '@mikro-orm/postgresql';
import { randomBytes, randomUUID } from 'node:crypto';
import type { Config } from '../config';
import type { Context } from '../access/context';
import { Reader } from '../access/reader';
import { buildViewer, systemViewer, type Viewer } from '../access/viewer';
import { toGlobalId, parseGlobalId } from '../core/global-id';
import type { UserError } from '../core/user-error';
import { isEmpty, seedDemo } from '../db/seed';
import { ApiToken, Organization, OrganizationKind, User, UserRole } from '../model/identity.entity';
import { identityAdminService } from '../modules/identity/identity-admin.service';
import { identityService } from '../modules/identity/identity.service';
import type { CreateUserInput } from '../modules/identity/identity.mutation-inputs';
import { CliError, usageError, type Result } from './output';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface Session {
  orm: MikroORM;
  config: Config;
}

function context(session: Session, viewer: Viewer, requestId: string): Context {
  const em = session.orm.em.fork();
  return { em, config: session.config, requestId, viewer, reader: new Reader(em, viewer, session.config.preparedReads), authProblem: null };
}

function cliRequestId(): string {
  return `cli:${randomUUID()}`;
}

/** A mutation's userErrors as the CLI's failure: `field: message` lines, exit code 1. */
function failed(userErrors: UserError[], requestId: string): never {
  const lines = userErrors.map((e) => (e.field ? `${e.field.filter((f) => f !== 'input').join('.')}: ${e.message}` : e.message));
  throw new CliError(lines.join('\n'), 1, { userErrors: userErrors.map((e) => ({ code: e.code, field: e.field, message: e.message })), requestId });
}

export function enumValue<E extends Record<string, string>>(values: E, value: string, what: string): E[keyof E] {
  const found = Object.values(values).find((v) => v === value.toUpperCase());
  if (!found) throw usageError(`${what} must be one of ${Object.values(values).join(', ')} (got "${value}")`);
  return found as E[keyof E];
}

async function userByEmail(session: Session, email: string): Promise<User> {
  const [user] = await session.orm.em.fork().find(User, { email: email.trim().toLowerCase() }, { populate: ['organization'] });
  if (!user) throw new CliError(`no user with the e-mail ${email}`, 1);
  return user;
}

/** An organization named by id, global id or exact name. */
async function organization(session: Session, ref: string): Promise<Organization> {
  const em = session.orm.em.fork();
  const decoded = parseGlobalId(ref);
  const id = UUID.test(ref) ? ref : decoded?.type === 'Organization' && UUID.test(decoded.id) ? decoded.id : null;
  const rows = id ? await em.find(Organization, { id }) : await em.find(Organization, { name: ref });
  if (rows.length === 0) throw new CliError(`no organization ${id ? 'with the id' : 'named'} "${ref}"`, 1);
  if (rows.length > 1) throw new CliError(`${rows.length} organizations are named "${ref}": give its id (${rows.map((o) => o.id).join(', ')})`, 1);
  return rows[0];
}

function userJson(user: User, organization: Organization) {
  return {
    id: user.id,
    globalId: toGlobalId('User', user.id),
    email: user.email,
    name: user.name,
    role: user.role,
    organization: { id: organization.id, name: organization.name, kind: organization.kind },
    disabledAt: user.disabledAt?.toISOString() ?? null,
    version: user.version,
  };
}

export async function migrateCommand(session: Session): Promise<Result> {
  const migrator = session.orm.getMigrator();
  const pending = (await migrator.getPendingMigrations()).map((m) => m.name);
  await migrator.up();
  return {
    text: pending.length ? `Applied ${pending.length} migration${pending.length === 1 ? '' : 's'}:\n${pending.map((n) => `  ${n}`).join('\n')}` : 'No pending migrations: the database is up to date.',
    json: { ok: true, applied: pending },
  };
}

export async function seedCommand(session: Session): Promise<Result> {
  const pending = await session.orm.getMigrator().getPendingMigrations();
  if (pending.length) throw new CliError(`${pending.length} migration(s) pending: run \`vantage migrate\` first`, 1);
  if (!(await isEmpty(session.orm.em.fork()))) {
    throw new CliError('the database is not empty: seed loads the demo data into an empty database only', 1);
  }
  await seedDemo(session.orm.em.fork());
  return { text: 'Loaded the demo data (demo logins use the password "vantage-demo").', json: { ok: true, seeded: true } };
}

export async function orgCreate(session: Session, values: { name?: string; kind?: string }): Promise<Result> {
  if (!values.name) throw usageError('--name is required');
  if (!values.kind) throw usageError('--kind is required');
  const kind = enumValue(OrganizationKind, values.kind, '--kind');
  const requestId = cliRequestId();
  const result = await identityAdminService.createOrganization(context(session, systemViewer(), requestId), systemViewer(), { name: values.name, kind });
  if (!result.object) failed(result.userErrors, requestId);
  const org = result.object;
  return {
    text: `Created organization "${org.name}" (${org.kind}), id ${org.id}`,
    json: { ok: true, organization: { id: org.id, globalId: toGlobalId('Organization', org.id), name: org.name, kind: org.kind }, requestId },
  };
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
}

export async function userCreate(
  session: Session,
  values: { email?: string; name?: string; org?: string; role?: string; 'password-stdin'?: boolean },
): Promise<Result> {
  for (const key of ['email', 'name', 'org', 'role'] as const) if (!values[key]) throw usageError(`--${key} is required`);
  const role = enumValue(UserRole, values.role!, '--role');
  const org = await organization(session, values.org!);
  // A password on the command line would stay in the shell history and the process list.
  const generated = values['password-stdin'] ? null : randomBytes(18).toString('base64url');
  const password = generated ?? (await readStdin());
  const requestId = cliRequestId();
  const input = { organizationId: toGlobalId('Organization', org.id), email: values.email!, name: values.name!, role, password } as CreateUserInput;
  const result = await identityAdminService.createUser(context(session, systemViewer(), requestId), systemViewer(), input);
  if (!result.object) failed(result.userErrors, requestId);
  const user = result.object;
  const text = [`Created user ${user.email} (${user.role} of ${org.name}), id ${user.id}`];
  if (generated) text.push(`Password (shown once): ${generated}`);
  return { text: text.join('\n'), json: { ok: true, user: userJson(user, org), ...(generated ? { password: generated } : {}), requestId } };
}

export async function userDisable(session: Session, email: string): Promise<Result> {
  const user = await userByEmail(session, email);
  const requestId = cliRequestId();
  const result = await identityAdminService.disable(context(session, systemViewer(), requestId), systemViewer(), { id: toGlobalId('User', user.id), version: user.version });
  if (!result.object) failed(result.userErrors, requestId);
  return {
    text: `Disabled user ${user.email}: they cannot sign in, and their tokens stop working now`,
    json: { ok: true, user: userJson(result.object, user.organization), requestId },
  };
}

export async function userSetRole(session: Session, email: string, roleText: string): Promise<Result> {
  const role = enumValue(UserRole, roleText, 'role');
  const user = await userByEmail(session, email);
  const before = user.role;
  const requestId = cliRequestId();
  const result = await identityAdminService.changeRole(context(session, systemViewer(), requestId), systemViewer(), { id: toGlobalId('User', user.id), version: user.version, role });
  if (!result.object) failed(result.userErrors, requestId);
  return {
    text: before === role ? `User ${user.email} already has the role ${role}` : `Changed the role of ${user.email} from ${before} to ${role}`,
    json: { ok: true, user: userJson(result.object, user.organization), previousRole: before, requestId },
  };
}

async function ownerContext(session: Session, user: User, requestId: string): Promise<Context> {
  const em = session.orm.em.fork();
  const viewer = await buildViewer(em, user, null);
  return { em, config: session.config, requestId, viewer, reader: new Reader(em, viewer, session.config.preparedReads), authProblem: null };
}

export async function tokenCreate(session: Session, values: { user?: string; name?: string; 'expires-at'?: string; 'any-document'?: boolean }): Promise<Result> {
  if (!values.user) throw usageError('--user is required');
  if (!values.name) throw usageError('--name is required');
  let expiresAt: Date | null = null;
  if (values['expires-at']) {
    expiresAt = new Date(values['expires-at']);
    if (Number.isNaN(expiresAt.getTime())) throw usageError(`--expires-at must be an ISO date-time such as 2027-01-31T00:00:00Z (got "${values['expires-at']}")`);
  }
  const user = await userByEmail(session, values.user);
  if (user.disabledAt) throw new CliError(`user ${user.email} is disabled: a token of theirs would not work`, 1);
  const requestId = cliRequestId();
  const input = { name: values.name, expiresAt, allowAnyDocument: values['any-document'] === true };
  const result = await identityService.createApiToken(await ownerContext(session, user, requestId), input);
  if (!result.apiToken || !result.secret) failed(result.userErrors, requestId);
  const token = result.apiToken;
  const documents = token.allowsAnyDocument
    ? 'It may send any query.'
    : 'It may send only the portal\'s own operations where trusted documents are on (production); --any-document for other queries.';
  return {
    text: `Created API token "${token.name}" for ${user.email}, id ${token.id}, prefix ${token.prefix}\n${documents}\nSecret (shown once, send it as Authorization: Bearer …): ${result.secret}`,
    json: {
      ok: true,
      apiToken: {
        id: token.id, globalId: toGlobalId('ApiToken', token.id), name: token.name, prefix: token.prefix, expiresAt: token.expiresAt?.toISOString() ?? null,
        allowsAnyDocument: token.allowsAnyDocument, user: user.email,
      },
      secret: result.secret,
      requestId,
    },
  };
}

/** A token named by id, global id or the prefix it is shown with. */
export async function tokenRevoke(session: Session, ref: string): Promise<Result> {
  const em = session.orm.em.fork();
  const decoded = parseGlobalId(ref);
  const id = UUID.test(ref) ? ref : decoded?.type === 'ApiToken' && UUID.test(decoded.id) ? decoded.id : null;
  const rows = await em.find(ApiToken, id ? { id } : { prefix: ref }, { populate: ['user', 'user.organization'] });
  if (rows.length === 0) throw new CliError(`no API token with the ${id ? 'id' : 'prefix'} "${ref}"`, 1);
  if (rows.length > 1) throw new CliError(`${rows.length} API tokens have the prefix "${ref}": give its id`, 1);
  const row = rows[0];
  const wasRevoked = row.revokedAt ?? null;
  const requestId = cliRequestId();
  const result = await identityService.revokeApiToken(await ownerContext(session, row.user, requestId), row.id);
  if (!result.apiToken) failed(result.userErrors, requestId);
  const revokedAt = result.apiToken.revokedAt!.toISOString();
  return {
    text: wasRevoked ? `API token ${row.prefix} of ${row.user.email} was already revoked (at ${revokedAt})` : `Revoked API token ${row.prefix} ("${row.name}") of ${row.user.email}`,
    json: { ok: true, apiToken: { id: row.id, prefix: row.prefix, name: row.name, user: row.user.email, revokedAt }, alreadyRevoked: !!wasRevoked, requestId },
  };
}
