/**
 * The `webhook` channel and its job (docs/webhooks.md#delivery).
 *
 * For each event: the ACTIVE endpoints whose approver is among the event's
 * recipients (the policy decided them) and still administers the endpoint's
 * organization's webhooks, and whose filter takes the type. One
 * `webhook_delivery` row per (endpoint, event) (unique: a retried event adds
 * nothing) and one job per row with a stable job key. The job sends one
 * attempt; a failure throws so graphile-worker retries it with its
 * exponential backoff, up to `WEBHOOK_MAX_ATTEMPTS`. Delivery is at least
 * once: a worker killed after the POST and before its commit sends again,
 * with the same `webhook-id`.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Config } from '../../config';
import type { Logger } from '../../core/logger';
import { can } from '../../access/policy';
import { buildViewer } from '../../access/viewer';
import { DomainEvent } from '../../model/event.entity';
import { User, UserRole } from '../../model/identity.entity';
import { WebhookDelivery, WebhookDeliveryStatus, WebhookEndpoint, WebhookEndpointStatus } from '../../model/webhook.entity';
import { messageFor, type Message } from './content';
import { sendWebhook, webhookIdOf } from './webhook.sender';
import { sendEmail } from './email.transport';

/** What a channel and a task get from the job runner (the shape of the runner's delivery job). */
export interface NotifyJob {
  em: EntityManager;
  addJob: (task: string, payload: unknown, options?: { jobKey?: string; runAt?: Date; maxAttempts?: number }) => Promise<void>;
  logger: Logger;
}

export interface RecipientLike {
  userId: string;
  organizationId: string;
  viewer: import('../../access/viewer').Viewer;
}

export const WEBHOOK_TASK = 'webhook_deliver';

export interface WebhookJobPayload {
  endpointId: string;
  eventId: string;
}

/** The Standard Webhooks payload: `type`, `timestamp`, `data`. */
export function webhookPayload(message: Message): string {
  return JSON.stringify({
    type: message.type,
    timestamp: message.occurredAt,
    data: { eventId: message.eventId, label: message.label, subject: message.subject, project: message.project },
  });
}

function selects(endpoint: WebhookEndpoint, type: string): boolean {
  return endpoint.eventTypes.length === 0 || endpoint.eventTypes.includes(type);
}

export async function deliverToWebhooks(config: Config, job: NotifyJob, event: DomainEvent, recipients: RecipientLike[]): Promise<void> {
  const byUser = new Map(recipients.map((r) => [r.userId, r]));
  if (!byUser.size) return;
  const endpoints = await job.em.find(WebhookEndpoint, { status: WebhookEndpointStatus.ACTIVE, approvedBy: { $in: [...byUser.keys()] } });
  for (const endpoint of endpoints) {
    const approver = byUser.get(endpoint.approvedBy.id)!;
    if (approver.organizationId !== endpoint.organization.id || !can.manageWebhooks(approver.viewer)) continue;
    if (!selects(endpoint, event.type)) continue;
    await job.em.getConnection().execute(
      `insert into webhook_delivery (id, created_at, updated_at, version, endpoint_id, event_id, webhook_id, event_type, status, attempts)
       values (?, now(), now(), 1, ?, ?, ?, ?, 'PENDING', 0) on conflict do nothing`,
      [newId(), endpoint.id, event.id, webhookIdOf(event.id, endpoint.id), event.type],
    );
    await job.addJob(WEBHOOK_TASK, { endpointId: endpoint.id, eventId: event.id } satisfies WebhookJobPayload, {
      jobKey: `webhook:${endpoint.id}:${event.id}`,
      maxAttempts: config.webhooks.maxAttempts,
    });
  }
}

function newId(): string {
  // Same kind of id as every entity's (uuid v7).
  return new WebhookDelivery().id;
}

/** Attempt information from graphile-worker's job. */
export interface AttemptInfo { attempts: number; maxAttempts: number }

/**
 * One attempt of one delivery. Returns normally when the delivery is done
 * (delivered, skipped, failed for good, or the endpoint disabled); throws to
 * have graphile-worker retry it.
 */
