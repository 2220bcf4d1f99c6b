/**
 * The `webhook` channel and its job `webhook_deliver` (docs/webhooks.md#delivery).
 *
 * For each event: the ACTIVE endpoints whose approver is among the event's
 * recipients (the policy decided them), is of the endpoint's organization and
 * still administers its webhooks, and whose filter takes the type. One
 * `webhook_delivery` row per (endpoint, event) (unique: a retried delivery
 * adds nothing) and one job per row under a stable job key. The job makes one
 * attempt; a failure throws so graphile-worker retries it with its
 * exponential backoff, up to WEBHOOK_MAX_ATTEMPTS. Delivery is at least once:
 * a worker killed after the POST and before its commit sends it again, with
 * the same `webhook-id`.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { v7 as uuidv7 } from 'uuid';
import type { Config } from '../config';
import type { Logger } from '../core/logger';
import { can } from '../access/policy';
import { buildViewer } from '../access/viewer';
import { User } from '../model/identity.entity';
import { WebhookDelivery, WebhookDeliveryStatus, WebhookEndpoint, WebhookEndpointStatus } from '../model/webhook.entity';
import { sendWebhook, webhookIdOf } from '../modules/notify/webhook.sender';
import { sendEmail } from '../modules/notify/email.transport';
import type { Channel } from './channels';
import { describeEvent, type EventMessage } from './messages';
import type { JobTask } from './tasks';

export const WEBHOOK_TASK = 'webhook_deliver';

/** The Standard Webhooks payload: `type`, `timestamp`, `data` (only what the approver may read; never money). */
export function webhookPayload(message: EventMessage): string {
  return JSON.stringify({
    type: message.type,
    timestamp: message.occurredAt,
    data: {
      title: message.title,
      subject: { type: message.subjectType, id: message.subjectId, label: message.label },
      projectName: message.projectName,
    },
  });
}

function selects(endpoint: WebhookEndpoint, type: string): boolean {
  return endpoint.eventTypes.length === 0 || endpoint.eventTypes.includes(type);
}

export const webhooks: Channel = {
  name: 'webhook',
  async deliver(job, event, recipients) {
    const byUser = new Map(recipients.map((r) => [r.userId, r]));
    if (!byUser.size) return;
    const endpoints = await job.em.find(WebhookEndpoint, { status: WebhookEndpointStatus.ACTIVE, approvedBy: { $in: [...byUser.keys()] } }, { orderBy: { id: 'asc' } });
    for (const endpoint of endpoints) {
      const approver = byUser.get(endpoint.approvedBy.id)!;
      if (approver.organizationId !== endpoint.organization.id || !can.manageWebhooks(approver.viewer)) continue;
      if (!selects(endpoint, event.type)) continue;
      await job.em.execute(
        `insert into webhook_delivery (id, created_at, updated_at, version, endpoint_id, event_id, webhook_id, event_type, status, attempts)
         values (?, now(), now(), 1, ?, ?, ?, ?, 'PENDING', 0) on conflict do nothing`,
        [uuidv7(), endpoint.id, event.id, webhookIdOf(event.id, endpoint.id), event.type],
      );
      await job.addJob(WEBHOOK_TASK, { endpointId: endpoint.id, eventId: event.id }, { jobKey: `webhook:${endpoint.id}:${event.id}` });
    }
  },
};

/**
 * One attempt of one delivery. Returns normally when the delivery is done
 * (delivered, skipped, failed for good, or the endpoint disabled); throws to
 * have graphile-worker retry it.
 */
export const deliverWebhook: JobTask = async (payload, { orm, config, logger, helpers }) => {
  const em = orm.em.fork() as EntityManager;
  const delivery = await em.findOne(
    WebhookDelivery,
    { endpoint: String(payload.endpointId), event: String(payload.eventId) },
    { populate: ['endpoint', 'endpoint.secret', 'event', 'event.project'] as never },
  );
  if (!delivery || delivery.status !== WebhookDeliveryStatus.PENDING) return;
  const endpoint = delivery.endpoint;
  const event = delivery.event;
  const log = logger.child({ webhookId: delivery.webhookId, endpointId: endpoint.id, eventId: event.id });
  if (endpoint.status !== WebhookEndpointStatus.ACTIVE) {
    delivery.status = WebhookDeliveryStatus.FAILED;
    delivery.lastError = 'The endpoint was disabled before the delivery was sent';
    await em.flush();
    return;
  }

  // Visibility again, now: the approver (enabled, of the endpoint's organization, still administering its webhooks) must see the subject.
  const approver = await em.findOne(User, { id: endpoint.approvedBy.id, disabledAt: null }, { populate: ['organization'] });
  const viewer = approver && approver.organization.id === endpoint.organization.id ? await buildViewer(em, approver, null) : null;
  const message = viewer && can.manageWebhooks(viewer) ? await describeEvent(em, event, viewer) : null;
  if (!message) {
    delivery.status = WebhookDeliveryStatus.SKIPPED;
    delivery.lastError = 'Not sent: the endpoint\'s approver no longer sees the event\'s subject (or no longer administers the organization\'s webhooks)';
    await em.flush();
    log.info('webhook delivery skipped: no longer visible to the approver');
    return;
  }

  const attempt = helpers.job.attempts;
  const result = await sendWebhook(endpoint.url, endpoint.secret, delivery.webhookId, webhookPayload(message), {
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
    await em.execute('update webhook_endpoint set failure_count = 0 where id = ? and failure_count <> 0', [endpoint.id]);
    log.info({ status: result.status, attempt }, 'webhook delivered');
    return;
  }

  log.warn({ status: result.status, error: result.error, attempt }, 'webhook attempt failed');
  const [{ failure_count: failures }] = await em.execute(
    'update webhook_endpoint set failure_count = failure_count + 1 where id = ? returning failure_count',
    [endpoint.id],
  );
  let disabled = false;
  if (failures >= config.webhooks.disableAfter) {
    disabled = true;
    const reason = `Disabled after ${failures} consecutive failed delivery attempts (last: ${result.error})`.slice(0, 500);
    const rows = await em.execute(
      `update webhook_endpoint set status = 'DISABLED', disabled_at = now(), disabled_reason = ?, version = version + 1, updated_at = now()
       where id = ? and status = 'ACTIVE' returning id`,
      [reason, endpoint.id],
    );
    if (rows.length) {
      log.warn({ failures }, 'webhook endpoint disabled after repeated failures');
      await tellAdministrators(em, config, logger, endpoint, reason);
    }
  }
  if (result.refused || disabled || attempt >= Math.min(config.webhooks.maxAttempts, helpers.job.max_attempts)) {
    delivery.status = result.refused ? WebhookDeliveryStatus.SKIPPED : WebhookDeliveryStatus.FAILED;
    await em.flush();
    return;
  }
  await em.flush();
  throw new Error(`webhook ${delivery.webhookId} attempt ${attempt} failed: ${result.error}`);
};

/** The organization's webhook administrators (enabled users) are told by e-mail that an endpoint was disabled. */
async function tellAdministrators(em: EntityManager, config: Config, logger: Logger, endpoint: WebhookEndpoint, reason: string): Promise<void> {
  const users = await em.find(User, { organization: endpoint.organization.id, disabledAt: null }, { populate: ['organization'], orderBy: { email: 'asc' } });
  for (const user of users) {
    const viewer = await buildViewer(em, user, null);
    if (!can.manageWebhooks(viewer)) continue;
    try {
      await sendEmail(config, logger, {
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
    } catch (err) {
      logger.error({ err, userId: user.id }, 'could not e-mail a webhook administrator that an endpoint was disabled');
    }
  }
}
