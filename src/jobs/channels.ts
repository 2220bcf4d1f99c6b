/**
 * The delivery channels of domain events (docs/notifications.md): the one
 * registry, append yours. `deliver_event` calls each in this order with the
 * event and its recipients (decided by `recipientsOf`, src/access/recipients.ts)
 * inside one transaction: a channel writes rows or adds follow-up jobs with
 * `job.addJob` under STABLE job keys (e.g. `webhook:<endpoint>:<event>`), so a
 * retried delivery adds nothing twice. Message contents follow the rules of
 * src/jobs/messages.ts: only what the recipient may read, never money.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Logger } from '../core/logger';
import type { Recipient } from '../access/recipients';
import type { DomainEvent } from '../model/event.entity';
import type { JobOptions } from './queue';
import { inbox } from './inbox';

export interface DeliveryJob {
  /** The delivery's transaction. */
  em: EntityManager;
  /** Adds a job in the delivery's transaction (see queue.ts `addJob`). */
  addJob: (task: string, payload: Record<string, unknown>, options?: JobOptions) => Promise<void>;
  logger: Logger;
}

export interface Channel {
  name: string;
  deliver(job: DeliveryJob, event: DomainEvent, recipients: Recipient[]): Promise<void>;
}

export const channels: Channel[] = [
  inbox,
];