export async function runWebhookDelivery(config: Config, job: NotifyJob, payload: WebhookJobPayload, attempt: AttemptInfo): Promise<void> {
  const em = job.em;
  const delivery = await em.findOne(WebhookDelivery, { endpoint: payload.endpointId, event: payload.eventId }, { populate: ['endpoint', 'endpoint.secret', 'event'] as never });
  if (!delivery || delivery.status !== WebhookDeliveryStatus.PENDING) return;
  const endpoint = delivery.endpoint;
  const event = delivery.event;
  const log = job.logger.child({ webhookId: delivery.webhookId, endpointId: endpoint.id, eventId: event.id });
  if (endpoint.status !== WebhookEndpointStatus.ACTIVE) {
    delivery.status = WebhookDeliveryStatus.FAILED;
    delivery.lastError = 'The endpoint was disabled before the delivery was sent';
    await em.flush();
    return;
  }

  // Visibility again, now: the approver (enabled, of the endpoint's organization, still administering its webhooks) must see the subject.
  const approver = await em.findOne(User, { id: endpoint.approvedBy.id, disabledAt: null }, { populate: ['organization'] });
  const viewer = approver && approver.organization.id === endpoint.organization.id ? await buildViewer(em, approver, null) : null;
  const message = viewer && can.manageWebhooks(viewer) ? await messageFor(em, event, viewer) : null;
  if (!message) {
    delivery.status = WebhookDeliveryStatus.SKIPPED;
    delivery.lastError = 'Not sent: the endpoint\'s approver no longer sees the event\'s subject (or no longer administers the organization\'s webhooks)';
    await em.flush();
    log.info('webhook delivery skipped: no longer visible to the approver');
    return;
  }

  const body = webhookPayload(message);
  const result = await sendWebhook(endpoint.url, endpoint.secret, delivery.webhookId, body, {
    production: config.env === 'production',
    allowPrivate: config.webhooks.allowPrivate,
    timeoutMs: config.webhooks.timeoutMs,
  });
  const now = new Date();
  delivery.attempts += 1;
  delivery.lastAttemptAt = now;
  delivery.lastResponseCode = result.status;
  delivery.lastError = result.error;
  if (!result.error) {
    delivery.status = WebhookDeliveryStatus.DELIVERED;
    delivery.deliveredAt = now;
    await em.flush();
    await em.getConnection().execute('update webhook_endpoint set failure_count = 0 where id = ? and failure_count <> 0', [endpoint.id]);
    log.info({ status: result.status, attempt: attempt.attempts }, 'webhook delivered');
    return;
  }

  log.warn({ status: result.status, error: result.error, attempt: attempt.attempts }, 'webhook attempt failed');
  const [{ failure_count: failures }] = await em.getConnection().execute(
    'update webhook_endpoint set failure_count = failure_count + 1 where id = ? returning failure_count',
    [endpoint.id],
  );
  let disabled = false;
  if (failures >= config.webhooks.disableAfter) {
    const reason = `Disabled after ${failures} consecutive failed delivery attempts (last: ${result.error})`.slice(0, 500);
    const rows = await em.getConnection().execute(
      `update webhook_endpoint set status = 'DISABLED', disabled_at = now(), disabled_reason = ?, version = version + 1, updated_at = now()
       where id = ? and status = 'ACTIVE' returning id`,
      [reason, endpoint.id],
    );
    disabled = true;
    if (rows.length) {
      log.warn({ failures }, 'webhook endpoint disabled after repeated failures');
      await tellAdministrators(config, job, endpoint, reason);
    }
  }
  const last = result.refused || disabled || attempt.attempts >= attempt.maxAttempts;
  if (last) {
    delivery.status = result.refused ? WebhookDeliveryStatus.SKIPPED : WebhookDeliveryStatus.FAILED;
    await em.flush();
    return;
  }
  await em.flush();
  throw new Error(`webhook ${delivery.webhookId} attempt ${attempt.attempts} failed: ${result.error}`);
}

/** The organization's webhook administrators (enabled users) are told by e-mail that an endpoint was disabled. */
async function tellAdministrators(config: Config, job: NotifyJob, endpoint: WebhookEndpoint, reason: string): Promise<void> {
  const users = await job.em.find(User, { organization: endpoint.organization.id, disabledAt: null }, { populate: ['organization'] });
  for (const user of users) {
    const viewer = await buildViewer(job.em, user, null);
    if (!can.manageWebhooks(viewer) || (viewer.side === 'operator' && user.role !== UserRole.ADMIN)) continue;
    await sendEmail(config, job.logger, {
      to: user.email,
      subject: '[Vantage] A webhook endpoint was disabled',
      text: [
        `Hello ${user.name},`,
        '',
        `Vantage stopped sending events to the webhook endpoint ${endpoint.url} of ${user.organization.name}.`,
        reason,
        '',
        `Fix the receiver, then enable the endpoint again in the portal: ${config.email.portalUrl}/settings/webhooks`,
      ].join('\n'),
    });
  }
}
