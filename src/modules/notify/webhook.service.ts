/**
 * Managing webhook endpoints (docs/webhooks.md). Each mutation is one audited
 * transaction; the URL (and every address of its host) is checked before the
 * transaction, and a refused one stores nothing.
 */
import type { Context } from '../../access/context';
import { authed } from '../../access/context';
import { UserErrorCode } from '../../core/user-error';
import { WebhookEndpoint, WebhookEndpointStatus } from '../../model/webhook.entity';
import { AuditAction, created } from '../../write/audit';
import { Checks, fail } from '../../write/checks';
import { User } from '../../model/identity.entity';
import { idOf } from '../../write/ids';
import { mutate, type MutationResult } from '../../write/transaction';
import { checkWebhookUrl } from './webhook.address';
import { newWebhookSecret } from './webhook.sender';
import { EVENT_TYPES, isEventType } from './event-types';
import type { CreateWebhookEndpointInput, UpdateWebhookEndpointInput } from './webhook.mutation-inputs';

/** At most this many endpoints per organization. */
export const MAX_ENDPOINTS_PER_ORGANIZATION = 20;

function checkEventTypes(checks: Checks, types: string[] | null | undefined): string[] | undefined {
  if (types === undefined || types === null) return undefined;
  const unknown = types.filter((t) => !isEventType(t));
  if (unknown.length) {
    checks.add('eventTypes', `unknown event type${unknown.length > 1 ? 's' : ''} ${unknown.map((t) => `"${t}"`).join(', ')}; known: ${EVENT_TYPES.join(', ')}`);
  }
  return [...new Set(types)].sort();
}

/** The URL checks (form, scheme, every address), added to `checks`; the normalized URL. */
async function checkUrl(ctx: Context, checks: Checks, url: string | null | undefined): Promise<string | undefined> {
  if (url === undefined || url === null) return undefined;
  if (url.trim().length > 2000) {
    checks.add('url', `url must be at most 2000 characters (got ${url.trim().length})`);
    return undefined;
  }
  const result = await checkWebhookUrl(url, { production: ctx.config.env === 'production', allowPrivate: ctx.config.webhooks.allowPrivate });
  if (!result.ok) {
    checks.add('url', result.message);
    return undefined;
  }
  return result.url.toString();
}

export const webhookService = {
  async create(ctx: Context, input: CreateWebhookEndpointInput): Promise<{ webhookEndpoint: WebhookEndpoint | null; secret: string | null; userErrors: MutationResult<unknown>['userErrors'] }> {
    const { viewer } = authed(ctx);
    const secret = newWebhookSecret();
    const checks = new Checks();
    const url = await checkUrl(ctx, checks, input.url);
    const description = checks.text('description', input.description ?? '', 0, 200);
    const eventTypes = checkEventTypes(checks, input.eventTypes) ?? [];
    const result = await mutate(ctx, async (tx) => {
      checks.done();
      const count = await tx.count(WebhookEndpoint, { organization: viewer.orgId });
      if (count >= MAX_ENDPOINTS_PER_ORGANIZATION) {
        checks.add('url', `an organization may have at most ${MAX_ENDPOINTS_PER_ORGANIZATION} webhook endpoints; delete one first`);
        checks.done();
      }
      const endpoint = tx.em.create(WebhookEndpoint, {
        organization: viewer.orgId,
        url: url!,
        description,
        eventTypes,
        secret,
        status: WebhookEndpointStatus.ACTIVE,
        failureCount: 0,
        createdBy: viewer.userId,
        approvedBy: viewer.userId,
      } as never);
      tx.audit(AuditAction.WebhookEndpointCreate, endpoint, null, created({ url, description, eventTypes, approvedBy: endpoint.approvedBy }));
      return endpoint;
    });
    return { webhookEndpoint: result.object, secret: result.object ? secret : null, userErrors: result.userErrors };
  },

  async update(ctx: Context, input: UpdateWebhookEndpointInput) {
    const id = idOf(input.id, 'WebhookEndpoint', 'id');
    const checks = new Checks();
    const url = await checkUrl(ctx, checks, input.url);
    const description = checks.text('description', input.description, 0, 200);
    const eventTypes = checkEventTypes(checks, input.eventTypes);
    return mutate(ctx, async (tx) => {
      const endpoint = await tx.target(WebhookEndpoint, id, { version: input.version });
      checks.done();
      const changes = tx.apply(endpoint, { url, description, eventTypes, approvedBy: await tx.linked(User, tx.viewer.userId) });
      tx.audit(AuditAction.WebhookEndpointUpdate, endpoint, null, changes);
      return endpoint;
    });
  },

  async disable(ctx: Context, input: { id: string; version: number }) {
    const id = idOf(input.id, 'WebhookEndpoint', 'id');
    return mutate(ctx, async (tx) => {
      const endpoint = await tx.target(WebhookEndpoint, id, { version: input.version });
      if (endpoint.status === WebhookEndpointStatus.DISABLED) {
        fail(UserErrorCode.INVALID_TRANSITION, 'The endpoint is already disabled', 'id');
      }
      const changes = tx.apply(endpoint, { status: WebhookEndpointStatus.DISABLED, disabledAt: new Date(), disabledReason: 'Disabled by an administrator' });
      tx.audit(AuditAction.WebhookEndpointDisable, endpoint, null, changes);
      return endpoint;
    });
  },

  /** Enabling approves the endpoint again (the viewer becomes its approver) and starts its failure count afresh. */
  async enable(ctx: Context, input: { id: string; version: number }) {
    const id = idOf(input.id, 'WebhookEndpoint', 'id');
    return mutate(ctx, async (tx) => {
      const endpoint = await tx.target(WebhookEndpoint, id, { version: input.version });
      if (endpoint.status === WebhookEndpointStatus.ACTIVE) fail(UserErrorCode.INVALID_TRANSITION, 'The endpoint is already active', 'id');
      const changes = tx.apply(endpoint, {
        status: WebhookEndpointStatus.ACTIVE, disabledAt: null, disabledReason: null, failureCount: 0,
        approvedBy: await tx.linked(User, tx.viewer.userId),
      });
      tx.audit(AuditAction.WebhookEndpointEnable, endpoint, null, changes);
      return endpoint;
    });
  },

  async rotateSecret(ctx: Context, input: { id: string; version: number }) {
    const id = idOf(input.id, 'WebhookEndpoint', 'id');
    const secret = newWebhookSecret();
    const result = await mutate(ctx, async (tx) => {
      const endpoint = await tx.target(WebhookEndpoint, id, { version: input.version });
      endpoint.secret = secret;
      tx.touch(endpoint);
      // The audit event records that the secret changed, never the secret.
      tx.audit(AuditAction.WebhookEndpointRotateSecret, endpoint, null, { secret: { before: '(hidden)', after: '(hidden)' } });
      return endpoint;
    });
    return { webhookEndpoint: result.object, secret: result.object ? secret : null, userErrors: result.userErrors };
  },

  async delete(ctx: Context, input: { id: string }) {
    const id = idOf(input.id, 'WebhookEndpoint', 'id');
    const result = await mutate(ctx, async (tx) => {
      const endpoint = await tx.target(WebhookEndpoint, id);
      tx.audit(AuditAction.WebhookEndpointDelete, endpoint, null, { url: { before: endpoint.url, after: null } });
      tx.em.remove(endpoint);
      return endpoint;
    });
    return { deletedId: result.object ? input.id : null, userErrors: result.userErrors };
  },
};
