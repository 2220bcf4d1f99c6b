/**
 * `deliver_event { eventId }`: added with every domain event, in its
 * transaction (src/write/transaction.ts). Computes the recipients NOW
 * (`recipientsOf`: visibility at delivery time, enabled users only), then
 * calls every channel of src/jobs/channels.ts — all in one transaction, so a
 * failure rolls the whole delivery back and graphile-worker retries it; the
 * channels' writes are idempotent (unique rows, stable job keys).
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { recipientsOf } from '../access/recipients';
import { DomainEvent } from '../model/event.entity';
import { channels, type DeliveryJob } from './channels';
import { addJob } from './queue';
import type { JobTask } from './tasks';

/** Delivers one event through every channel, in the caller's transaction. Returns the number of recipients. */
export async function deliverEventIn(em: EntityManager, eventId: string, logger: DeliveryJob['logger']): Promise<number> {
  const event = await em.findOne(DomainEvent, { id: eventId }, { populate: ['project'] });
  if (!event) {
    logger.warn({ eventId }, 'deliver_event: no such event (nothing to deliver)');
    return 0;
  }
  const recipients = await recipientsOf(em, event);
  const job: DeliveryJob = { em, addJob: (task, payload, options) => addJob(em, task, payload, options), logger };
  for (const channel of channels) await channel.deliver(job, event, recipients);
  return recipients.length;
}

export const deliverEvent: JobTask = async (payload, { orm, logger }) => {
  const eventId = String(payload.eventId ?? '');
  if (!/^[0-9a-f-]{36}$/i.test(eventId)) {
    logger.error({ payload }, 'deliver_event: payload without a valid eventId (dropped)');
    return;
  }
  await orm.em.fork().transactional((em) => deliverEventIn(em as EntityManager, eventId, logger));
};
